// Start: config → database → migrations → demo data → app → listen. Stops cleanly on Ctrl-C or SIGTERM.
//
// Node answers requests on one core, so with WEB_WORKERS > 1 (for a server with cores to spare) the first
// process owns the database (the embedded server, migrations, demo data) and the background work (email,
// clock reminders), and starts that many web processes that share the port. Everything they share lives in
// PostgreSQL (sessions, throttling, drafts, the audit log), so any of them can answer any request.
import cluster, { type Worker } from 'node:cluster';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { locateDatabase } from './platform/db/connect.ts';
import { migrate } from './platform/db/migrate.ts';
import { createPool, type Db } from './platform/db/pool.ts';
import { startEmailWorker, type EmailWorker } from './platform/notify/worker.ts';
import { startClockReminders, type ReminderWorker } from './clocks/reminders.ts';
import { loadShippedIntoDatabase } from './thresholds/registry.ts';
import { describeSignIns, seedDemoIfEmpty, writeSignIns } from './seed/demo.ts';

const say = (text: string) => process.stdout.write(`${text}\n`);
const WORKER_STOP_MS = 10_000;

type App = Awaited<ReturnType<typeof buildApp>>;

async function prepareDatabase(config: Config, db: Db): Promise<void> {
  const applied = await migrate(db);
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);
  const frameworks = await loadShippedIntoDatabase(db);
  if (frameworks.length) say(`Loaded threshold frameworks: ${frameworks.join(', ')}`);
  if (config.env !== 'production') {
    const signIns = await seedDemoIfEmpty(db);
    if (signIns) {
      const file = await writeSignIns(config.dataDir, signIns);
      say(`Created the demo partnership (Medway).\n${describeSignIns(signIns)}These are also saved in ${file}.`);
    } else {
      say(`Demo sign-ins are in ${config.dataDir}/demo-sign-ins.txt (if this database was created by the demo).`);
    }
  }
}

async function listen(app: App, config: Config): Promise<number> {
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : config.port;
}

/** A web process started by the first one: it only answers requests, on the database it was given. */
async function webWorker(): Promise<void> {
  const config = loadConfig();
  const db = createPool(config.databaseUrl!);
  const app = await buildApp({ config, db });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    process.exit(0);
  };
  // The first process decides when to stop (Ctrl-C reaches every process in the terminal's group).
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
  await listen(app, config);
}

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) say(`Starting the embedded PostgreSQL (data in ${config.dataDir}) …`);
  const location = await locateDatabase(config);
  const db = createPool(location.url);
  let stopping = false;
  let app: App | undefined;
  let mail: EmailWorker | undefined;
  let clockReminders: ReminderWorker | undefined;
  const workers = new Set<Worker>();
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app?.close().catch(() => undefined);
    await Promise.all([...workers].map(stopWorker));
    await mail?.stop().catch(() => undefined);
    await clockReminders?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await location.embedded?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    await prepareDatabase(config, db);
    let port: number;
    if (config.webWorkers > 1) {
      const env = { DATABASE_URL: location.url, SESSION_SECRET: config.sessionSecret };
      const start = (): Promise<number> => new Promise((resolve, reject) => {
        const worker = cluster.fork(env);
        workers.add(worker);
        worker.once('listening', (address) => resolve(address.port));
        worker.once('exit', (exitCode) => {
          workers.delete(worker);
          reject(new Error(`a web process stopped (exit code ${exitCode})`));
          // One that fails later is replaced, so the service keeps answering.
          if (!stopping) setTimeout(() => void start().catch(() => undefined), 1000);
        });
      });
      const ports = await Promise.all(Array.from({ length: config.webWorkers }, start));
      port = ports[0]!;
    } else {
      app = await buildApp({ config, db });
      port = await listen(app, config);
    }
    if (config.smtpUrl) {
      mail = startEmailWorker({
        db, smtpUrl: config.smtpUrl, from: config.mailFrom,
        onError: ({ outboxId, attempts, reason }) => warn({ outboxId, attempts, reason }, 'email not sent; will retry'),
      });
      say('Sending email through the configured SMTP server.');
    }
    clockReminders = startClockReminders({ db, publicUrl: config.publicUrl, onError: ({ code }) => warn({ code }, 'clock reminders failed; will retry') });
    const processes = config.webWorkers > 1 ? ` (${config.webWorkers} web processes)` : '';
    say(`Continuum is running at http://localhost:${port}${processes} — press Ctrl-C to stop.`);
  } catch (error) {
    process.stderr.write(`Continuum could not start: ${(error as Error).message}\n`);
    await stop(1);
  }

  function warn(facts: Record<string, unknown>, message: string) {
    if (app) app.log.warn(facts, message);
    else process.stderr.write(`${message} ${JSON.stringify(facts)}\n`);
  }
}

/** Ask a web process to finish its requests and stop; insist after a while. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), WORKER_STOP_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}

(cluster.isPrimary ? main() : webWorker()).catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Continuum could not start: ${(error as Error).message}`}\n`);
  process.exit(1);
});
