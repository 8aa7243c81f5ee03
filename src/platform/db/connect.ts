// Where the database is: DATABASE_URL when set, otherwise the embedded server under DATA_DIR.
import pg from 'pg';
import type { Config } from '../../config.ts';
import { runningEmbeddedUrl, startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';

export interface DatabaseLocation {
  url: string;
  embedded: EmbeddedDatabase | null;
}

/** Create the named database on a server if it is missing (the embedded server starts with only "postgres"). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function locateDatabase(
  config: Config,
  opts: { log?: (m: string) => void; shareRunning?: boolean } = {},
): Promise<DatabaseLocation> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  // Command-line tools use the server `npm start` is running on the same data directory, if there is one.
  const running = opts.shareRunning ? await runningEmbeddedUrl(config.dataDir) : null;
  if (running) return { url: await ensureDatabase(running, 'continuum'), embedded: null };
  const log = opts.log ?? (() => undefined);
  const embedded = await startEmbeddedDatabase(config.dataDir, log);
  try {
    return { url: await ensureDatabase(embedded.url, 'continuum'), embedded };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
