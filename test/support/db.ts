// Each test file gets its own fresh database on the test server, with every migration applied.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase } from '../../src/platform/db/connect.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPool, type Db } from '../../src/platform/db/pool.ts';
import { loadShippedIntoDatabase } from '../../src/thresholds/registry.ts';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('Run the tests with `npm test` (it provides a PostgreSQL server), or set DATABASE_URL');
  return url;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = `continuum_test_${randomBytes(5).toString('hex')}`;
  const url = await ensureDatabase(server, name);
  const db = createPool(url, 10);
  await migrate(db);
  await loadShippedIntoDatabase(db);
  return {
    db,
    url,
    async drop() {
      await db.end();
      const admin = new pg.Client({ connectionString: server });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}
