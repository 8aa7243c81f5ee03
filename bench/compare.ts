// `npm run bench:compare -- <revision>`: this checkout's service against the same service at a git revision
// (HEAD when none is given), side by side. This machine's speed drifts by half within a minute, and by a
// fifth within seconds, so runs one after the other cannot show a change of a few percent. Here both
// services run at once on the same database, each driven by half the users at the same moment for several
// short rounds: whatever the machine does falls on both, and the ratio of their throughputs is the change.
// Two copies of one version give 0.91–1.12 a round and 1.02 over six rounds on the 2-core machine.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { benchScenarios, CONNECTIONS, nodeVersion, openBenchDatabase, requestFor, say, SERVICE_NODE, startService, stopService, type Scenario } from './setup.ts';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);

/** Successful requests in one round against one service, with half the users. */
async function drive(base: string, s: Scenario, seconds: number): Promise<{ ok: number; failed: number }> {
  const result = await autocannon({ url: base, connections: Math.max(1, Math.floor(CONNECTIONS / 2)), duration: seconds, requests: [requestFor(s)] });
  return { ok: result['2xx'], failed: result.non2xx + result.errors };
}

async function main() {
  const revision = process.argv[2] ?? 'HEAD';
  const commit = (await run('git', ['rev-parse', '--short', '--verify', `${revision}^{commit}`]).catch(() => {
    throw new Error(`${revision} is not a commit of this repository (give a branch, tag or commit, e.g. HEAD~1)`);
  })).stdout.trim();
  const before = await mkdtemp(path.join(os.tmpdir(), 'continuum-compare-'));
  await run('git', ['worktree', 'add', '--detach', before, commit]);
  await symlink(path.resolve('node_modules'), path.join(before, 'node_modules'));
  // This checkout's migrations run first; the revision's service then finds nothing of its own to apply.
  const { location, db, server: databaseServer } = await openBenchDatabase();
  const services: Awaited<ReturnType<typeof startService>>[] = [];
  try {
    const scenarios = await benchScenarios(db);
    // BENCH_NODE runs this checkout's service on another Node.js: against HEAD, that compares the runtimes.
    const [theirs, ours] = await Promise.all([nodeVersion(process.execPath), nodeVersion(SERVICE_NODE)]);
    services.push(await startService({ cwd: before, databaseUrl: location.url }), await startService({ databaseUrl: location.url, node: SERVICE_NODE }));
    const [then, now] = services as [typeof services[0], typeof services[0]];
    say(`\nThis checkout (Node.js ${ours}) against ${commit} (Node.js ${theirs}), side by side on ${databaseServer}: ${Math.floor(CONNECTIONS / 2)} users each, ${ROUNDS} rounds of ${ROUND_SECONDS} s.\n`);
    say(`| scenario | ${commit} req/s | this checkout req/s | this / ${commit} | each round |`);
    say('| --- | ---: | ---: | ---: | --- |');
    for (const s of scenarios) {
      await Promise.all([drive(then.base, s, 2), drive(now.base, s, 2)]); // warm both: what each first request loads
      let a = 0;
      let b = 0;
      let failed = 0;
      const rounds: string[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        const [x, y] = await Promise.all([drive(then.base, s, ROUND_SECONDS), drive(now.base, s, ROUND_SECONDS)]);
        a += x.ok;
        b += y.ok;
        failed += x.failed + y.failed;
        rounds.push((y.ok / Math.max(x.ok, 1)).toFixed(2));
      }
      const seconds = ROUNDS * ROUND_SECONDS;
      say(`| ${s.name} | ${(a / seconds).toFixed(0)} | ${(b / seconds).toFixed(0)} | ${(b / Math.max(a, 1)).toFixed(3)} | ${rounds.join(' ')}${failed ? ` (${failed} failed)` : ''} |`);
    }
  } finally {
    await Promise.all(services.map((s) => stopService(s.server)));
    await db.end();
    await location.embedded?.stop();
    await rm(path.join(before, 'node_modules')); // the link alone, before git removes the folder
    await run('git', ['worktree', 'remove', '--force', before]).catch(() => rm(before, { recursive: true, force: true }));
  }
}

main().catch((error) => {
  process.stderr.write(`bench:compare: ${(error as Error).message}\n`);
  process.exit(1);
});
