// Typed settings read once from the environment. Production refuses to start without what it needs.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('localhost'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Continuum <no-reply@continuum.invalid>'),
  /** the address people use to reach the service, for links in emails */
  PUBLIC_URL: z.string().url().optional(),
  /** processes answering requests; they share the port (1 = a single process) */
  WEB_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** the triage pattern warning: this many concerns about a child (counting the one being triaged) … */
  PATTERN_CONCERNS: z.coerce.number('must be a whole number').int('must be a whole number')
    .min(2, 'must be at least 2: the count includes the concern being triaged').max(100, 'must be at most 100').default(3),
  /** … within this many days */
  PATTERN_WINDOW_DAYS: z.coerce.number('must be a whole number of days').int('must be a whole number of days').min(1, 'must be between 1 and 3650 days').max(3650, 'must be between 1 and 3650 days').default(90),
  /** concerns about siblings and household members within this many days are pointed out */
  PATTERN_HOUSEHOLD_WINDOW_DAYS: z.coerce.number('must be a whole number of days').int('must be a whole number of days').min(1, 'must be between 1 and 3650 days').max(3650, 'must be between 1 and 3650 days').default(365),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** undefined → the embedded PostgreSQL under dataDir */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** base address for links in emails */
  publicUrl: string;
  /** processes answering requests (WEB_WORKERS, default 1) */
  webWorkers: number;
  /** when triage warns of a pattern of concerns (PATTERN_CONCERNS, PATTERN_WINDOW_DAYS, PATTERN_HOUSEHOLD_WINDOW_DAYS) */
  patterns: { recentConcerns: number; windowDays: number; householdWindowDays: number };
  /** Cookies carry Secure unless we are serving plain HTTP on this machine for a demo or test. */
  secureCookies: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // A setting left blank (`PORT=`) is unset, not zero or empty: z.coerce.number reads '' as 0, so PORT= would
  // have listened on a random port and put it in every email link.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v === undefined || v.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid settings:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    if (!e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET is required when NODE_ENV=production');
    if (!e.DATABASE_URL) {
      throw new ConfigError('DATABASE_URL is required when NODE_ENV=production: the embedded database is for demos and tests');
    }
    if (e.SMTP_URL && !e.PUBLIC_URL) throw new ConfigError('PUBLIC_URL is required with SMTP_URL when NODE_ENV=production: emails link to it');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    // A demo gets a fresh secret each start; sessions live in the database so nothing depends on it surviving.
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    webWorkers: e.WEB_WORKERS ?? 1,
    patterns: { recentConcerns: e.PATTERN_CONCERNS, windowDays: e.PATTERN_WINDOW_DAYS, householdWindowDays: e.PATTERN_HOUSEHOLD_WINDOW_DAYS },
    // Browsers accept Secure cookies from http://localhost, so the demo needs no exception.
    secureCookies: true,
  };
}
