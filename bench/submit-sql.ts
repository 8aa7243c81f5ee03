// The SQL of one concern submission written alone, captured from the service and replayed by pgbench on its
// own: how fast PostgreSQL alone runs exactly that work on this machine, one submission per transaction. Under
// load the service writes submissions that arrive together in one transaction (group commit), so it can pass
// this figure; the comparison shows what that is worth.
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { AUDIT_SHARDS } from '../src/platform/audit/audit.ts';
import { createPool } from '../src/platform/db/pool.ts';

const { prepareValue, escapeLiteral } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue: (v: unknown) => unknown; escapeLiteral: (s: string) => string;
};

interface Captured { text: string; values: unknown[] }

/** Every statement one POST /api/v1/concerns sends, in order (the session lookup, BEGIN … COMMIT), and the concern's id and reference. */
export async function captureSubmitStatements(url: string, headers: Record<string, string>, body: unknown): Promise<{ statements: Captured[]; concernId: string; reference: number }> {
  const captured: Captured[] = [];
  let capturing = false;
  let concernId = '';
  let reference = 0;
  // Patched before the pool connects: each connection binds the query method it finds then.
  const original = pg.Client.prototype.query;
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
    if (capturing && typeof first === 'string') captured.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (capturing && first && typeof first === 'object' && 'text' in first) captured.push({ text: first.text, values: first.values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  const db = createPool(url, 2);
  const app = await buildApp({ config: loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }), db });
  const request = { method: 'POST' as const, url: '/api/v1/concerns', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
  try {
    await app.inject(request); // warm: the first request loads what later ones reuse
    capturing = true;
    const response = await app.inject(request);
    capturing = false;
    if (response.statusCode !== 201) throw new Error(`capturing a submission: HTTP ${response.statusCode}`);
    concernId = (response.json() as { id: string }).id;
    const insert = captured.find((c) => c.text.includes('INSERT INTO concerns'));
    reference = Number((JSON.parse(String(insert?.values[0] ?? '[{}]')) as { reference?: number }[])[0]?.reference);
    if (!Number.isInteger(reference)) throw new Error("capturing a submission: no concern's reference in its insert");
  } finally {
    pg.Client.prototype.query = original;
    await app.close();
    await db.end();
  }
  // A connection claims its audit chain once, on its first append: not part of any one submission.
  return { statements: captured.filter((s) => !s.text.includes('pg_try_advisory_lock')), concernId, reference };
}

// The recording context takes the concern's reference from the sequence; the replay keeps it (\gset) for the insert.
const TAKES_REFERENCE = "nextval('concerns_reference_seq') AS reference";

/**
 * A value written into the script. The captured concern id, wherever it appears, becomes pgbench's
 * :concern_id, and the captured reference in the concern's row becomes the one this transaction took.
 */
function literal(value: unknown, concernId: string, reference: number): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  // pgbench reads ":name" as one of its variables, even inside a string.
  const text = escapeLiteral(String(prepared)).replace(/:(?=[A-Za-z_])/g, ': ');
  const e = text.trimStart().startsWith('E') ? 'E' : '';
  return `(${text.split(concernId).join(`' || :concern_id || ${e}'`).split(`"reference":${reference},`).join(`"reference":' || :reference || ${e}',`)})`;
}

/**
 * pgbench scripts, one per audit chain: each statement on its own line with its values written in. The
 * service spreads its audit entries over the chains, so the replay does too (pgbench picks a script at
 * random for each transaction); each script's entries name their own chain, so the log still verifies.
 */
export function pgbenchScripts(statements: Captured[], concernId: string, reference: number): string[] {
  // The service chooses each concern's id: every replayed transaction takes a new one, wherever the captured id appears.
  const newId = 'SELECT gen_random_uuid() AS concern_id \\gset';
  return Array.from({ length: AUDIT_SHARDS }, (_, shard) => [newId, ...statements.map(({ text, values }) => {
    const own = text.includes('audit_append(') ? onChain(values, shard) : values;
    // One statement a line: comments go, or a "--" would run on into the statements after it.
    const sql = text.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim().replace(/\$(\d+)/g, (_, n: string) => literal(own[Number(n) - 1], concernId, reference));
    return text.includes(TAKES_REFERENCE) ? `${sql} \\gset` : `${sql};`;
  })].join('\n') + '\n');
}

function onChain(values: unknown[], shard: number): unknown[] {
  const entries = JSON.parse(String(values[1])) as Record<string, unknown>[];
  return [shard, JSON.stringify(entries.map((e) => ({ ...e, shard, bodyBefore: `[${shard},` })))];
}

export async function writeScripts(scripts: string[]): Promise<string[]> {
  return Promise.all(scripts.map(async (script, i) => {
    const file = path.join(tmpdir(), `continuum-submit-${process.pid}-${i}.sql`);
    await writeFile(file, script);
    return file;
  }));
}
