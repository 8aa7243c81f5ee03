-- Foundation: partnerships, organisations, users, sessions, sign-in throttling, drafts and the audit log.

CREATE TABLE partnerships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  -- the threshold framework this partnership publishes (src/thresholds/frameworks/<id>.yaml)
  framework_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partnership_id uuid NOT NULL REFERENCES partnerships(id),
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('school', 'early_years', 'health', 'police', 'housing', 'voluntary', 'front_door', 'other')),
  -- DfE Children in Need census referral source code (1A-10)
  cin_referral_source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (partnership_id, name)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('practitioner', 'dsl', 'deputy_dsl', 'front_door_worker', 'front_door_manager',
                                     'line_manager', 'workforce_admin', 'auditor', 'system_admin')),
  password_hash text NOT NULL,
  totp_secret text,
  totp_enrolled_at timestamptz,
  -- the last accepted TOTP time step, so a code cannot be replayed
  totp_last_step bigint,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE recovery_codes (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

CREATE TABLE sessions (
  -- sha-256 of the cookie's token: a stolen table does not yield usable cookies
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  second_factor_at timestamptz,
  revoked_at timestamptz,
  ip text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE sign_in_failures (
  id bigserial PRIMARY KEY,
  email_lower text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email_lower, at);
CREATE INDEX sign_in_failures_ip_idx ON sign_in_failures (ip, at);

-- What a user typed into a form and has not yet submitted: kept server-side so that a timeout,
-- a closed tab or a crash never loses it.
CREATE TABLE drafts (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  form_key text NOT NULL,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, form_key)
);

-- Audit: several independent hash chains ("shards"). A writer locks one shard's head for the rest of its
-- transaction, so concurrent writers proceed on different shards instead of queueing behind one lock.
CREATE TABLE audit_chain_heads (
  shard int PRIMARY KEY,
  last_seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL
);
INSERT INTO audit_chain_heads (shard, last_hash)
  SELECT s, repeat('0', 64) FROM generate_series(0, 15) AS s;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  shard int NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  user_id uuid,
  user_role text,
  organisation_id uuid,
  action text NOT NULL,
  record_type text,
  record_id text,
  ip text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (shard, seq)
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_record_idx ON audit_log (record_type, record_id, at DESC);

-- Append-only: ordinary roles cannot change or remove an entry. (A superuser can; verify detects it.)
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- A TOTP secret being enrolled, kept with the session until the user proves they have it.
ALTER TABLE sessions ADD COLUMN pending_totp_secret text;
