// Passwords (argon2id), TOTP second factor and recovery codes, and sign-in throttling — state in PostgreSQL
// so every instance enforces the same limits.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { withTransaction, type Db, type Queryable } from '../db/pool.ts';

// argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };
let dummyHash: Promise<string> | null = null;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Unknown users still cost one verification, so timing does not reveal which emails exist.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  try {
    return await verify(passwordHash ?? (await dummyHash), password);
  } catch {
    return false;
  }
}

export const SIGN_IN_LIMITS = {
  windowMinutes: 15,
  /** failed attempts on one account before it is locked for the rest of the window */
  perAccount: 5,
  /** failed attempts from one address before further attempts are refused */
  perAddress: 50,
};

export interface ThrottleState {
  locked: boolean;
  /** minutes until a locked account or address may try again */
  retryAfterMinutes: number;
}

export async function signInThrottle(db: Queryable, emailLower: string, ip: string): Promise<ThrottleState> {
  const { rows } = await db.query<{ account: number; address: number; account_oldest: Date | null; address_oldest: Date | null }>(
    `SELECT
       count(*) FILTER (WHERE email_lower = $1) AS account,
       count(*) FILTER (WHERE ip = $2) AS address,
       min(at) FILTER (WHERE email_lower = $1) AS account_oldest,
       min(at) FILTER (WHERE ip = $2) AS address_oldest
     FROM sign_in_failures
     WHERE (email_lower = $1 OR ip = $2) AND at > now() - make_interval(mins => $3)`,
    [emailLower, ip, SIGN_IN_LIMITS.windowMinutes],
  );
  const r = rows[0]!;
  const oldest = Number(r.account) >= SIGN_IN_LIMITS.perAccount ? r.account_oldest : Number(r.address) >= SIGN_IN_LIMITS.perAddress ? r.address_oldest : null;
  if (!oldest) return { locked: false, retryAfterMinutes: 0 };
  const unlockAt = new Date(oldest).getTime() + SIGN_IN_LIMITS.windowMinutes * 60_000;
  return { locked: true, retryAfterMinutes: Math.max(1, Math.ceil((unlockAt - Date.now()) / 60_000)) };
}

export interface SignInAttempt extends ThrottleState {
  /** the failure row counted for this attempt, to withdraw if it succeeds; null when locked */
  attemptId: string | null;
}

/**
 * Check the throttle and count this attempt as a failure before its password or code is checked, under a lock on
 * the account: otherwise attempts sent in parallel all pass the check before any of them is recorded.
 * A successful attempt withdraws its row (withdrawSignInAttempt) or clears the account (clearSignInFailures).
 */
export async function startSignInAttempt(db: Db, emailLower: string, ip: string): Promise<SignInAttempt> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sign-in:${emailLower}`]);
    const throttle = await signInThrottle(tx, emailLower, ip);
    if (throttle.locked) return { ...throttle, attemptId: null };
    const { rows } = await tx.query<{ id: string }>(
      'INSERT INTO sign_in_failures (email_lower, ip) VALUES ($1, $2) RETURNING id', [emailLower, ip]);
    return { ...throttle, attemptId: rows[0]!.id };
  });
}

export async function withdrawSignInAttempt(db: Queryable, attemptId: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE id = $1', [attemptId]);
}

export async function clearSignInFailures(db: Queryable, emailLower: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE email_lower = $1', [emailLower]);
}

// ---- TOTP ----

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

function totpFor(secretBase32: string, label = 'Continuum') {
  return new TOTP({ issuer: 'Continuum', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export async function totpEnrolment(secretBase32: string, email: string) {
  const uri = totpFor(secretBase32, email).toString();
  return { uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 200 }), secret: secretBase32.replace(/(.{4})/g, '$1 ').trim() };
}

/** The code's time step when valid (±1 step for clock drift), otherwise null. */
export function checkTotp(secretBase32: string, code: string, now = Date.now()): number | null {
  const cleaned = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(cleaned)) return null;
  const delta = totpFor(secretBase32).validate({ token: cleaned, window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}

/** Accept a TOTP code once: a code's time step must be later than the last one accepted. */
export async function acceptTotp(db: Queryable, userId: string, secret: string, code: string): Promise<boolean> {
  const step = checkTotp(secret, code);
  if (step === null) return false;
  const { rowCount } = await db.query(
    'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
    [userId, step],
  );
  return rowCount === 1;
}

// ---- recovery codes ----

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const hashRecovery = (code: string) => createHash('sha256').update(code.toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export async function storeRecoveryCodes(db: Queryable, userId: string, codes: string[]): Promise<void> {
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  await db.query(
    'INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])',
    [userId, codes.map(hashRecovery)],
  );
}

export async function useRecoveryCode(db: Queryable, userId: string, code: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE recovery_codes SET used_at = now()
      WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1)`,
    [userId, hashRecovery(code)],
  );
  return rowCount === 1;
}

export async function remainingRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return Number(rows[0]?.n ?? 0);
}
