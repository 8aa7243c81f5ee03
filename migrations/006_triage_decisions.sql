-- A decision not to refer keeps its reasons for not referring, apart from the rationale.
ALTER TABLE decisions ADD COLUMN reasons_not_referring text;
-- The tasks page lists a user's open tasks soonest first; the decision page lists a decision's tasks.
CREATE INDEX tasks_decision_idx ON tasks (decision_id);
