-- A clock belongs to the organisation that runs it. Subjects are named by the caller (an id from another system,
-- say), so two organisations can name the same one: each runs its own clocks on it, and neither organisation's
-- events start, stop or block the other's.
CREATE UNIQUE INDEX clocks_one_running_per_organisation_idx ON clocks (organisation_id, subject_type, subject_id, definition_id)
  WHERE stopped_at IS NULL;
DROP INDEX clocks_one_running_idx;
ALTER INDEX clocks_one_running_per_organisation_idx RENAME TO clocks_one_running_idx;
