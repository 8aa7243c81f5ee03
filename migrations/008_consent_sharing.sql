-- Consent and information sharing (DESIGN §1 step 4). Every table here is append-only: a change of mind is a new
-- row that supersedes the last, so the history of who said what, and when, is kept.

CREATE FUNCTION sharing_rows_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: record a new entry instead', TG_TABLE_NAME;
END $$;

-- A professional's recorded judgement (Gillick / Fraser) that a child under 14 has, or has not, sufficient
-- understanding to give consent themselves.
CREATE TABLE consent_understanding_judgements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  concern_id uuid NOT NULL REFERENCES concerns(id),
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  sufficient_understanding boolean NOT NULL,
  reasons text NOT NULL CHECK (length(trim(reasons)) > 0),
  judged_by uuid NOT NULL REFERENCES users(id),
  judged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_understanding_concern_idx ON consent_understanding_judgements (concern_id, judged_at DESC);
CREATE TRIGGER consent_understanding_append_only BEFORE UPDATE OR DELETE ON consent_understanding_judgements
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();

-- One person's consent for one case: an adult (person_id) or the child themselves (person_id NULL).
CREATE TABLE consent_records (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  concern_id uuid NOT NULL REFERENCES concerns(id),
  decision_id uuid REFERENCES decisions(id),
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  person_id uuid REFERENCES people(id),
  status text NOT NULL CHECK (status IN ('sought', 'given', 'refused', 'not_sought', 'withdrawn')),
  status_date date NOT NULL,
  method text CHECK (method IN ('in_writing', 'in_person', 'telephone', 'video_call', 'other')),
  sought_by uuid REFERENCES users(id),
  not_sought_reason text CHECK (not_sought_reason IN ('increased_risk_to_child', 'fgm', 'forced_marriage',
    'police_investigation', 'risk_to_another_person', 'undue_delay', 'other')),
  -- the person's reason for refusing or withdrawing, or the detail of why consent was not sought
  reason_text text,
  childs_view text,
  supersedes uuid REFERENCES consent_records(id),
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'not_sought' OR not_sought_reason IS NOT NULL),
  CHECK (not_sought_reason IS DISTINCT FROM 'other' OR length(trim(coalesce(reason_text, ''))) > 0),
  CHECK (status = 'not_sought' OR method IS NOT NULL)
);
CREATE INDEX consent_records_concern_idx ON consent_records (concern_id, person_id, recorded_at DESC);
CREATE UNIQUE INDEX consent_records_supersedes_once ON consent_records (supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();

-- A manager's approval to go ahead without consent, with the reasons; and whether it is safe to tell the parent
-- afterwards (when it is, a task reminds the referrer).
CREATE TABLE consent_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  concern_id uuid NOT NULL REFERENCES concerns(id),
  decision_id uuid REFERENCES decisions(id),
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  approved_by uuid NOT NULL REFERENCES users(id),
  approver_role text NOT NULL,
  approved_at timestamptz NOT NULL DEFAULT now(),
  reasons text NOT NULL CHECK (length(trim(reasons)) > 0),
  -- what the front door must be told: consent 'withheld' or 'not_sought'
  front_door_told text NOT NULL CHECK (front_door_told IN ('withheld', 'not_sought')),
  tell_parent_unsafe boolean NOT NULL,
  unsafe_reason text,
  referrer_id uuid NOT NULL REFERENCES users(id),
  task_id uuid REFERENCES tasks(id),
  CHECK (NOT tell_parent_unsafe OR length(trim(coalesce(unsafe_reason, ''))) > 0)
);
CREATE INDEX consent_approvals_concern_idx ON consent_approvals (concern_id, approved_at DESC);
CREATE TRIGGER consent_approvals_append_only BEFORE UPDATE OR DELETE ON consent_approvals
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();

-- The information-sharing log: every decision to share or not to share (seed 002, golden rule 7; seed 004 points 2, 8, 9).
CREATE TABLE sharing_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference bigserial UNIQUE,
  concern_id uuid NOT NULL REFERENCES concerns(id),
  decision_id uuid REFERENCES decisions(id),
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  share boolean NOT NULL,
  what text NOT NULL CHECK (length(trim(what)) > 0),
  recipient text NOT NULL CHECK (length(trim(recipient)) > 0),
  purpose text NOT NULL CHECK (length(trim(purpose)) > 0),
  -- UK GDPR Article 6(1) basis and Article 9(2) conditions (with the DPA 2018 Schedule 1 condition), see src/sharing/rules.ts
  article6 text CHECK (article6 IN ('6(1)(a)', '6(1)(c)', '6(1)(d)', '6(1)(e)', '6(1)(f)')),
  article9 text[] NOT NULL DEFAULT '{}' CHECK (article9 <@ ARRAY['9(2)(a)', '9(2)(b)', '9(2)(c)', '9(2)(g)', '9(2)(h)']::text[]),
  consent_status text NOT NULL CHECK (consent_status IN ('given', 'withheld', 'not_sought', 'not_obtained', 'not_applicable')),
  without_consent boolean NOT NULL,
  reasons text,
  decided_by uuid NOT NULL REFERENCES users(id),
  decided_on date NOT NULL,
  share_by date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  restricted boolean NOT NULL DEFAULT false,
  CHECK (NOT share OR (article6 IS NOT NULL AND share_by IS NOT NULL)),
  CHECK (share OR length(trim(coalesce(reasons, ''))) > 0),
  CHECK (share OR NOT without_consent)
);
CREATE INDEX sharing_decisions_concern_idx ON sharing_decisions (concern_id, recorded_at DESC);
CREATE INDEX sharing_decisions_org_idx ON sharing_decisions (organisation_id, decided_on DESC);
CREATE TRIGGER sharing_decisions_append_only BEFORE UPDATE OR DELETE ON sharing_decisions
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();

-- The manager's second signature on sharing without consent (seed 004 point 9: "signed by both"), kept apart from
-- the entry so the entry itself never changes.
CREATE TABLE sharing_countersignatures (
  sharing_id uuid PRIMARY KEY REFERENCES sharing_decisions(id),
  countersigned_by uuid NOT NULL REFERENCES users(id),
  countersigner_role text NOT NULL,
  countersigned_at timestamptz NOT NULL DEFAULT now(),
  note text
);
CREATE TRIGGER sharing_countersignatures_append_only BEFORE UPDATE OR DELETE ON sharing_countersignatures
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();

-- When the information was actually passed on, which stops the "share within one week" clock.
CREATE TABLE sharing_completions (
  sharing_id uuid PRIMARY KEY REFERENCES sharing_decisions(id),
  shared_on date NOT NULL,
  how text NOT NULL CHECK (length(trim(how)) > 0),
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER sharing_completions_append_only BEFORE UPDATE OR DELETE ON sharing_completions
  FOR EACH ROW EXECUTE FUNCTION sharing_rows_are_append_only();
