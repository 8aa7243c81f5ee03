import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, mock, test } from 'node:test';
import { listAudit, recordAudit, verifyAudit } from '../../src/platform/audit/audit.ts';
import { createPool, withReadScope, withTransaction } from '../../src/platform/db/pool.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const ctx = { userId: null, role: null, organisationId: null, ip: '127.0.0.1', requestId: 'test' };

/** Tampering needs the append-only triggers out of the way, as an attacker with superuser rights would. */
async function tamper(sql: string, params: unknown[] = []) {
  await withTransaction(t.db, async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await tx.query(sql, params);
  });
}

async function cli(...args: string[]) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'cli/continuum.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('audit log', () => {
  test('sign-in and page reads are recorded with who, role, organisation, IP and request id', async () => {
    const auditor = await createUser(t.db, 'auditor', { enrolTotp: true });
    const c = new Client(t.app);
    await c.signIn(auditor);
    const page = await c.get('/audit?action=auth.sign-in');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /auth\.sign-in/);
    const { rows } = await t.db.query(
      "SELECT action, user_role, organisation_id, ip, request_id FROM audit_log WHERE user_id = $1 ORDER BY id", [auditor.id]);
    assert.deepEqual(rows.map((r) => r.action), ['auth.password.accepted', 'auth.sign-in', 'audit.list']);
    assert.equal(rows[2].user_role, 'auditor');
    assert.equal(rows[2].organisation_id, auditor.organisationId);
    assert.equal(rows[2].ip, '127.0.0.1');
    assert.match(rows[2].request_id, /^[0-9a-f-]{36}$/);
  });

  test('the auditor page filters by date and rejects an impossible date with a clear message', async () => {
    const auditor = await createUser(t.db, 'auditor', { enrolTotp: true });
    const c = new Client(t.app);
    await c.signIn(auditor);
    const bad = await c.get('/audit?from=2026-02-30');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter a real date|Enter a date/);
    const none = await c.get('/audit?to=2000-01-01');
    assert.match(none.body, /No entries match/);
  });

  test("the date filter uses England's days, whatever the database server's time zone", async () => {
    // 23:30 UTC on 30 June and on 1 July are 00:30 BST on 1 and 2 July.
    for (const at of ['2026-06-30T23:30:00Z', '2026-07-01T23:30:00Z']) {
      mock.timers.enable({ apis: ['Date'], now: new Date(at) });
      try {
        await withTransaction(t.db, (tx) => recordAudit(tx, ctx, { action: 'test.london-day', details: { at } }));
      } finally {
        mock.timers.reset();
      }
    }
    for (const zone of ['UTC', 'America/New_York', 'Europe/London']) {
      const ats = (from: string, to: string) => withTransaction(t.db, async (tx) => {
        await tx.query(`SET LOCAL TimeZone = '${zone}'`);
        const { rows } = await listAudit(tx, { action: 'test.london-day', from, to, limit: 10, offset: 0 });
        return rows.map((r) => (r.details as { at: string }).at).sort();
      });
      assert.deepEqual(await ats('2026-07-01', '2026-07-01'), ['2026-06-30T23:30:00Z'], `1 July in ${zone}`);
      assert.deepEqual(await ats('2026-06-30', '2026-06-30'), [], `30 June in ${zone}`);
      assert.deepEqual(await ats('2026-07-01', '2026-07-02'), ['2026-06-30T23:30:00Z', '2026-07-01T23:30:00Z'], `1–2 July in ${zone}`);
    }
  });

  test('entries cannot be updated or deleted through ordinary SQL', async () => {
    await assert.rejects(t.db.query("UPDATE audit_log SET action = 'x'"), /append-only/);
    await assert.rejects(t.db.query('DELETE FROM audit_log'), /append-only/);
  });

  test('many concurrent writers keep every chain intact', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => withTransaction(t.db, async (tx) => {
      for (let j = 0; j < 5; j += 1) await recordAudit(tx, ctx, { action: 'test.concurrent', details: { i, j } });
    })));
    const result = await verifyAudit(t.db);
    assert.equal(result.broken, null);
    const { rows } = await t.db.query("SELECT count(*)::int AS n, count(DISTINCT shard)::int AS shards FROM audit_log WHERE action = 'test.concurrent'");
    assert.equal(rows[0].n, 200);
    assert.ok(rows[0].shards > 1, 'writers spread over several chains');
  });

  test('each connection, in any instance, appends to a chain of its own, so no append waits for another', async () => {
    // Two pools stand for two instances. All six connections hold their chain's head lock at once: two on one
    // chain would wait, and the lock timeout would fail the test.
    const pools = [createPool(t.url, 3), createPool(t.url, 3)];
    try {
      const clients = (await Promise.all(pools.map((p) => Promise.all([p.connect(), p.connect(), p.connect()])))).flat();
      for (const [i, client] of clients.entries()) {
        await client.query('BEGIN');
        await client.query("SET LOCAL lock_timeout = '2s'");
        await recordAudit(client, { ...ctx, requestId: `own-chain-${i}` }, { action: 'test.own-chain', details: { i } });
      }
      for (const client of clients) {
        await client.query('COMMIT');
        client.release();
      }
      const { rows } = await t.db.query("SELECT count(DISTINCT shard)::int AS shards FROM audit_log WHERE action = 'test.own-chain'");
      assert.equal(rows[0].shards, 6);
      assert.equal((await verifyAudit(t.db)).broken, null);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('hashes chained in the database match the ones verify recomputes, whatever the text', async () => {
    const awkward = ['quotes " and \\ backslash', 'accents: Zoë, Siân, Łukasz', 'emoji 🧒🏽', 'newline\nand tab\t', '<script>', ''];
    const userCtx = { ...ctx, requestId: 'ünïcode-request', ip: '::1' };
    await withTransaction(t.db, async (tx) => {
      for (const text of awkward) await recordAudit(tx, userCtx, { action: 'test.awkward', recordType: 'child', recordId: text, details: { text, n: 1.5, ok: true, none: null } });
    });
    const { rows } = await t.db.query("SELECT record_id, details FROM audit_log WHERE action = 'test.awkward' ORDER BY shard, seq");
    assert.deepEqual(rows.map((r) => r.record_id), awkward);
    assert.equal(rows[2].details.text, 'emoji 🧒🏽');
    assert.equal((await verifyAudit(t.db)).broken, null);
  });

  test('reads are audited in shared batches, and each read waits for its own entry', async () => {
    const before = (await t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.read'")).rows[0].n;
    const reads = await Promise.all(Array.from({ length: 30 }, (_, i) => withReadScope(t.db, async (tx) => {
      const { rows } = await tx.query<{ n: number }>('SELECT $1::int AS n', [i]);
      await recordAudit(tx, { ...ctx, requestId: `read-${i}` }, { action: 'test.read', details: { i } });
      return rows[0]!.n;
    }).then(async (n) => {
      // By the time a read answers, its entry is committed and visible to anyone.
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM audit_log WHERE request_id = $1', [`read-${n}`]);
      return rows[0].n;
    })));
    assert.deepEqual(reads, Array(30).fill(1));
    const after = (await t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.read'")).rows[0];
    assert.equal(after.n - before, 30);
    assert.equal((await verifyAudit(t.db)).broken, null);
  });

  test("one read's entry that cannot be written fails that read alone, not the others in its batch", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => withReadScope(t.db, async (tx) => {
      // PostgreSQL's jsonb refuses the NUL character, so entry 5 cannot be written.
      await recordAudit(tx, { ...ctx, requestId: `batch-${i}` }, { action: 'test.batch', details: { text: i === 5 ? 'bad \u0000 text' : 'fine' } });
      return i;
    })));
    assert.deepEqual(outcomes.map((o) => o.status), outcomes.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    const { rows } = await t.db.query("SELECT request_id FROM audit_log WHERE action = 'test.batch' ORDER BY request_id");
    assert.deepEqual(rows.map((r) => r.request_id).sort(), Array.from({ length: 12 }, (_, i) => `batch-${i}`).filter((id) => id !== 'batch-5').sort());
    assert.equal((await verifyAudit(t.db)).broken, null);
  });

  test('a read that fails writes no entry', async () => {
    await assert.rejects(withReadScope(t.db, async (tx) => {
      await recordAudit(tx, ctx, { action: 'test.failed-read' });
      throw new Error('the read failed');
    }), /the read failed/);
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.failed-read'");
    assert.equal(rows[0].n, 0);
  });

  test('a rolled-back transaction leaves no entry and no gap', async () => {
    await assert.rejects(withTransaction(t.db, async (tx) => {
      await recordAudit(tx, ctx, { action: 'test.rolled-back' });
      throw new Error('abandon');
    }));
    assert.equal((await verifyAudit(t.db)).broken, null);
  });

  test('verify (command line) passes on an intact log and names the first altered, deleted or truncated entry', async () => {
    for (let i = 0; i < 20; i += 1) await withTransaction(t.db, (tx) => recordAudit(tx, ctx, { action: 'test.cli', details: { i } }));
    const ok = await cli('audit', 'verify');
    assert.equal(ok.code, 0, ok.stderr);
    const total = (await t.db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    assert.match(ok.stdout, new RegExp(`Checked ${total} audit entries`));

    const victims = (await t.db.query("SELECT id, shard, seq FROM audit_log WHERE action = 'test.cli' ORDER BY id LIMIT 3")).rows;
    // 1. altered content
    await tamper("UPDATE audit_log SET details = '{\"i\": 99}' WHERE id = $1", [victims[0].id]);
    let bad = await cli('audit', 'verify');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`entry ${victims[0].id} .*altered`));
    const direct = await verifyAudit(t.db);
    assert.equal(direct.broken?.id, victims[0].id);
    await tamper('UPDATE audit_log SET details = $2 WHERE id = $1', [victims[0].id, JSON.stringify({ i: 0 })]);
    assert.equal((await verifyAudit(t.db)).broken, null, 'restoring the row restores the chain');

    // 2. a deleted entry in the middle of a chain: the next entry in that chain is named
    const mid = (await t.db.query(
      'SELECT a.id, a.shard, a.seq FROM audit_log a WHERE EXISTS (SELECT 1 FROM audit_log b WHERE b.shard = a.shard AND b.seq = a.seq + 1) ORDER BY a.id LIMIT 1')).rows[0];
    const next = (await t.db.query('SELECT id FROM audit_log WHERE shard = $1 AND seq = $2', [mid.shard, mid.seq + 1])).rows[0];
    await tamper('DELETE FROM audit_log WHERE id = $1', [mid.id]);
    bad = await cli('audit', 'verify');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`entry ${next.id} `));
    assert.match(bad.stderr, /missing/);
  });

  test('a whole chain deleted with its head is detected, and a head cannot be deleted without disabling the triggers', async () => {
    const fresh = await createTestApp();
    try {
      await withTransaction(fresh.db, (tx) => recordAudit(tx, ctx, { action: 'test.chain' }));
      const { shard } = (await fresh.db.query('SELECT shard FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0];
      await assert.rejects(fresh.db.query('DELETE FROM audit_chain_heads WHERE shard = $1', [shard]), /append-only/);
      await withTransaction(fresh.db, async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM audit_log WHERE shard = $1', [shard]);
        await tx.query('DELETE FROM audit_chain_heads WHERE shard = $1', [shard]);
      });
      const result = await verifyAudit(fresh.db);
      assert.equal(result.broken?.shard, shard);
      assert.match(result.broken!.problem, /head is missing/);
    } finally {
      await fresh.close();
    }
  });

  test('verify run while entries are being appended reports nothing broken', async () => {
    const fresh = await createTestApp();
    let writing = true;
    const writer = (async () => {
      while (writing) await withTransaction(fresh.db, (tx) => recordAudit(tx, ctx, { action: 'test.during-verify' }));
    })();
    try {
      for (let i = 0; i < 5; i += 1) assert.equal((await verifyAudit(fresh.db, 50)).broken, null);
    } finally {
      writing = false;
      await writer;
      await fresh.close();
    }
  });

  test('deleting the newest entries of a chain is detected', async () => {
    const fresh = await createTestApp();
    try {
      for (let i = 0; i < 5; i += 1) await withTransaction(fresh.db, (tx) => recordAudit(tx, ctx, { action: 'test.tail' }));
      const last = (await fresh.db.query('SELECT id, shard FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0];
      await withTransaction(fresh.db, async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM audit_log WHERE id = $1', [last.id]);
      });
      const result = await verifyAudit(fresh.db);
      assert.equal(result.broken?.shard, last.shard);
      assert.match(result.broken!.problem, /last 1 entries are missing/);
    } finally {
      await fresh.close();
    }
  });
});
