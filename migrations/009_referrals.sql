-- Referrals to the front door, recorded on both sides: what was sent (an immutable snapshot), then the
-- acknowledgement, decision and feedback as they arrive, and any escalation if the referrer disagrees.
CREATE TABLE referrals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- a short human reference, e.g. R-000123
  reference bigserial UNIQUE,
  partnership_id uuid NOT NULL REFERENCES partnerships(id),
  referring_organisation_id uuid NOT NULL REFERENCES organisations(id),
  receiving_organisation_id uuid NOT NULL REFERENCES organisations(id),
  child_id uuid NOT NULL REFERENCES children(id),
  concern_id uuid REFERENCES concerns(id),
  decision_id uuid REFERENCES decisions(id),
  kind text NOT NULL CHECK (kind IN ('child_in_need', 'significant_harm')),
  method text NOT NULL CHECK (method IN ('online', 'telephone')),
  -- a telephone referral: who at the front door was spoken to, and when
  telephoned_to text,
  telephoned_at timestamptz,
  -- professionals are never anonymous; a member of the public may ask for anonymity and that is recorded
  referrer_type text NOT NULL DEFAULT 'professional' CHECK (referrer_type IN ('professional', 'public')),
  anonymity_requested boolean NOT NULL DEFAULT false,
  -- what was sent, exactly as sent, and the items it lacked
  content jsonb NOT NULL,
  missing jsonb NOT NULL DEFAULT '[]'::jsonb,
  sent_by uuid REFERENCES users(id),
  sent_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'acknowledged', 'decided', 'feedback_given', 'closed')),
  written_confirmation_sent_at timestamptz,
  CHECK (referrer_type = 'public' OR NOT anonymity_requested),
  CHECK (method <> 'telephone' OR (telephoned_to IS NOT NULL AND telephoned_at IS NOT NULL))
);
CREATE INDEX referrals_receiving_idx ON referrals (receiving_organisation_id, sent_at DESC);
CREATE INDEX referrals_referring_idx ON referrals (referring_organisation_id, sent_at DESC);
CREATE INDEX referrals_concern_idx ON referrals (concern_id);
CREATE INDEX referrals_child_idx ON referrals (child_id);

-- What was sent never changes: only the status and the written confirmation move on.
CREATE FUNCTION referrals_content_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'referrals are never deleted';
  END IF;
  IF NEW.content IS DISTINCT FROM OLD.content OR NEW.missing IS DISTINCT FROM OLD.missing OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.method IS DISTINCT FROM OLD.method OR NEW.sent_at IS DISTINCT FROM OLD.sent_at OR NEW.sent_by IS DISTINCT FROM OLD.sent_by
     OR NEW.child_id IS DISTINCT FROM OLD.child_id OR NEW.referring_organisation_id IS DISTINCT FROM OLD.referring_organisation_id
     OR NEW.receiving_organisation_id IS DISTINCT FROM OLD.receiving_organisation_id THEN
    RAISE EXCEPTION 'what was sent in a referral cannot be changed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER referrals_immutable BEFORE UPDATE OR DELETE ON referrals FOR EACH ROW EXECUTE FUNCTION referrals_content_is_immutable();

-- Each thing that happens to a referral after it is sent, as it arrives. Append-only.
CREATE TABLE referral_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id uuid NOT NULL REFERENCES referrals(id),
  kind text NOT NULL CHECK (kind IN ('acknowledgement', 'decision', 'feedback', 'written_confirmation')),
  -- decision: the threshold level and the outcome, with the rationale
  level text,
  outcome text,
  rationale text,
  -- feedback and notes
  text text,
  recorded_by uuid NOT NULL REFERENCES users(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'decision' OR (level IS NOT NULL AND outcome IS NOT NULL AND rationale IS NOT NULL)),
  CHECK (kind <> 'feedback' OR text IS NOT NULL)
);
CREATE INDEX referral_updates_referral_idx ON referral_updates (referral_id, recorded_at);

CREATE FUNCTION referral_rows_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: record a new entry instead', TG_TABLE_NAME;
END $$;
CREATE TRIGGER referral_updates_append_only BEFORE UPDATE OR DELETE ON referral_updates
  FOR EACH ROW EXECUTE FUNCTION referral_rows_are_append_only();

-- Resolving a professional difference about a referral's outcome: four stages, 5 working days each.
CREATE TABLE referral_escalations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id uuid NOT NULL REFERENCES referrals(id),
  raised_by uuid NOT NULL REFERENCES users(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  raised_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_escalations_referral_idx ON referral_escalations (referral_id, raised_at);

CREATE TABLE referral_escalation_stages (
  id bigserial PRIMARY KEY,
  escalation_id uuid NOT NULL REFERENCES referral_escalations(id),
  stage int NOT NULL CHECK (stage BETWEEN 1 AND 4),
  reason text NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- the response is due by this instant (from the stage's clock)
  due_at timestamptz,
  UNIQUE (escalation_id, stage)
);
CREATE TRIGGER referral_escalations_append_only BEFORE UPDATE OR DELETE ON referral_escalations
  FOR EACH ROW EXECUTE FUNCTION referral_rows_are_append_only();
CREATE TRIGGER referral_escalation_stages_append_only BEFORE UPDATE OR DELETE ON referral_escalation_stages
  FOR EACH ROW EXECUTE FUNCTION referral_rows_are_append_only();

-- The response at a stage, from either side; a response may resolve the disagreement (no further stages).
CREATE TABLE referral_escalation_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  escalation_id uuid NOT NULL REFERENCES referral_escalations(id),
  stage int NOT NULL CHECK (stage BETWEEN 1 AND 4),
  response text NOT NULL,
  resolved boolean NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_escalation_responses_idx ON referral_escalation_responses (escalation_id, recorded_at);
CREATE TRIGGER referral_escalation_responses_append_only BEFORE UPDATE OR DELETE ON referral_escalation_responses
  FOR EACH ROW EXECUTE FUNCTION referral_rows_are_append_only();
