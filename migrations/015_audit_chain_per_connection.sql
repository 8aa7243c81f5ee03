-- 64 audit chains instead of 16: each database connection now claims a chain of its own (see
-- src/platform/audit/audit.ts), so there are enough for several instances' pools before any are shared.
INSERT INTO audit_chain_heads (shard, last_hash)
  SELECT s, repeat('0', 64) FROM generate_series(16, 63) AS s
  ON CONFLICT (shard) DO NOTHING;
