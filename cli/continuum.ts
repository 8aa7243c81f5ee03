// The continuum command: `npm run cli -- <command> …`
//   audit verify                 check every audit entry's hash chain; exit 1 naming the first broken entry
//   frameworks validate [FILE…]  check threshold framework files; exit 1 with file, path and message per error
import { loadConfig } from '../src/config.ts';
import { verifyAudit } from '../src/platform/audit/audit.ts';
import { locateDatabase } from '../src/platform/db/connect.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool } from '../src/platform/db/pool.ts';
import { largeDatasetExists, seedLargeDataset } from '../src/seed/large.ts';
import { loadShippedIntoDatabase } from '../src/thresholds/registry.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function withDatabase<T>(work: (db: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const location = await locateDatabase(loadConfig(), { shareRunning: true });
  const db = createPool(location.url, 2);
  try {
    await migrate(db);
    await loadShippedIntoDatabase(db);
    return await work(db);
  } finally {
    await db.end();
    await location.embedded?.stop();
  }
}

async function auditVerify(): Promise<number> {
  return withDatabase(async (db) => {
    const result = await verifyAudit(db);
    out(`Checked ${result.entriesChecked} audit entries.`);
    if (result.broken) {
      const b = result.broken;
      err(`BROKEN: ${b.id === null ? `chain ${b.shard} at position ${b.seq}` : `entry ${b.id} (chain ${b.shard}, position ${b.seq})`}: ${b.problem}`);
      return 1;
    }
    out('The audit log is intact.');
    return 0;
  });
}

async function seedLarge(args: string[]): Promise<number> {
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number above 0`);
    return value;
  };
  const opts = { organisations: option('organisations', 200), children: option('children', 100_000), concerns: option('concerns', 500_000) };
  // The dataset signs in about 1,000 staff with one published password: never on a live service.
  if (loadConfig().env === 'production') {
    err('seed large is for test and benchmark databases: it refuses to run with NODE_ENV=production');
    return 2;
  }
  return withDatabase(async (db) => {
    if (await largeDatasetExists(db)) {
      out('The scale dataset is already in this database.');
      return 0;
    }
    out(`Seeding ${opts.organisations} organisations, ${opts.children} children and ${opts.concerns} concerns with their events …`);
    await seedLargeDataset(db, opts, out);
    return 0;
  });
}

const USAGE = `Usage: npm run cli -- <command>
  audit verify                  verify the audit log's hash chains
  frameworks validate [FILE…]   validate threshold framework files (all shipped files when none given)
  seed large [--organisations N] [--children N] [--concerns N]
                                add a large realistic dataset (defaults 200, 100000, 500000 — with one
                                chronology event per concern, a million concerns and events)`;

async function main(args: string[]): Promise<number> {
  const [group, command, ...rest] = args;
  if (group === 'audit' && command === 'verify') return auditVerify();
  if (group === 'seed' && command === 'large') return seedLarge(rest);
  if (group === 'frameworks') {
    const { frameworksCommand } = await import('../src/thresholds/cli.ts');
    return frameworksCommand([command ?? '', ...rest].filter(Boolean));
  }
  err(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    err(`continuum: ${(error as Error).message}`);
    process.exit(1);
  },
);
