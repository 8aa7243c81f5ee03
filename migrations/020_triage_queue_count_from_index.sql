-- The triage queue's count of undecided concerns (listQueue) tests each one's `restricted` flag, which the
-- queue's index (migration 014) did not hold, so the count read every undecided concern's row from the table.
-- For an organisation with 1,368 undecided concerns on the scale dataset that was 1,047 table pages and about
-- half of the statement; carried in the index, the flag lets the count be read from the index alone.
CREATE INDEX concerns_queue_with_restricted_idx ON concerns (organisation_id, immediate_danger DESC, submitted_at, reference)
  INCLUDE (restricted) WHERE status IN ('new', 'in_triage');
DROP INDEX concerns_queue_idx;
ALTER INDEX concerns_queue_with_restricted_idx RENAME TO concerns_queue_idx;
