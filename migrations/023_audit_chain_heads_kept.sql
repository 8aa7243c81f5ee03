-- A chain's head says how long the chain is: deleting it (with the chain's entries) would hide the deletion from
-- `audit verify`, which now also walks every chain number. Heads are only ever updated as entries are appended.
CREATE TRIGGER audit_chain_heads_no_delete BEFORE DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
