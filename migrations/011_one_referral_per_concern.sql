-- One referral per concern. A concern is referred to the front door once; what follows (acknowledgement, decision,
-- feedback, written confirmation, escalation) happens on that referral. Contacts from the public have no concern and
-- are not limited. A referral is never withdrawn or cancelled (its statuses are sent, acknowledged, decided,
-- feedback_given and closed), so every referral sent from a concern counts; a status that ends a referral without
-- an answer would have to be left out of the index below.
--
-- A database that already holds a concern referred more than once keeps every referral (they are never deleted or
-- changed): the later ones are marked as repeats of the first, which alone is the concern's referral.
ALTER TABLE referrals ADD COLUMN repeat_of uuid REFERENCES referrals(id);

UPDATE referrals r SET repeat_of = first.id
  FROM (SELECT DISTINCT ON (concern_id) concern_id, id FROM referrals
         WHERE concern_id IS NOT NULL ORDER BY concern_id, sent_at, reference) first
 WHERE r.concern_id = first.concern_id AND r.id <> first.id;

CREATE UNIQUE INDEX referrals_one_per_concern ON referrals (concern_id) WHERE concern_id IS NOT NULL AND repeat_of IS NULL;

-- repeat_of only records the past: a new referral is never a repeat, and no referral becomes one later.
CREATE FUNCTION referrals_repeat_of_is_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' AND NEW.repeat_of IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.repeat_of IS DISTINCT FROM OLD.repeat_of) THEN
    RAISE EXCEPTION 'a concern is referred once: a referral cannot be marked as a repeat';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER referrals_repeat_of_history BEFORE INSERT OR UPDATE ON referrals
  FOR EACH ROW EXECUTE FUNCTION referrals_repeat_of_is_history();
