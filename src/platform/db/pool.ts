// One connection pool per process, and a transaction helper every domain operation runs inside.
import pg from 'pg';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool or a transaction's client. */
export type Queryable = Pick<pg.Pool, 'query'>;

// Dates stay strings ("YYYY-MM-DD") rather than becoming midnight in the server's time zone.
pg.types.setTypeParser(1082, (value) => value);
// bigint counts fit comfortably in a JS number for this service's volumes.
pg.types.setTypeParser(20, (value) => Number(value));

export function createPool(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'continuum' });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
