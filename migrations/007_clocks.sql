-- Statutory clocks: one row per clock started on a subject (a referral, an escalation, a member of staff…).
-- The definition used is kept with the clock, so a later change to a partnership's timescales never
-- rewrites whether a past clock was met.
CREATE TABLE clocks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnerships(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  child_id uuid REFERENCES children(id),
  subject_type text NOT NULL CHECK (subject_type ~ '^[a-z][a-z0-9-]{0,39}$'),
  subject_id text NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 100),
  definition_set text NOT NULL,
  definition_id text NOT NULL,
  -- the definition as it was when the clock started (length, unit, events, citations)
  definition jsonb NOT NULL,
  kind text NOT NULL DEFAULT 'deadline' CHECK (kind IN ('deadline', 'minimum')),
  -- which stage of a staged process (escalations), 1 otherwise
  stage int NOT NULL DEFAULT 1 CHECK (stage >= 1),
  start_event text NOT NULL,
  started_at timestamptz NOT NULL,
  started_by uuid REFERENCES users(id),
  -- clocks in days: the due date in England; clocks in hours: null
  due_date date,
  -- the deadline as an instant (for days: the end of the working day on due_date)
  due_at timestamptz NOT NULL,
  due_soon_at timestamptz NOT NULL,
  stopped_at timestamptz,
  stopped_by uuid REFERENCES users(id),
  stop_event text,
  stop_reason text,
  -- the last status written (running, due-soon, overdue, met, missed); pages compute the current one
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'due-soon', 'overdue', 'met', 'missed')),
  -- each reminder is sent once per clock per state
  due_soon_reminded_at timestamptz,
  overdue_reminded_at timestamptz,
  reminded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (due_at >= started_at),
  CHECK ((stopped_at IS NULL) = (stop_event IS NULL))
);

-- "My organisation's running clocks, soonest due first" and "recently met or missed".
CREATE INDEX clocks_org_running_idx ON clocks (organisation_id, due_at) WHERE stopped_at IS NULL;
CREATE INDEX clocks_org_stopped_idx ON clocks (organisation_id, stopped_at DESC) WHERE stopped_at IS NOT NULL;
-- Stopping every running clock on a subject.
CREATE INDEX clocks_subject_running_idx ON clocks (subject_type, subject_id) WHERE stopped_at IS NULL;
CREATE INDEX clocks_child_idx ON clocks (child_id, started_at DESC) WHERE child_id IS NOT NULL;
-- The reminder job's two queues.
CREATE INDEX clocks_due_soon_pending_idx ON clocks (due_soon_at) WHERE stopped_at IS NULL AND due_soon_reminded_at IS NULL;
CREATE INDEX clocks_overdue_pending_idx ON clocks (due_at) WHERE stopped_at IS NULL AND overdue_reminded_at IS NULL AND kind = 'deadline';
-- At most one running clock of a definition on a subject: a repeated start event starts nothing new.
CREATE UNIQUE INDEX clocks_one_running_idx ON clocks (subject_type, subject_id, definition_id) WHERE stopped_at IS NULL;
