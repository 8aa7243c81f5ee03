-- Finding a child by name among 100,000s: the name branches of the search run in a function so that the
-- trigram and phonetic indexes are always used (the planner underestimates the cost of computing trigram
-- similarity row by row and would otherwise scan the whole table), with thresholds chosen for names.
-- SET clauses apply only while the function runs and are restored afterwards.
CREATE FUNCTION child_name_candidates(q text, codes text[], single_word boolean)
RETURNS TABLE (child_id uuid)
LANGUAGE sql STABLE
SET enable_seqscan = off
SET pg_trgm.similarity_threshold = 0.3
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
  SELECT cn.child_id FROM child_names cn WHERE cn.full_name % q
  UNION
  SELECT cn.child_id FROM child_names cn WHERE cn.full_name %> q
  UNION
  SELECT cn.child_id FROM child_names cn
   WHERE cardinality(codes) > 0 AND NOT single_word
     AND dmetaphone(cn.first_name) = ANY (codes) AND dmetaphone(cn.last_name) = ANY (codes)
  UNION
  SELECT cn.child_id FROM child_names cn
   WHERE cardinality(codes) > 0 AND single_word
     AND (dmetaphone(cn.first_name) = ANY (codes) OR dmetaphone(cn.last_name) = ANY (codes))
$$;

-- Unborn children found by a date of birth near their expected due date.
CREATE INDEX children_due_date_idx ON children (partnership_id, expected_due_date) WHERE expected_due_date IS NOT NULL;
