// Start: config → database → migrations → demo data → app → listen. Stops cleanly on Ctrl-C or SIGTERM.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { locateDatabase } from './platform/db/connect.ts';
import { migrate } from './platform/db/migrate.ts';
import { createPool } from './platform/db/pool.ts';
import { startEmailWorker, type EmailWorker } from './platform/notify/worker.ts';
import { startClockReminders, type ReminderWorker } from './clocks/reminders.ts';
import { loadShippedIntoDatabase } from './thresholds/registry.ts';
import { describeSignIns, seedDemoIfEmpty, writeSignIns } from './seed/demo.ts';

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) say(`Starting the embedded PostgreSQL (data in ${config.dataDir}) …`);
  const location = await locateDatabase(config);
  const db = createPool(location.url);
  let stopping = false;
  let mail: EmailWorker | undefined;
  let clockReminders: ReminderWorker | undefined;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app?.close().catch(() => undefined);
    await mail?.stop().catch(() => undefined);
    await clockReminders?.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await location.embedded?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
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
    app = await buildApp({ config, db });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    if (config.smtpUrl) {
      mail = startEmailWorker({
        db, smtpUrl: config.smtpUrl, from: config.mailFrom,
        onError: ({ outboxId, attempts, reason }) => app?.log.warn({ outboxId, attempts, reason }, 'email not sent; will retry'),
      });
      say('Sending email through the configured SMTP server.');
    }
    clockReminders = startClockReminders({ db, publicUrl: config.publicUrl, onError: ({ code }) => app?.log.warn({ code }, 'clock reminders failed; will retry') });
    say(`Continuum is running at http://localhost:${port} — press Ctrl-C to stop.`);
  } catch (error) {
    process.stderr.write(`Continuum could not start: ${(error as Error).message}\n`);
    await stop(1);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Continuum could not start: ${(error as Error).message}`}\n`);
  process.exit(1);
});
