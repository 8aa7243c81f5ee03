// The audit log: who read or changed what, when and from where. Each entry joins one of several hash
// chains; altering or deleting any entry breaks its chain, which `continuum audit verify` detects.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Batcher, batcherPer } from '../db/batch.ts';
import { afterRead, beforeCommit, transactionScope, type Db, type Queryable, type Tx } from '../db/pool.ts';

const GENESIS_HASH = '0'.repeat(64);

/** Who is acting and through which request. Anonymous actors (sign-in attempts, public pages) have no user. */
export interface AuditContext {
  userId: string | null;
  role: string | null;
  organisationId: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEvent {
  /** verb-like name, e.g. "auth.sign-in", "child.view", "audit.list" */
  action: string;
  recordType?: string | null;
  recordId?: string | null;
  /** Small, non-personal facts about the action (ids, counts, outcomes) — never names or narrative. */
  details?: Record<string, string | number | boolean | null | readonly string[]>;
}

interface HashedFields {
  shard: number;
  seq: number;
  at: string;
  userId: string | null;
  role: string | null;
  organisationId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, f: HashedFields): string {
  const body = canonical([f.shard, f.seq, f.at, f.userId, f.role, f.organisationId, f.action, f.recordType, f.recordId, f.ip, f.requestId, f.details]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

// Each connection appends to one chain of its own, claimed with a session advisory lock the first time it
// appends: no two connections — in this process or any other instance — wait on the same chain's head, which
// is held until commit (with 16 chains picked at random, ten connections almost always had two sharing one).
// Once every chain is claimed, further connections share one at random. A transaction keeps to its
// connection's chain, so it never holds two head locks.
export const AUDIT_SHARDS = 64;
const SHARD_LOCK_CLASS = 74_201_002;
const shardOfConnection = new WeakMap<object, number>();

async function shardFor(tx: Tx): Promise<number> {
  let shard = shardOfConnection.get(tx);
  if (shard === undefined) {
    const start = Math.floor(Math.random() * AUDIT_SHARDS);
    const { rows } = await tx.query<{ shard: number }>(
      `SELECT s AS shard FROM (SELECT (g + $2) % $1 AS s FROM generate_series(0, $1 - 1) g) c
        WHERE pg_try_advisory_lock(${SHARD_LOCK_CLASS}, s) LIMIT 1`,
      [AUDIT_SHARDS, start],
    );
    shard = rows[0]?.shard ?? start;
    shardOfConnection.set(tx, shard);
  }
  return shard;
}

interface PendingEntry {
  ctx: AuditContext;
  event: AuditEvent;
  at: string;
}
const PENDING = Symbol('audit entries waiting for commit');

/**
 * Record an entry inside the caller's transaction, so the entry exists exactly when the action does.
 * Within withTransaction the entries are appended just before COMMIT, so the chain's head is locked only
 * for the last moments of the transaction rather than for all of it. Within withReadScope they join the
 * next batch of read entries (see readAuditBatcher), written before the read is answered.
 */
export async function recordAudit(tx: Tx, ctx: AuditContext, event: AuditEvent): Promise<void> {
  const entry: PendingEntry = { ctx, event, at: new Date().toISOString() };
  const scope = transactionScope(tx);
  if (!scope) return appendEntries(tx, [entry]);
  let pending = scope.state.get(PENDING) as PendingEntry[] | undefined;
  if (!pending) {
    pending = [];
    scope.state.set(PENDING, pending);
    if (!beforeCommit(tx, appendRecordedAudit)) {
      afterRead(tx, (db) => (pending!.length ? readAuditBatcher(db).add(pending!) : Promise.resolve()));
    }
  }
  pending.push(entry);
}

/**
 * Within withTransaction: append the entries recorded so far now rather than just before COMMIT, so a caller
 * can send them together with its last statements (the connection pipelines them) and save a round trip.
 */
export async function appendRecordedAudit(tx: Tx): Promise<void> {
  const scope = transactionScope(tx);
  const pending = scope?.state.get(PENDING) as PendingEntry[] | undefined;
  scope?.state.delete(PENDING);
  if (pending?.length) await appendEntries(tx, pending);
}

/**
 * Group commit for the entries of reads (platform/db/batch.ts): while a batch is being written, the entries
 * of reads that finish meanwhile wait and then go together in one transaction. Each read waits for its own
 * batch to commit, and one read's bad entry fails only that read.
 */
const readAuditBatcher = batcherPer((db: Db) => new Batcher<PendingEntry[], void>(
  async (batches) => {
    // One statement is its own transaction: no BEGIN and COMMIT round trips around it.
    const client = await db.connect();
    try {
      await appendEntries(client, batches.flat());
    } finally {
      client.release();
    }
    return batches.map(() => undefined);
  },
  { maxWriting: 2, maxBatch: 500, size: (entries) => entries.length },
));

/**
 * The hashed body of an entry — canonical([shard, seq, at, …]) — as the text before and after the sequence
 * number, which only the chain's head knows. audit_append (migrations/012) puts them together, so
 * before + seq + after is exactly what entryHash hashes.
 */
export function bodyAroundSeq(f: Omit<HashedFields, 'seq'>): { bodyBefore: string; bodyAfter: string } {
  const rest = [f.at, f.userId, f.role, f.organisationId, f.action, f.recordType, f.recordId, f.ip, f.requestId, f.details];
  return { bodyBefore: `[${canonical(f.shard)},`, bodyAfter: `,${rest.map(canonical).join(',')}]` };
}

/**
 * Claim this connection's chain now (a round trip the first time only), so that a later append sends its
 * statement at once, in order with whatever is sent after it (see sendCommit).
 */
export async function claimAuditChain(tx: Tx): Promise<void> {
  await shardFor(tx);
}

/** Append entries to one chain in a single round trip; the database locks the head and chains the hashes. */
async function appendEntries(tx: Tx, entries: PendingEntry[]): Promise<void> {
  // Without an await when the chain is known: the statement is sent before this returns.
  const shard = shardOfConnection.get(tx) ?? await shardFor(tx);
  const rows = entries.map(({ ctx, event, at }) => {
    const fields = {
      shard, at,
      userId: ctx.userId, role: ctx.role, organisationId: ctx.organisationId,
      action: event.action, recordType: event.recordType ?? null, recordId: event.recordId ?? null,
      ip: ctx.ip, requestId: ctx.requestId, details: event.details ?? {},
    };
    return { ...fields, ...bodyAroundSeq(fields) };
  });
  await tx.query('SELECT audit_append($1, $2::jsonb)', [shard, JSON.stringify(rows)]);
}

export interface VerifyResult {
  entriesChecked: number;
  broken: { id: number | null; shard: number; seq: number; problem: string } | null;
}

interface AuditRow {
  id: number;
  shard: number;
  seq: number;
  at: Date;
  user_id: string | null;
  user_role: string | null;
  organisation_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/**
 * Walk every chain from its start; report the earliest broken entry (lowest id) if any. Given the pool, it reads
 * the heads and the entries in one snapshot, so entries appended while it runs (the service may be running) are
 * not mistaken for missing ones.
 */
export async function verifyAudit(db: Queryable, batchSize = 5000): Promise<VerifyResult> {
  if (!(db instanceof pg.Pool)) return verifyChains(db, batchSize);
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return await verifyChains(client, batchSize);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

async function verifyChains(db: Queryable, batchSize: number): Promise<VerifyResult> {
  let checked = 0;
  const problems: NonNullable<VerifyResult['broken']>[] = [];
  const { rows: headRows } = await db.query<{ shard: number; last_seq: number; last_hash: string }>(
    'SELECT shard, last_seq, last_hash FROM audit_chain_heads ORDER BY shard',
  );
  // Every chain has a head from the start (migrations 001 and 015): one that is gone was deleted with its chain.
  const byShard = new Map(headRows.map((h) => [h.shard, h]));
  for (let shard = 0; shard < AUDIT_SHARDS; shard += 1) {
    if (!byShard.has(shard)) problems.push({ id: null, shard, seq: 1, problem: `chain ${shard}'s head is missing (the chain was removed)` });
  }
  for (const head of headRows) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let problem: NonNullable<VerifyResult['broken']> | null = null;
    for (;;) {
      const { rows } = await db.query<AuditRow>(
        'SELECT * FROM audit_log WHERE shard = $1 AND seq >= $2 ORDER BY seq LIMIT $3',
        [head.shard, expectedSeq, batchSize],
      );
      for (const r of rows) {
        checked += 1;
        if (problem) continue;
        const fields: HashedFields = {
          shard: r.shard, seq: Number(r.seq), at: new Date(r.at).toISOString(), userId: r.user_id, role: r.user_role,
          organisationId: r.organisation_id, action: r.action, recordType: r.record_type, recordId: r.record_id,
          ip: r.ip, requestId: r.request_id, details: r.details,
        };
        if (Number(r.seq) !== expectedSeq) {
          problem = { id: Number(r.id), shard: r.shard, seq: Number(r.seq), problem: `entry before it (chain ${r.shard} position ${expectedSeq}) is missing` };
        } else if (r.prev_hash !== prevHash) {
          problem = { id: Number(r.id), shard: r.shard, seq: Number(r.seq), problem: 'does not follow the entry before it' };
        } else if (entryHash(prevHash, fields) !== r.hash) {
          problem = { id: Number(r.id), shard: r.shard, seq: Number(r.seq), problem: 'content does not match its hash (altered)' };
        }
        prevHash = r.hash;
        expectedSeq = Number(r.seq) + 1;
      }
      if (rows.length < batchSize) break;
    }
    if (!problem && (expectedSeq - 1 !== Number(head.last_seq) || prevHash !== head.last_hash)) {
      problem = { id: null, shard: head.shard, seq: expectedSeq, problem: `the chain's last ${Number(head.last_seq) - expectedSeq + 1} entries are missing` };
    }
    if (problem) problems.push(problem);
  }
  problems.sort((a, b) => (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER));
  return { entriesChecked: checked, broken: problems[0] ?? null };
}

export interface AuditFilter {
  userId?: string;
  action?: string;
  recordType?: string;
  recordId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: Queryable, f: AuditFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.userId) add('a.user_id = ?', f.userId);
  if (f.action) add('a.action LIKE ?', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.recordType) add('a.record_type = ?', f.recordType);
  if (f.recordId) add('a.record_id = ?', f.recordId);
  // Days are England's (midnight in London), whatever the database server's time zone: an entry at 00:30 BST
  // on 1 July belongs to 1 July, as the page shows it, not to the UTC day before.
  if (f.from) add("a.at >= (?::date::timestamp AT TIME ZONE 'Europe/London')", f.from);
  if (f.to) add("a.at < ((?::date + 1)::timestamp AT TIME ZONE 'Europe/London')", f.to);
  params.push(f.limit + 1, f.offset);
  const { rows } = await db.query(
    `SELECT a.id, a.at, a.action, a.record_type, a.record_id, a.user_role, a.ip, a.request_id, a.details,
            u.name AS user_name, u.email AS user_email, o.name AS organisation_name
       FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN organisations o ON o.id = a.organisation_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.at DESC, a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { rows: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}
