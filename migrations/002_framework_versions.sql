-- Threshold frameworks as versioned data. A version, once loaded, is never changed: assessments pin it.
CREATE TABLE framework_versions (
  framework_id text NOT NULL,
  version text NOT NULL,
  name text NOT NULL,
  content jsonb NOT NULL,
  -- sha-256 of the canonical content, so reloading identical content is recognised
  content_hash text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  loaded_by uuid REFERENCES users(id),
  source text NOT NULL,
  PRIMARY KEY (framework_id, version)
);
CREATE INDEX framework_versions_latest_idx ON framework_versions (framework_id, loaded_at DESC);
