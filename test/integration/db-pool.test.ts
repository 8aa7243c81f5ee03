// The pool's connections carry the search's trigram thresholds whatever the connection string says: a
// DATABASE_URL with options of its own keeps them and gains the thresholds, instead of replacing them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionOptions, createPool, sendCommit, TRIGRAM_SETTINGS, withTransaction, type Tx } from '../../src/platform/db/pool.ts';
import { testServerUrl } from '../support/db.ts';

async function settings(url: string, names: string[]): Promise<string[]> {
  const db = createPool(url, 1);
  try {
    const out: string[] = [];
    for (const name of names) out.push((await db.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]!.v);
    return out;
  } finally {
    await db.end();
  }
}

test("a connection string's own options are kept, and the search's thresholds are added after them", async () => {
  const url = new URL(testServerUrl());
  url.searchParams.set('options', '-c statement_timeout=12345 -c pg_trgm.word_similarity_threshold=0.6');
  assert.deepEqual(
    await settings(url.toString(), ['statement_timeout', 'pg_trgm.similarity_threshold', 'pg_trgm.word_similarity_threshold']),
    ['12345ms', '0.3', '0.5'],
  );
  assert.deepEqual(await settings(testServerUrl(), ['pg_trgm.similarity_threshold', 'pg_trgm.word_similarity_threshold']), ['0.3', '0.5']);
});

test('connection strings without options pass through unchanged', () => {
  for (const url of ['postgres://u:p%40ss@127.0.0.1:5432/db', 'postgres://u@localhost/db?host=%2Ftmp%2Fsock', 'not a url']) {
    assert.deepEqual(connectionOptions(url), { connectionString: url, options: TRIGRAM_SETTINGS });
  }
  const withOptions = connectionOptions('postgres://u@localhost/db?options=-c%20search_path%3Dx&sslmode=disable');
  assert.equal(withOptions.options, `-c search_path=x ${TRIGRAM_SETTINGS}`);
  assert.equal(new URL(withOptions.connectionString).searchParams.get('options'), null);
  assert.equal(new URL(withOptions.connectionString).searchParams.get('sslmode'), 'disable');
});

test('statements a transaction sends together are committed together, or not at all when one of them fails', async () => {
  const db = createPool(testServerUrl(), 1); // one connection, so the temporary table is seen by every step
  try {
    await db.query('CREATE TEMPORARY TABLE pipelined (n int PRIMARY KEY)');
    const insert = (tx: Tx, n: number) => tx.query('INSERT INTO pipelined (n) VALUES ($1)', [n]);
    await assert.rejects(
      withTransaction(db, (tx) => Promise.all([insert(tx, 1), insert(tx, 1), insert(tx, 2)])),
      (error: Error & { code?: string }) => error.code === '23505',
    );
    assert.equal((await db.query('SELECT count(*)::int AS n FROM pipelined')).rows[0].n, 0);

    // The connection is usable afterwards.
    await withTransaction(db, (tx) => Promise.all([insert(tx, 1), insert(tx, 2), insert(tx, 3)]));
    assert.deepEqual((await db.query('SELECT array_agg(n ORDER BY n) AS ns FROM pipelined')).rows[0].ns, [1, 2, 3]);
    // Not left inside a transaction: outside one, each statement's now() is its own start.
    assert.equal((await db.query('SELECT now() = statement_timestamp() AS own')).rows[0].own, true);

    // Work that caught a failed statement's error is not reported as saved: PostgreSQL rolled it all back.
    await assert.rejects(
      withTransaction(db, async (tx) => {
        await insert(tx, 4);
        await insert(tx, 1).catch(() => undefined);
        return 'saved';
      }),
      /rolled back/,
    );
    assert.deepEqual((await db.query('SELECT array_agg(n ORDER BY n) AS ns FROM pipelined')).rows[0].ns, [1, 2, 3]);
  } finally {
    await db.end();
  }
});

test('sendCommit: the COMMIT travels with the statements before it, a failing one rolls them all back, and nothing may follow it', async () => {
  const db = createPool(testServerUrl(), 1);
  try {
    await db.query('CREATE TEMPORARY TABLE committed_with (n int PRIMARY KEY)');
    const insert = (tx: Tx, n: number) => tx.query('INSERT INTO committed_with (n) VALUES ($1)', [n]);
    await withTransaction(db, (tx) => Promise.all([insert(tx, 1), insert(tx, 2), sendCommit(tx)]));
    assert.deepEqual((await db.query('SELECT array_agg(n ORDER BY n) AS ns FROM committed_with')).rows[0].ns, [1, 2]);

    // PostgreSQL answers a COMMIT after a failed statement by rolling back: the statement's error fails the
    // transaction, and none of its statements are kept.
    await assert.rejects(
      withTransaction(db, (tx) => Promise.all([insert(tx, 3), insert(tx, 1), sendCommit(tx)])),
      (error: Error & { code?: string }) => error.code === '23505',
    );
    assert.deepEqual((await db.query('SELECT array_agg(n ORDER BY n) AS ns FROM committed_with')).rows[0].ns, [1, 2]);
    // Even a caller that did not wait for the failing statement learns that nothing was committed.
    await assert.rejects(
      withTransaction(db, async (tx) => {
        insert(tx, 1).catch(() => undefined);
        await sendCommit(tx);
      }),
      /rolled back/,
    );

    // A statement sent after the COMMIT would run outside the transaction: it is refused, and so is a second COMMIT.
    await assert.rejects(
      withTransaction(db, async (tx) => {
        await Promise.all([insert(tx, 4), sendCommit(tx)]);
        await insert(tx, 5);
      }),
      /sent after its transaction's COMMIT/,
    );
    await assert.rejects(withTransaction(db, async (tx) => { await sendCommit(tx); await sendCommit(tx); }), /once/);
    await assert.rejects(sendCommit(await db.connect().then((c) => { c.release(); return c; })), /withTransaction/);
    assert.deepEqual((await db.query('SELECT array_agg(n ORDER BY n) AS ns FROM committed_with')).rows[0].ns, [1, 2, 4]);
    assert.equal((await db.query('SELECT now() = statement_timestamp() AS own')).rows[0].own, true);
  } finally {
    await db.end();
  }
});
