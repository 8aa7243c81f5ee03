// What `npm run bench` and `npm run bench:compare` share: the database with the scale dataset, signed-in
// users, the scenarios they run, and the service started in a process of its own.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { locateDatabase } from '../src/platform/db/connect.ts';
import { freePort } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool, type Db } from '../src/platform/db/pool.ts';
import { LARGE_PARTNERSHIP_SLUG, largeDatasetExists, seedLargeDataset } from '../src/seed/large.ts';
import { loadShippedIntoDatabase } from '../src/thresholds/registry.ts';

export const say = (s: string) => process.stdout.write(`${s}\n`);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// For quick looks while tuning: BENCH_ONLY=triage,search runs only the scenarios whose names contain those words.
export const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const SCALE = {
  organisations: Number(process.env.BENCH_ORGANISATIONS ?? 200),
  children: Number(process.env.BENCH_CHILDREN ?? 100_000),
  concerns: Number(process.env.BENCH_CONCERNS ?? 500_000),
};

export interface Actor { cookie: string; csrf: string; children: string[] }
export type MakeRequest = (a: Actor) => { method?: 'GET' | 'POST'; path: string; body?: unknown };
export interface Scenario { name: string; actors: Actor[]; make: MakeRequest }

const pickFrom = <T,>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
export const submitBody = (a: Actor) => ({
  childId: pickFrom(a.children), whatHappened: 'Child arrived with a bruise on the cheek and said a parent hit them.',
  childsWords: 'Mum slapped me', occurredAtText: 'This morning before school', location: 'Classroom', present: 'Class teacher',
  categories: ['physical_abuse'], immediateDanger: false, toldDslInPerson: false,
});

/** The bench's database (started, or shared when already running), migrated and holding the scale dataset. */
export async function openBenchDatabase() {
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.BENCH_DATA_DIR ?? '.bench-data' });
  const location = await locateDatabase(config, { log: () => undefined, shareRunning: true });
  const db = createPool(location.url, 4);
  await migrate(db);
  await loadShippedIntoDatabase(db);
  if (!(await largeDatasetExists(db))) {
    say(`Seeding the scale dataset (${SCALE.organisations} organisations, ${SCALE.children} children, ${SCALE.concerns} concerns + events) …`);
    await seedLargeDataset(db, SCALE, say);
  }
  const counts = (await db.query(`SELECT (SELECT count(*) FROM children) AS children, (SELECT count(*) FROM concerns) AS concerns,
    (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM organisations) AS organisations`)).rows[0];
  say(`Dataset: ${counts.organisations} organisations, ${counts.children} children, ${counts.concerns} concerns, ${counts.events} events.`);
  return { location, db, server: await describeServer(db, config.databaseUrl ? 'the server DATABASE_URL names' : 'the embedded server') };
}

/**
 * Which PostgreSQL the figures come from, e.g. "PostgreSQL 18.4, the embedded server, compiled with -Os". The
 * compiler's optimisation level matters: the embedded package's build (-Os) spends noticeably more CPU a
 * statement than a distribution's (-O2). Only a superuser may read pg_config; others get the version alone.
 */
async function describeServer(db: Db, which: string): Promise<string> {
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  const cflags = await db.query<{ setting: string }>("SELECT setting FROM pg_config WHERE name = 'CFLAGS'")
    .then((r) => r.rows[0]?.setting ?? '', () => '');
  // The last -O flag is the one the compiler used.
  const level = cflags.split(/\s+/).filter((flag) => /^-O[0-9sgz]?$/.test(flag)).pop();
  return `PostgreSQL ${version}, ${which}${level ? `, compiled with ${level}` : ''}`;
}

/**
 * The scenarios, each with its signed-in users. Sessions are created directly: this measures the service, not
 * sign-in. Concerns are submitted in 50 other organisations than those read, so runs do not lengthen the
 * queues they measure.
 */
export async function benchScenarios(db: Db): Promise<Scenario[]> {
  const orgs = (await db.query<{ id: string; dsl: string; practitioner: string }>(
    `SELECT o.id, (SELECT id FROM users WHERE organisation_id = o.id AND role = 'dsl' LIMIT 1) AS dsl,
            (SELECT id FROM users WHERE organisation_id = o.id AND role = 'practitioner' LIMIT 1) AS practitioner
       FROM organisations o JOIN partnerships p ON p.id = o.partnership_id WHERE p.slug = $1 ORDER BY o.name LIMIT 100`,
    [LARGE_PARTNERSHIP_SLUG])).rows;
  const actorFor = async (userId: string, orgId: string): Promise<Actor> => {
    const token = await createSession(db, userId, { ip: '127.0.0.1', idleMinutes: 240, secondFactorDone: true });
    const csrf = (await db.query<{ csrf_token: string }>('SELECT csrf_token FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [userId])).rows[0]!.csrf_token;
    const children = (await db.query<{ child_id: string }>('SELECT child_id FROM child_organisations WHERE organisation_id = $1 LIMIT 100', [orgId])).rows.map((r) => r.child_id);
    return { cookie: `continuum_session=${token}`, csrf, children };
  };
  const dsls = await Promise.all(orgs.slice(0, 50).map((o) => actorFor(o.dsl, o.id)));
  const practitioners = await Promise.all(orgs.slice(0, 50).map((o) => actorFor(o.practitioner, o.id)));
  const submitters = await Promise.all(orgs.slice(50).map((o) => actorFor(o.practitioner, o.id)));
  const names = ['Jaden Smyth', 'Olivia Jones', 'Amelia Wiliams', 'Noah Taylor', 'Isla Browne', 'Mohammed Khan', 'Ava Smith-Jones', 'Leo Davies'];
  const all: Scenario[] = [
    { name: 'search for a person', actors: practitioners, make: () => ({ path: `/api/v1/children?name=${encodeURIComponent(pickFrom(names))}` }) },
    { name: 'open the triage queue', actors: dsls, make: () => ({ path: '/api/v1/triage' }) },
    { name: 'open a chronology', actors: dsls, make: (a) => ({ path: `/api/v1/children/${pickFrom(a.children)}/chronology` }) },
    { name: 'submit a concern', actors: submitters, make: (a) => ({ method: 'POST', path: '/api/v1/concerns', body: submitBody(a) }) },
  ];
  return all.filter((s) => !ONLY.length || ONLY.some((word) => s.name.includes(word)));
}

/** A signed-in user's request headers: their session cookie and CSRF token, asking for JSON. */
export function headersFor(actor: Actor, withBody: boolean): Record<string, string> {
  return { cookie: actor.cookie, 'x-csrf-token': actor.csrf, accept: 'application/json', ...(withBody ? { 'content-type': 'application/json' } : {}) };
}

/** An autocannon request for one scenario: a user picked at random, with their cookie and CSRF token. */
export function requestFor(scenario: Scenario): autocannon.Request {
  return {
    setupRequest: (req) => {
      const actor = pickFrom(scenario.actors);
      const r = scenario.make(actor);
      return {
        ...req, method: r.method ?? 'GET', path: r.path,
        headers: headersFor(actor, !!r.body),
        body: r.body ? JSON.stringify(r.body) : undefined,
      };
    },
  };
}

/**
 * The Node.js that runs this checkout's service: BENCH_NODE names another binary (e.g. a newer release, to
 * compare runtimes with bench:compare), otherwise the one running the bench.
 */
export const SERVICE_NODE = process.env.BENCH_NODE || process.execPath;

/** The version a Node.js binary reports, e.g. "v24.1.0"; a clear error when it cannot be run. */
export async function nodeVersion(node: string): Promise<string> {
  const { stdout } = await promisify(execFile)(node, ['--version']).catch(() => {
    throw new Error(`cannot run ${node} (BENCH_NODE names the Node.js binary that runs the service)`);
  });
  return stdout.trim();
}

/** The service from the checkout in `cwd`, in a process of its own on a free port, once it answers. */
export async function startService(opts: { cwd?: string; databaseUrl: string; nodeArgs?: string[]; node?: string }): Promise<{ server: ChildProcess; base: string }> {
  const port = await freePort();
  const server = spawn(opts.node ?? process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/server.ts'], {
    cwd: opts.cwd,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if ((await fetch(`${base}/health`).catch(() => null))?.ok) break;
    if (i > 120 || server.exitCode !== null) throw new Error(`the service${opts.cwd ? ` in ${opts.cwd}` : ''} did not start`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { server, base };
}

export async function stopService(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}
