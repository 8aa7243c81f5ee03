-- Name search reads a candidate's names in the searching organisation by (organisation, child): one index
-- range per candidate, in a join rather than a subquery run again for each. The index on child alone made
-- each of those lookups filter out the child's rows in other organisations, and served nothing else.
CREATE INDEX child_name_search_org_child_idx ON child_name_search (organisation_id, child_id);
DROP INDEX child_name_search_child_idx;

-- A name's rows are found by the name alone when it changes or goes (the triggers of migration 010 and the
-- foreign key's cascade). Without this, each of those read the whole primary key, organisation by organisation.
CREATE INDEX child_name_search_name_idx ON child_name_search (name_id);
