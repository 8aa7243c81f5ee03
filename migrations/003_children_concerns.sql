-- Children and the people around them, concerns, assessments, decisions, tasks, the chronology's events,
-- in-app notifications and the email outbox.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE children (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnerships(id),
  first_name text NOT NULL,
  middle_names text,
  last_name text NOT NULL,
  known_as text,
  date_of_birth date,
  expected_due_date date,
  sex text CHECK (sex IN ('female', 'male', 'not_known', 'not_stated')),
  gender text,
  ethnicity text,
  first_language text,
  religion text,
  interpreter_needed boolean NOT NULL DEFAULT false,
  communication_needs text,
  sen_status text CHECK (sen_status IN ('none', 'sen_support', 'ehcp', 'not_known')),
  disability text,
  school_or_setting text,
  nhs_number text CHECK (nhs_number ~ '^\d{10}$'),
  upn text CHECK (upn ~ '^[A-Z]\d{11}[0-9A-Z]$'),
  -- status flags
  child_protection_plan boolean NOT NULL DEFAULT false,
  child_in_need boolean NOT NULL DEFAULT false,
  looked_after boolean NOT NULL DEFAULT false,
  ehcp boolean NOT NULL DEFAULT false,
  young_carer boolean NOT NULL DEFAULT false,
  privately_fostered boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (date_of_birth IS NOT NULL OR expected_due_date IS NOT NULL OR first_name <> '')
);
CREATE INDEX children_dob_idx ON children (partnership_id, date_of_birth);
CREATE INDEX children_nhs_idx ON children (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX children_upn_idx ON children (upn) WHERE upn IS NOT NULL;

-- Every name a child is or was known by (legal, known as, alias, previous), for tolerant search.
CREATE TABLE child_names (
  id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('legal', 'known_as', 'alias', 'previous')),
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  -- lower-case "first last" for trigram matching
  full_name text GENERATED ALWAYS AS (lower(trim(first_name || ' ' || last_name))) STORED
);
CREATE INDEX child_names_child_idx ON child_names (child_id);
CREATE INDEX child_names_trgm_idx ON child_names USING gin (full_name gin_trgm_ops);
CREATE INDEX child_names_last_metaphone_idx ON child_names (dmetaphone(last_name));
CREATE INDEX child_names_first_metaphone_idx ON child_names (dmetaphone(first_name));

CREATE TABLE child_addresses (
  id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  line1 text NOT NULL,
  line2 text,
  town text,
  postcode text,
  -- postcode without spaces, upper-case, for search
  postcode_key text GENERATED ALWAYS AS (upper(replace(coalesce(postcode, ''), ' ', ''))) STORED,
  from_date date,
  to_date date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX child_addresses_child_idx ON child_addresses (child_id);
CREATE INDEX child_addresses_postcode_idx ON child_addresses (postcode_key);

-- Which organisations have a relationship with a child: only they can find and see the record
-- (until information is shared with another organisation, a later capability).
CREATE TABLE child_organisations (
  child_id uuid NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (child_id, organisation_id)
);
CREATE INDEX child_organisations_org_idx ON child_organisations (organisation_id, child_id);

-- Adults and other children around a child.
CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnerships(id),
  first_name text NOT NULL,
  last_name text NOT NULL,
  date_of_birth date,
  phone text,
  address text,
  notes text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE household_members (
  id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  -- exactly one of: an adult or another child with their own record (a sibling)
  person_id uuid REFERENCES people(id),
  related_child_id uuid REFERENCES children(id),
  relationship text NOT NULL,
  parental_responsibility boolean NOT NULL DEFAULT false,
  lives_with_child boolean NOT NULL DEFAULT true,
  significant_adult boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((person_id IS NULL) <> (related_child_id IS NULL))
);
CREATE INDEX household_members_child_idx ON household_members (child_id);
CREATE INDEX household_members_person_idx ON household_members (person_id);
CREATE INDEX household_members_related_idx ON household_members (related_child_id);

CREATE TABLE child_professionals (
  id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL,
  organisation text,
  phone text,
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE concerns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- a short human reference, e.g. C-000123
  reference bigserial UNIQUE,
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  raised_by uuid NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_triage', 'decided')),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  what_happened text NOT NULL,
  childs_words text,
  occurred_at timestamptz,
  occurred_at_text text,
  location text,
  present text,
  injuries text,
  -- abuse, neglect and exploitation types (see src/concerns/categories.ts for the CIN census codes)
  categories text[] NOT NULL DEFAULT '{}',
  immediate_danger boolean NOT NULL DEFAULT false,
  called_999 boolean,
  told_dsl_in_person boolean,
  -- set when a decision routes the concern to a restricted record (LADO)
  restricted boolean NOT NULL DEFAULT false
);
CREATE INDEX concerns_child_idx ON concerns (child_id, submitted_at DESC);
CREATE INDEX concerns_org_status_idx ON concerns (organisation_id, status, submitted_at);
CREATE INDEX concerns_raised_by_idx ON concerns (raised_by, submitted_at DESC);

-- A submitted concern is never edited in place: a correction is an amendment saying who changed what and why.
CREATE TABLE concern_amendments (
  id bigserial PRIMARY KEY,
  concern_id uuid NOT NULL REFERENCES concerns(id),
  amended_by uuid NOT NULL REFERENCES users(id),
  amended_at timestamptz NOT NULL DEFAULT now(),
  reason text NOT NULL,
  -- { field: { from, to } }
  changes jsonb NOT NULL
);
CREATE INDEX concern_amendments_concern_idx ON concern_amendments (concern_id, amended_at);

CREATE TABLE assessments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES children(id),
  concern_id uuid REFERENCES concerns(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  framework_id text NOT NULL,
  framework_version text NOT NULL,
  indicators text[] NOT NULL,
  child_age_months int,
  unborn boolean NOT NULL DEFAULT false,
  immediate_danger boolean NOT NULL DEFAULT false,
  suggested_level text NOT NULL,
  chosen_level text NOT NULL,
  agreed boolean NOT NULL,
  override_reason text,
  -- the engine's full answer, reasons and citations as shown to the assessor
  result jsonb NOT NULL,
  assessed_by uuid NOT NULL REFERENCES users(id),
  assessed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (framework_id, framework_version) REFERENCES framework_versions(framework_id, version),
  CHECK (agreed OR override_reason IS NOT NULL)
);
CREATE INDEX assessments_concern_idx ON assessments (concern_id);
CREATE INDEX assessments_child_idx ON assessments (child_id, assessed_at DESC);

CREATE TABLE decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  concern_id uuid NOT NULL REFERENCES concerns(id),
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  outcome text NOT NULL CHECK (outcome IN ('no_further_action', 'monitor', 'universal_support', 'early_help',
    'front_door_child_in_need', 'front_door_child_protection', 'police', 'lado', 'prevent', 'marac')),
  rationale text NOT NULL,
  assessment_id uuid REFERENCES assessments(id),
  decided_by uuid NOT NULL REFERENCES users(id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  restricted boolean NOT NULL DEFAULT false
);
CREATE INDEX decisions_concern_idx ON decisions (concern_id);
CREATE INDEX decisions_child_idx ON decisions (child_id, decided_at DESC);

CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES children(id),
  concern_id uuid REFERENCES concerns(id),
  decision_id uuid REFERENCES decisions(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  title text NOT NULL,
  owner_id uuid NOT NULL REFERENCES users(id),
  due_date date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  outcome text,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_by uuid REFERENCES users(id),
  completed_at timestamptz,
  restricted boolean NOT NULL DEFAULT false
);
CREATE INDEX tasks_owner_idx ON tasks (owner_id, status, due_date);
CREATE INDEX tasks_child_idx ON tasks (child_id);

-- Things that happened in a child's life or case. The chronology is a query over these.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  type text NOT NULL CHECK (type IN ('concern', 'amendment', 'assessment', 'decision', 'task', 'significant_event', 'record')),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES users(id),
  summary text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  source_type text,
  source_id text,
  significant boolean NOT NULL DEFAULT false,
  restricted boolean NOT NULL DEFAULT false
);
CREATE INDEX events_child_idx ON events (child_id, occurred_at DESC, id DESC);

CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  kind text NOT NULL,
  text text NOT NULL,
  link text
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at, created_at DESC);

-- Email waits here until a worker on any instance sends it (FOR UPDATE SKIP LOCKED), so a crash or a
-- restart loses no message and two instances never send one twice.
CREATE TABLE email_outbox (
  id bigserial PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  last_error text
);
CREATE INDEX email_outbox_pending_idx ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
