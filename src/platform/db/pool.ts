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

type BeforeCommit = (tx: Tx) => Promise<void>;
interface TransactionScope {
  hooks: BeforeCommit[];
  /** per-transaction state kept by platform modules (e.g. audit entries waiting to be written) */
  state: Map<symbol, unknown>;
}
// Pool clients are reused, so the scope lives exactly as long as one withTransaction call.
const scopes = new WeakMap<Tx, TransactionScope>();

/** The scope of a transaction opened by withTransaction, or undefined for any other client. */
export function transactionScope(tx: Tx): TransactionScope | undefined {
  return scopes.get(tx);
}

/** Run `hook` once, just before this transaction commits. False when `tx` is not from withTransaction. */
export function beforeCommit(tx: Tx, hook: BeforeCommit): boolean {
  const scope = scopes.get(tx);
  if (!scope) return false;
  if (!scope.hooks.includes(hook)) scope.hooks.push(hook);
  return true;
}

export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const scope: TransactionScope = { hooks: [], state: new Map() };
    scopes.set(client, scope);
    const result = await work(client);
    for (const hook of scope.hooks) await hook(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    scopes.delete(client);
    client.release();
  }
}
