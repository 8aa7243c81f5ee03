// `npm run bench`: Continuum under load on the large dataset, beside PostgreSQL's own baseline.
// Starts (or reuses) a database with the scale dataset, runs the service in its own process, drives it with
// 50 concurrent users per scenario — flat out, then at a steady pace — and prints p50/p95/p99 latency and
// throughput (flat out, with the CPU each request cost the service, PostgreSQL and the load generator, and the
// share of the machine's CPU that sat idle or that its host took for other guests); and
// pgbench -N on the same server just before and just after the submissions, so the write path can be stated
// as a fraction of what PostgreSQL alone does at that moment.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { ensureDatabase } from '../src/platform/db/connect.ts';
import { machineShares, machineTicks, postmasterOf, processTreeCpuSeconds } from './cpu.ts';
import { benchScenarios, CONNECTIONS, headersFor, nodeVersion, openBenchDatabase, requestFor, say, SECONDS, SERVICE_NODE, startService, stopService, submitBody, type Actor, type Scenario } from './setup.ts';
import { captureSubmitStatements, pgbenchScripts, writeScripts } from './submit-sql.ts';

const run = promisify(execFile);
const RATE_PER_USER = Number(process.env.BENCH_RATE_PER_USER ?? 2);
// BENCH_PROFILE=dir writes the service's CPU profile there (open it in Chrome DevTools).
const PROFILE_DIR = process.env.BENCH_PROFILE;

interface Figures { name: string; requests: number; errors: number; rps: number; p50: number; p95: number; p99: number; firstError?: string; cpu?: CpuPerRequest; machine?: MachineShares }
/** Percentages of the machine's CPU time that sat idle, and that the host took for other guests (steal). */
type MachineShares = ReturnType<typeof machineShares>;
/** CPU milliseconds per successful request, by who spent them; null where it could not be read. */
interface CpuPerRequest { service: number | null; database: number | null; load: number }
/** What to read CPU time from: the service's process and the database server's postmaster. */
interface CpuSources { servicePid: number | undefined; postmasterPid: number | null }

async function cpuNow(from: CpuSources) {
  return { service: await processTreeCpuSeconds(from.servicePid), database: await processTreeCpuSeconds(from.postmasterPid), load: process.cpuUsage(), machine: await machineTicks() };
}

function cpuPerRequest(before: Awaited<ReturnType<typeof cpuNow>>, after: Awaited<ReturnType<typeof cpuNow>>, requests: number): CpuPerRequest {
  const perRequest = (a: number | null, b: number | null) => (a === null || b === null || !requests ? null : ((b - a) * 1000) / requests);
  const load = process.cpuUsage(before.load);
  return { service: perRequest(before.service, after.service), database: perRequest(before.database, after.database), load: (load.user + load.system) / 1000 / Math.max(requests, 1) };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(name: string, latencies: number[], errors: number, firstError?: string): Figures {
  latencies.sort((a, b) => a - b);
  // Throughput and latency count successful responses only; failures are reported beside them.
  return { name, requests: latencies.length, errors, rps: latencies.length / SECONDS, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), firstError };
}

/**
 * Each of the 50 users sends `ratePerUser` requests a second — people read between clicks — on their own
 * beat, the beats spread at random over the interval as real users' would be. (Firing every user on the same
 * beat would measure a burst of 50, not the load.) Latency is what they would see at that load.
 */
async function pacedScenario({ name, actors, make }: Scenario, base: string, ratePerUser: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const interval = 1000 / ratePerUser;
  const end = performance.now() + SECONDS * 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const user = async (actor: Actor) => {
    let due = performance.now() + Math.random() * interval;
    for (;;) {
      await sleep(due - performance.now());
      if (performance.now() >= end) return;
      const r = make(actor);
      const started = performance.now();
      const response = await fetch(base + r.path, {
        method: r.method ?? 'GET',
        headers: headersFor(actor, !!r.body),
        body: r.body ? JSON.stringify(r.body) : undefined,
      }).catch((e: Error) => e);
      if (response instanceof Error || response.status >= 300) {
        errors += 1;
        firstError ??= response instanceof Error ? response.message : `HTTP ${response.status}`;
      } else {
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      }
      due += interval;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => user(actors[i % actors.length]!)));
  return summarise(name, latencies, errors, firstError);
}

/** Each of the 50 users sends its next request as soon as the last one answers: the service's capacity. */
async function scenario(s: Scenario, base: string, cpuFrom: CpuSources): Promise<Figures> {
  const cpuBefore = await cpuNow(cpuFrom);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let finish: (r: autocannon.Result) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => { finish = resolve; fail = reject; });
  const instance = autocannon({ url: base, connections: CONNECTIONS, duration: SECONDS, requests: [requestFor(s)] },
    (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 300) latencies.push(responseTime);
    else {
      errors += 1;
      firstError ??= `HTTP ${statusCode}`;
    }
  });
  const result = await done;
  const cpuAfter = await cpuNow(cpuFrom);
  const cpu = cpuPerRequest(cpuBefore, cpuAfter, latencies.length);
  return { ...summarise(s.name, latencies, errors + result.errors, firstError), cpu, machine: machineShares(cpuBefore.machine, cpuAfter.machine) };
}

const PGBENCH = ['/usr/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'].find((p) => existsSync(p));

// The service talks to PostgreSQL through a pool of this many connections (createPool's default).
const SERVICE_POOL = 10;

async function pgbenchTps(args: string[], clients = CONNECTIONS): Promise<{ tps: number; machine: MachineShares } | null> {
  const before = await machineTicks();
  const { stdout } = await run(PGBENCH!, [...args, '-c', String(clients), '-j', '2', '-T', String(SECONDS)], { maxBuffer: 1 << 24 });
  const machine = machineShares(before, await machineTicks());
  const tps = /tps = ([\d.]+)/.exec(stdout);
  return tps ? { tps: Number(tps[1]), machine } : null;
}

/** pgbench's own tables, made once per run; null when pgbench is not installed. */
async function preparePgbench(serverUrl: string): Promise<string | null> {
  if (!PGBENCH) {
    say('pgbench not found (apt-get install postgresql-client): no baseline.');
    return null;
  }
  const url = await ensureDatabase(serverUrl, 'pgbench_baseline');
  await run(PGBENCH, ['-i', '-s', '10', '-q', url], { maxBuffer: 1 << 24 });
  return url;
}

async function main() {
  const { location, db, server: databaseServer } = await openBenchDatabase();
  let server: Awaited<ReturnType<typeof startService>>['server'] | undefined;
  try {
    const scenarios = await benchScenarios(db);
    // Asked before the service starts, so a BENCH_NODE that cannot run is named rather than failing the start.
    const serviceNode = await nodeVersion(SERVICE_NODE);
    const service = await startService({ databaseUrl: location.url, node: SERVICE_NODE, nodeArgs: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [] });
    server = service.server;
    const { base } = service;

    const backendPid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const cpuFrom: CpuSources = { servicePid: server.pid, postmasterPid: await postmasterOf(backendPid) };
    // The baseline reaches the server the way the service does (the embedded server's socket, when it has one).
    // This machine's speed drifts from minute to minute, so pgbench -N runs just before and just after the
    // submissions it is compared with, rather than minutes later.
    const serverUrl = new URL(location.url);
    serverUrl.pathname = '/postgres';
    const submitting = scenarios.some((x) => x.name === 'submit a concern');
    const pgbenchUrl = submitting ? await preparePgbench(serverUrl.toString()) : null;
    const baselineRuns: NonNullable<Awaited<ReturnType<typeof pgbenchTps>>>[] = [];
    const measureBaseline = async () => {
      const measured = pgbenchUrl ? await pgbenchTps(['-N', pgbenchUrl]) : null;
      if (measured) baselineRuns.push(measured);
    };
    const results: Figures[] = [];
    const paced: Figures[] = [];
    say(`\nThe service runs on Node.js ${serviceNode}, against ${databaseServer}. Each scenario: ${CONNECTIONS} concurrent users for ${SECONDS} s.`);
    for (const s of scenarios) {
      const isSubmit = s.name === 'submit a concern';
      if (isSubmit) await measureBaseline();
      results.push(await scenario(s, base, cpuFrom));
      if (isSubmit) await measureBaseline();
      paced.push(await pacedScenario(s, base, RATE_PER_USER));
      say(`  ${s.name}: done`);
    }

    const baseline = baselineRuns.map((r) => r.tps);
    const tps = baseline.length ? baseline.reduce((a, b) => a + b, 0) / baseline.length : null;
    // The same submission's SQL replayed by PostgreSQL alone: the ceiling its own statements set.
    let replay: { statements: number; tps: number | null } | null = null;
    if (PGBENCH && submitting) {
      const a: Actor = scenarios.find((x) => x.name === 'submit a concern')!.actors[0]!;
      const { statements, concernId, reference } = await captureSubmitStatements(location.url, headersFor(a, false), submitBody(a));
      const scripts = await writeScripts(pgbenchScripts(statements, concernId, reference));
      replay = { statements: statements.length, tps: (await pgbenchTps(['-n', '-M', 'prepared', ...scripts.flatMap((f) => ['-f', f]), location.url], SERVICE_POOL))?.tps ?? null };
      await Promise.all(scripts.map((f) => rm(f, { force: true })));
    }
    const submit = results.find((r) => r.name === 'submit a concern');
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(2));
    const pct = (m: MachineShares | undefined, key: 'idle' | 'stolen') => (m ? m[key].toFixed(0) : 'n/a');
    say('\n| scenario | requests | throughput (req/s) | p50 ms | p95 ms | p99 ms | errors | CPU ms per request: service | PostgreSQL | load generator | machine CPU idle % | taken by the host (steal) % |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      say(`| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} | ${ms(r.cpu?.service)} | ${ms(r.cpu?.database)} | ${ms(r.cpu?.load)} | ${pct(r.machine, 'idle')} | ${pct(r.machine, 'stolen')} |`);
    }
    for (const [i, r] of baselineRuns.entries()) {
      say(`| pgbench -N baseline, ${i === 0 ? 'just before' : 'just after'} the submissions (${CONNECTIONS} clients) | | ${r.tps.toFixed(0)} tps | | | | | | | | ${pct(r.machine, 'idle')} | ${pct(r.machine, 'stolen')} |`);
    }
    say(`\nAt a steady ${RATE_PER_USER} request(s) per second from each of the ${CONNECTIONS} users (${RATE_PER_USER * CONNECTIONS} requests/s in all):\n`);
    say('| scenario | requests | throughput (req/s) | p50 ms | p95 ms | p99 ms | errors |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of paced) {
      say(`| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} |`);
    }
    if (tps && submit) {
      const shares = baseline.map((t) => `${((submit.rps / t) * 100).toFixed(0)}%`).join(' and ');
      say(`\nConcern submissions: ${submit.rps.toFixed(0)}/s = ${((submit.rps / tps) * 100).toFixed(0)}% of the pgbench -N baseline (${shares} of the runs just before and just after).`);
    }
    if (replay?.tps) {
      say(`The ${replay.statements} statements of one submission written alone, replayed by pgbench (${SERVICE_POOL} clients, as many as the service's pool): ${replay.tps.toFixed(0)} tps${tps ? ` = ${((replay.tps / tps) * 100).toFixed(0)}% of pgbench -N` : ''}${submit ? `; the service, writing submissions that arrive together in one transaction, reaches ${((submit.rps / replay.tps) * 100).toFixed(0)}% of that` : ''}.`);
    }
  } finally {
    await stopService(server);
    await db.end();
    await location.embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
