// The embedded PostgreSQL `npm start` runs: the service reaches it through a socket in the data directory
// (no TCP stack on each round trip), tools can still reach it on loopback, and a data directory whose socket
// path would be too long falls back to TCP alone.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { runningEmbeddedUrl, startEmbeddedDatabase } from '../../src/platform/db/embedded.ts';

/** Where the connection arrived: null for a Unix socket, the server's address for TCP. */
async function serverAddress(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ addr: string | null }>('SELECT host(inet_server_addr()) AS addr')).rows[0]!.addr;
  } finally {
    await client.end();
  }
}

test('the embedded server is reached through a socket of its own, and still on loopback for tools', { timeout: 120_000 }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cdb-'));
  const embedded = await startEmbeddedDatabase(dataDir);
  try {
    const url = new URL(embedded.url);
    const socketDir = url.searchParams.get('host');
    assert.equal(socketDir, path.join(dataDir, 'postgres'), 'the socket is in the data directory');
    assert.equal(await serverAddress(embedded.url), null, 'the service connects over the socket');

    const socket = (await readdir(socketDir!)).find((f) => /^\.s\.PGSQL\.\d+$/.test(f));
    assert.ok(socket, 'the socket file exists');
    assert.equal(statSync(path.join(socketDir!, socket)).mode & 0o777, 0o700, 'only the server’s user may connect through it');

    url.searchParams.delete('host');
    assert.equal(await serverAddress(url.toString()), '127.0.0.1', 'loopback TCP still answers');

    // Command-line tools find the running server through its pid file, socket included.
    assert.equal(await runningEmbeddedUrl(dataDir), embedded.url);
  } finally {
    await embedded.stop();
  }
  assert.equal(await runningEmbeddedUrl(dataDir), null, 'a stopped server is not offered');
  await rm(dataDir, { recursive: true, force: true });
});

test('a data directory too deep for a socket path uses TCP alone', { timeout: 120_000 }, async () => {
  const top = await mkdtemp(path.join(tmpdir(), 'cdb-'));
  const dataDir = path.join(top, 'a-folder-name-long-enough-that-the-socket-path-passes-the-limit', 'x'.repeat(40));
  await mkdir(dataDir, { recursive: true });
  assert.ok(path.join(dataDir, 'postgres', '.s.PGSQL.65535').length > 107);
  const embedded = await startEmbeddedDatabase(dataDir);
  try {
    assert.equal(new URL(embedded.url).searchParams.get('host'), null);
    assert.equal(await serverAddress(embedded.url), '127.0.0.1');
    assert.equal(await runningEmbeddedUrl(dataDir), embedded.url);
  } finally {
    await embedded.stop();
    await rm(top, { recursive: true, force: true });
  }
});
