-- Name search within the searching organisation's children, from one index. Organisations only ever find
-- the children they know (child_organisations), so names are indexed per organisation: a composite GIN
-- index on (organisation, trigrams) answers "names like this, known to us" without visiting other
-- organisations' children. Kept in step with child_names and child_organisations by triggers.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE child_name_search (
  organisation_id uuid NOT NULL,
  name_id bigint NOT NULL REFERENCES child_names(id) ON DELETE CASCADE,
  child_id uuid NOT NULL,
  full_name text NOT NULL,
  first_phonetic text NOT NULL,
  last_phonetic text NOT NULL,
  PRIMARY KEY (organisation_id, name_id)
);
CREATE INDEX child_name_search_trgm_idx ON child_name_search USING gin (organisation_id, full_name gin_trgm_ops);
CREATE INDEX child_name_search_first_idx ON child_name_search (organisation_id, first_phonetic);
CREATE INDEX child_name_search_last_idx ON child_name_search (organisation_id, last_phonetic);
CREATE INDEX child_name_search_child_idx ON child_name_search (child_id);

INSERT INTO child_name_search (organisation_id, name_id, child_id, full_name, first_phonetic, last_phonetic)
SELECT co.organisation_id, cn.id, cn.child_id, cn.full_name, dmetaphone(cn.first_name), dmetaphone(cn.last_name)
  FROM child_names cn JOIN child_organisations co ON co.child_id = cn.child_id;

CREATE FUNCTION child_name_search_sync_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM child_name_search WHERE name_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO child_name_search (organisation_id, name_id, child_id, full_name, first_phonetic, last_phonetic)
    SELECT co.organisation_id, NEW.id, NEW.child_id, NEW.full_name, dmetaphone(NEW.first_name), dmetaphone(NEW.last_name)
      FROM child_organisations co WHERE co.child_id = NEW.child_id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER child_name_search_names AFTER INSERT OR UPDATE OR DELETE ON child_names
  FOR EACH ROW EXECUTE FUNCTION child_name_search_sync_name();

CREATE FUNCTION child_name_search_sync_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM child_name_search WHERE organisation_id = OLD.organisation_id AND child_id = OLD.child_id;
  ELSE
    INSERT INTO child_name_search (organisation_id, name_id, child_id, full_name, first_phonetic, last_phonetic)
    SELECT NEW.organisation_id, cn.id, cn.child_id, cn.full_name, dmetaphone(cn.first_name), dmetaphone(cn.last_name)
      FROM child_names cn WHERE cn.child_id = NEW.child_id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER child_name_search_organisations AFTER INSERT OR DELETE ON child_organisations
  FOR EACH ROW EXECUTE FUNCTION child_name_search_sync_organisation();

CREATE FUNCTION child_name_candidates_in(org uuid, q text, codes text[], single_word boolean)
RETURNS TABLE (child_id uuid)
LANGUAGE sql STABLE
SET pg_trgm.similarity_threshold = 0.3
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
  SELECT s.child_id FROM child_name_search s WHERE s.organisation_id = org AND s.full_name % q
  UNION
  SELECT s.child_id FROM child_name_search s WHERE s.organisation_id = org AND s.full_name %> q
  UNION
  SELECT s.child_id FROM child_name_search s
   WHERE s.organisation_id = org AND cardinality(codes) > 0 AND NOT single_word
     AND s.first_phonetic = ANY (codes) AND s.last_phonetic = ANY (codes)
  UNION
  SELECT s.child_id FROM child_name_search s
   WHERE s.organisation_id = org AND cardinality(codes) > 0 AND single_word
     AND (s.first_phonetic = ANY (codes) OR s.last_phonetic = ANY (codes))
$$;
