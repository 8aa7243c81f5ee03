-- The queue's partial index (migration 014) answers every query that concerns_org_status_idx served (the
-- undecided concerns of an organisation, and their count), so the older index only cost each new concern
-- and each change of status one more index entry to write.
DROP INDEX IF EXISTS concerns_org_status_idx;
