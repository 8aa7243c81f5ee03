// The pool's connections carry the search's trigram thresholds whatever the connection string says: a
// DATABASE_URL with options of its own keeps them and gains the thresholds, instead of replacing them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionOptions, createPool, TRIGRAM_SETTINGS } from '../../src/platform/db/pool.ts';
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
