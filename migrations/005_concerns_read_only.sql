-- A submitted concern is read-only: what was recorded can change only through an amendment, which keeps
-- the original (concern_amendments). The amending transaction announces itself with
-- set_config('continuum.amending', 'on', true); status, routing and triage columns stay writable.
CREATE FUNCTION concerns_record_is_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.child_id, NEW.organisation_id, NEW.raised_by, NEW.reference, NEW.submitted_at, NEW.immediate_danger,
      NEW.called_999, NEW.told_dsl_in_person, NEW.occurred_at, NEW.categories)
     IS DISTINCT FROM
     (OLD.child_id, OLD.organisation_id, OLD.raised_by, OLD.reference, OLD.submitted_at, OLD.immediate_danger,
      OLD.called_999, OLD.told_dsl_in_person, OLD.occurred_at, OLD.categories) THEN
    RAISE EXCEPTION 'a submitted concern cannot be changed in place';
  END IF;
  IF (NEW.what_happened, NEW.childs_words, NEW.occurred_at_text, NEW.location, NEW.present, NEW.injuries)
     IS DISTINCT FROM
     (OLD.what_happened, OLD.childs_words, OLD.occurred_at_text, OLD.location, OLD.present, OLD.injuries)
     AND coalesce(current_setting('continuum.amending', true), '') <> 'on' THEN
    RAISE EXCEPTION 'a submitted concern is changed only by an amendment';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER concerns_read_only BEFORE UPDATE ON concerns FOR EACH ROW EXECUTE FUNCTION concerns_record_is_read_only();

CREATE FUNCTION concern_amendments_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'concern_amendments is append-only';
END $$;
CREATE TRIGGER concern_amendments_no_update BEFORE UPDATE OR DELETE ON concern_amendments
  FOR EACH ROW EXECUTE FUNCTION concern_amendments_are_append_only();

-- Unread notifications are counted on every page.
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
