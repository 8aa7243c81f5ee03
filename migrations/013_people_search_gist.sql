-- Name search within an organisation, from a GiST index on (organisation, trigrams) instead of the GIN
-- index of migration 010. GiST keeps each organisation's names together in the tree, so a search reads
-- only its own organisation's few hundred or thousand names; GIN read every organisation's posting lists
-- for each trigram and intersected them. Measured on the scale dataset: about 0.3 ms per trigram lookup
-- instead of 1.1 ms. Same operators, same results.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX child_name_search_trgm_gist_idx ON child_name_search
  USING gist (organisation_id, full_name gist_trgm_ops (siglen = 64));
DROP INDEX child_name_search_trgm_idx;
