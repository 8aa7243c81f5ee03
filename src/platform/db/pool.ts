// One connection pool per process, and a transaction helper every domain operation runs inside.
import { createHash } from 'node:crypto';
import pg from 'pg';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool or a transaction's client. */
export type Queryable = Pick<pg.Pool, 'query'>;

// Dates stay strings ("YYYY-MM-DD") rather than becoming midnight in the server's time zone.
pg.types.setTypeParser(1082, (value) => value);
// bigint counts fit comfortably in a JS number for this service's volumes.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Thresholds of pg_trgm's % and %> operators for name search (people/store.ts): a similarity of 0.3 (pg_trgm's
 * default) or a word similarity of 0.5 makes a candidate. Sent when each connection starts, so no statement
 * has to set them.
 */
export const TRIGRAM_SETTINGS = '-c pg_trgm.similarity_threshold=0.3 -c pg_trgm.word_similarity_threshold=0.5';

/**
 * The connection string without its own `options`, and those options followed by the search's: the driver
 * lets a URL's `options` replace the pool's, which would have silently put back PostgreSQL's default word
 * similarity threshold (0.6) and so dropped names that search should find.
 */
export function connectionOptions(url: string): { connectionString: string; options: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, options: TRIGRAM_SETTINGS }; // not a URL: the driver has no options to read from it
  }
  const theirs = parsed.searchParams.get('options')?.trim();
  if (theirs === undefined) return { connectionString: url, options: TRIGRAM_SETTINGS };
  parsed.searchParams.delete('options');
  // Later -c settings win, so the search's thresholds hold whatever the URL says.
  return { connectionString: parsed.toString(), options: theirs ? `${theirs} ${TRIGRAM_SETTINGS}` : TRIGRAM_SETTINGS };
}

export function createPool(url: string, max = 10): Db {
  // Pipelined: statements sent without waiting for the ones before them travel together, each still answered
  // (or failed) on its own and run in order. Code that awaits each statement behaves exactly as without it.
  const pool = new pg.Pool({ ...connectionOptions(url), max, application_name: 'continuum', pipeline: true });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', preparingStatements);
  return pool;
}

// Parameterised queries run as named prepared statements, so PostgreSQL parses and plans each text once
// per connection instead of on every request (the triage queue's query: 0.96 ms planned each time, 0.47 ms prepared).
const MAX_NAMED_STATEMENTS = 2000;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `c_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name;
}

function preparingStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    // After sendCommit, a statement would run outside the transaction it was written for.
    if (scopes.get(client)?.commitSent) throw new Error('a statement was sent after its transaction\'s COMMIT');
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      // pool.query passes a callback; a transaction's client is awaited.
      if (name) return typeof callback === 'function' ? query({ name, text, values }, callback) : query({ name, text, values });
    }
    return query(...args);
  };
}

type BeforeCommit = (tx: Tx) => Promise<void>;
type AfterRead = (db: Db) => Promise<void>;
interface TransactionScope {
  hooks: BeforeCommit[];
  /** per-transaction state kept by platform modules (e.g. audit entries waiting to be written) */
  state: Map<symbol, unknown>;
  /** set for withReadScope: work to do once the reads are done and the connection is back in the pool */
  afterRead?: AfterRead[];
  /** set by sendCommit: COMMIT is on its way, after the statements sent before it */
  commitSent?: Promise<unknown>;
}
// Pool clients are reused, so the scope lives exactly as long as one withTransaction or withReadScope call.
const scopes = new WeakMap<Tx, TransactionScope>();

/** The scope of a transaction opened by withTransaction or withReadScope, or undefined for any other client. */
export function transactionScope(tx: Tx): TransactionScope | undefined {
  return scopes.get(tx);
}

/** Run `hook` once, just before this transaction commits. False when `tx` is not from withTransaction. */
export function beforeCommit(tx: Tx, hook: BeforeCommit): boolean {
  const scope = scopes.get(tx);
  if (!scope || scope.afterRead) return false;
  if (!scope.hooks.includes(hook)) scope.hooks.push(hook);
  return true;
}

/** Run `hook` once when a read scope's work is done, before its caller gets the answer. False outside withReadScope. */
export function afterRead(tx: Tx, hook: AfterRead): boolean {
  const scope = scopes.get(tx);
  if (!scope?.afterRead) return false;
  if (!scope.afterRead.includes(hook)) scope.afterRead.push(hook);
  return true;
}

/**
 * For operations that only read. The queries share one connection without BEGIN and COMMIT — under READ
 * COMMITTED every statement takes its own snapshot either way — and work registered with afterRead runs
 * once the connection is back in the pool, before the answer is returned. The audit uses it to write the
 * entries of many concurrent reads in one transaction, so a read is not answered until it is on record.
 * Anything that writes belongs in withTransaction.
 */
export async function withReadScope<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  const scope: TransactionScope = { hooks: [], state: new Map(), afterRead: [] };
  let result: T;
  try {
    scopes.set(client, scope);
    result = await work(client);
  } finally {
    scopes.delete(client);
    client.release();
  }
  for (const hook of scope.afterRead!) await hook(db);
  return result;
}

/**
 * Within withTransaction: send COMMIT now, behind the statements already sent and without waiting for their
 * answers, so the last of a transaction's statements and its COMMIT share one round trip. The caller must
 * await every statement it sent as well: if one fails, PostgreSQL answers the COMMIT by rolling back, and that
 * statement's error is what fails the transaction. Nothing may be sent on the transaction afterwards.
 */
export async function sendCommit(tx: Tx): Promise<void> {
  const scope = scopes.get(tx);
  if (!scope || scope.afterRead || scope.commitSent) throw new Error('sendCommit needs a transaction of withTransaction, once');
  for (const hook of scope.hooks) await hook(tx);
  const commit = commitOrFail(tx);
  scope.commitSent = commit;
  await commit;
}

/**
 * COMMIT, failing if PostgreSQL rolled back instead: it answers the COMMIT of a transaction in which a
 * statement failed with ROLLBACK, not an error, so a caller that caught that statement's error would
 * otherwise be told its work was saved when none of it was.
 */
async function commitOrFail(tx: Tx): Promise<void> {
  const result = await tx.query('COMMIT');
  if (result.command !== 'COMMIT') throw new Error('the transaction was rolled back: one of its statements failed');
}

export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    // BEGIN travels with the work's first statement rather than costing a round trip of its own. BEGIN
    // fails only when the connection does, and then so does everything sent after it.
    const begun = client.query('BEGIN');
    begun.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    const scope: TransactionScope = { hooks: [], state: new Map() };
    scopes.set(client, scope);
    const result = await work(client);
    await begun;
    if (scope.commitSent) await scope.commitSent; // rejects if the transaction was rolled back
    else {
      for (const hook of scope.hooks) await hook(client);
      await commitOrFail(client);
    }
    return result;
  } catch (error) {
    scopes.delete(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    scopes.delete(client);
    client.release();
  }
}
