-- The organisation's allegations (decisions routed to the LADO), newest first, for the DSL and the workforce
-- administrator (/allegations). Few rows against all of an organisation's decisions, so a partial index.
CREATE INDEX decisions_lado_idx ON decisions (organisation_id, decided_at DESC) WHERE outcome = 'lado';
