// The continuum command: `npm run cli -- <command> …`
//   audit verify                 check every audit entry's hash chain; exit 1 naming the first broken entry
//   frameworks validate [FILE…]  check threshold framework files; exit 1 with file, path and message per error
import { loadConfig } from '../src/config.ts';
import { verifyAudit } from '../src/platform/audit/audit.ts';
import { locateDatabase } from '../src/platform/db/connect.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool } from '../src/platform/db/pool.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function withDatabase<T>(work: (db: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const location = await locateDatabase(loadConfig(), { shareRunning: true });
  const db = createPool(location.url, 2);
  try {
    await migrate(db);
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

const USAGE = `Usage: npm run cli -- <command>
  audit verify                  verify the audit log's hash chains
  frameworks validate [FILE…]   validate threshold framework files (all shipped files when none given)`;

async function main(args: string[]): Promise<number> {
  const [group, command, ...rest] = args;
  if (group === 'audit' && command === 'verify') return auditVerify();
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
