// Sends the email outbox. Rows are claimed with FOR UPDATE SKIP LOCKED inside a transaction that lasts
// until the send is recorded, so any number of instances can run a worker and none sends a row another
// holds. A failure is retried with exponential backoff; its reason is kept without addresses or content.
import nodemailer from 'nodemailer';
import { withTransaction, type Db } from '../db/pool.ts';

export interface EmailWorkerOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  intervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** where failures are reported (counts and codes only) */
  onError?: (info: { outboxId: number; attempts: number; reason: string }) => void;
}

export interface EmailWorker {
  /** send what is due now; resolves to the number sent */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

const BASE_BACKOFF_SECONDS = 30;
const MAX_BACKOFF_SECONDS = 6 * 60 * 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** Math.max(0, attempts - 1));
}

/** A failure reason safe to store and log: the error's code and SMTP status, never its message. */
export function safeReason(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown };
  const parts = [typeof e?.code === 'string' ? e.code : 'ERROR'];
  if (typeof e?.responseCode === 'number') parts.push(`smtp ${e.responseCode}`);
  if (typeof e?.command === 'string' && /^[A-Z ]{2,20}$/.test(e.command)) parts.push(`during ${e.command}`);
  return parts.join(' ');
}

export function startEmailWorker(opts: EmailWorkerOptions): EmailWorker {
  const { db, from } = opts;
  const intervalMs = opts.intervalMs ?? 5000;
  const batchSize = opts.batchSize ?? 10;
  const maxAttempts = opts.maxAttempts ?? 10;
  const transport = nodemailer.createTransport(opts.smtpUrl);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function sendBatch(): Promise<number> {
    return withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ id: number; to_address: string; subject: string; body: string; attempts: number }>(
        `SELECT id, to_address, subject, body, attempts FROM email_outbox
          WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $2
          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize, maxAttempts],
      );
      let sent = 0;
      for (const row of rows) {
        try {
          await transport.sendMail({ from, to: row.to_address, subject: row.subject, text: row.body });
          await tx.query('UPDATE email_outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [row.id]);
          sent += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          const reason = safeReason(error);
          await tx.query(
            `UPDATE email_outbox SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`,
            [row.id, attempts, reason, backoffSeconds(attempts)],
          );
          opts.onError?.({ outboxId: row.id, attempts, reason });
        }
      }
      return sent;
    });
  }

  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await sendBatch();
      total += n;
      if (n < batchSize || stopped) return total;
    }
  }

  const tick = () => {
    if (stopped) return;
    running = runOnce().catch((error) => {
      opts.onError?.({ outboxId: 0, attempts: 0, reason: safeReason(error) });
      return 0;
    });
    void running.finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
