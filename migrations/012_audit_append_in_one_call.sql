-- Appending to the audit log in one call: lock the chain's head, chain each entry's hash, write the
-- entries and move the head, all in the database. The caller sends each entry with its hashed body split
-- around the sequence number (which only the head knows), so the hash is exactly the one
-- `continuum audit verify` recomputes: sha256(previous hash || "\n" || body), in hex.
CREATE FUNCTION audit_append(p_shard int, p_entries jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_hash text;
  v_next text;
  e jsonb;
BEGIN
  SELECT last_seq, last_hash INTO v_seq, v_hash FROM audit_chain_heads WHERE shard = p_shard FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit shard % is missing', p_shard;
  END IF;
  FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
    v_seq := v_seq + 1;
    v_next := encode(sha256(convert_to(v_hash || E'\n' || (e->>'bodyBefore') || v_seq::text || (e->>'bodyAfter'), 'UTF8')), 'hex');
    INSERT INTO audit_log (shard, seq, at, user_id, user_role, organisation_id, action, record_type, record_id,
                           ip, request_id, details, prev_hash, hash)
    VALUES (p_shard, v_seq, (e->>'at')::timestamptz, (e->>'userId')::uuid, e->>'role', (e->>'organisationId')::uuid,
            e->>'action', e->>'recordType', e->>'recordId', e->>'ip', e->>'requestId', e->'details', v_hash, v_next);
    v_hash := v_next;
  END LOOP;
  UPDATE audit_chain_heads SET last_seq = v_seq, last_hash = v_hash WHERE shard = p_shard;
END $$;
