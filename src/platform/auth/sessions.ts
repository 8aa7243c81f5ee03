// Sessions live in PostgreSQL so they survive restarts, are shared by every instance and can be revoked.
// The cookie holds a random token; the table holds only its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { Batcher, batcherPer } from '../db/batch.ts';
import type { Queryable } from '../db/pool.ts';
import type { Role } from '../access/roles.ts';

export const SESSION_COOKIE = 'continuum_session';
const ABSOLUTE_HOURS = 12;

export interface SessionUser {
  sessionId: string;
  csrfToken: string;
  idleExpiresAt: Date;
  secondFactorDone: boolean;
  pendingTotpSecret: string | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  partnershipId: string;
  totpEnrolled: boolean;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export async function createSession(
  db: Queryable,
  userId: string,
  opts: { ip: string | null; idleMinutes: number; secondFactorDone: boolean },
): Promise<string> {
  const token = newToken();
  await db.query(
    `INSERT INTO sessions (id, user_id, csrf_token, idle_expires_at, absolute_expires_at, second_factor_at, ip)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4), now() + make_interval(hours => $5),
             CASE WHEN $6 THEN now() END, $7)`,
    [hashToken(token), userId, newToken(), opts.idleMinutes, ABSOLUTE_HOURS, opts.secondFactorDone, opts.ip],
  );
  return token;
}

const SESSION_COLUMNS = `s.id AS session_id, s.csrf_token, s.idle_expires_at, s.second_factor_at IS NOT NULL AS second_factor_done,
  s.pending_totp_secret, u.id AS user_id, u.email, u.name, u.role, u.organisation_id, o.name AS organisation_name,
  o.partnership_id, u.totp_enrolled_at IS NOT NULL AS totp_enrolled`;

function toSessionUser(r: Record<string, unknown>): SessionUser {
  return {
    sessionId: r.session_id as string,
    csrfToken: r.csrf_token as string,
    idleExpiresAt: r.idle_expires_at as Date,
    secondFactorDone: r.second_factor_done as boolean,
    pendingTotpSecret: (r.pending_totp_secret as string | null) ?? null,
    userId: r.user_id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as Role,
    organisationId: r.organisation_id as string,
    organisationName: r.organisation_name as string,
    partnershipId: r.partnership_id as string,
    totpEnrolled: r.totp_enrolled as boolean,
  };
}

interface SessionCheck { tokenHash: string; idleMinutes: number; touch: boolean }

/**
 * Load a live session and, when `touch` is set, push its inactivity deadline back.
 * The deadline only moves when it would move by more than half a minute, so a burst of requests does
 * not write (and wait for a commit to disk) on every one of them.
 * Returns null for an unknown, revoked or expired session, or a deactivated user.
 * Every request starts here, so checks that arrive together go to PostgreSQL as one statement (see
 * platform/db/batch.ts): one round trip for the lot instead of one each, and each is answered from that statement.
 */
export async function loadSession(db: Queryable, token: string, idleMinutes: number, touch: boolean): Promise<SessionUser | null> {
  return sessionChecks(db).add({ tokenHash: hashToken(token), idleMinutes, touch });
}

const sessionChecks = batcherPer((db: Queryable) => new Batcher<SessionCheck, SessionUser | null>(
  (checks) => loadSessions(db, checks), { maxWriting: 2, maxBatch: 200 },
));

async function loadSessions(db: Queryable, checks: SessionCheck[]): Promise<(SessionUser | null)[]> {
  const sql = `
    WITH asked AS (
      SELECT DISTINCT ON (id) id, idle, touch FROM unnest($1::text[], $2::int[], $3::bool[]) AS a(id, idle, touch)
       ORDER BY id, touch DESC),
    live AS (
      SELECT s.*, a.idle, a.touch FROM sessions s JOIN asked a ON a.id = s.id
       WHERE a.idle > 0 AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()),
    due AS (
      -- A session whose row another transaction holds (a sign-out, say) is not touched this time, so one
      -- locked row never holds up the checks of every request batched with it.
      SELECT s.id FROM sessions s JOIN live l ON l.id = s.id
       WHERE l.touch AND s.idle_expires_at < now() + make_interval(mins => l.idle) - interval '30 seconds'
       FOR UPDATE OF s SKIP LOCKED),
    touched AS (
      UPDATE sessions s SET last_seen_at = now(), idle_expires_at = now() + make_interval(mins => l.idle)
        FROM live l
       WHERE s.id = l.id AND s.id IN (SELECT id FROM due)
       RETURNING s.id, s.idle_expires_at)
    SELECT coalesce(json_agg(r), '[]') AS sessions FROM (
    SELECT ${SESSION_COLUMNS.replace('s.idle_expires_at', 'coalesce(t.idle_expires_at, s.idle_expires_at) AS idle_expires_at')}
      FROM live s LEFT JOIN touched t ON t.id = s.id
      JOIN users u ON u.id = s.user_id AND u.active JOIN organisations o ON o.id = u.organisation_id) r`;
  // As one JSON array: the driver reads one value for the batch instead of thirteen a session.
  const { rows: [answer] } = await db.query<{ sessions: Record<string, unknown>[] }>(
    sql, [checks.map((c) => c.tokenHash), checks.map((c) => c.idleMinutes), checks.map((c) => c.touch)]);
  const found = new Map(answer!.sessions.map((r) => [r.session_id as string, toSessionUser({ ...r, idle_expires_at: new Date(r.idle_expires_at as string) })]));
  // Each check gets its own copy: requests on one session must not share an object.
  return checks.map((c) => { const u = found.get(c.tokenHash); return u ? { ...u } : null; });
}

export interface TimedOutSession {
  userId: string;
  csrfToken: string;
  role: Role;
  secondFactorDone: boolean;
  totpEnrolled: boolean;
}

/**
 * A session that timed out through inactivity (not one that was revoked) of a user who is still active, to keep
 * their unsent work. The caller still checks that the session had completed sign-in and the form's CSRF token.
 */
export async function timedOutSession(db: Queryable, token: string): Promise<TimedOutSession | null> {
  const { rows } = await db.query<{ user_id: string; csrf_token: string; role: Role; second_factor_done: boolean; totp_enrolled: boolean }>(
    `SELECT s.user_id, s.csrf_token, u.role, s.second_factor_at IS NOT NULL AS second_factor_done,
            u.totp_enrolled_at IS NOT NULL AS totp_enrolled
       FROM sessions s JOIN users u ON u.id = s.user_id AND u.active
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.idle_expires_at <= now()
        AND s.absolute_expires_at > now() - interval '1 day'`,
    [hashToken(token)],
  );
  const r = rows[0];
  return r ? { userId: r.user_id, csrfToken: r.csrf_token, role: r.role, secondFactorDone: r.second_factor_done, totpEnrolled: r.totp_enrolled } : null;
}

/** Replace the session's token (after the second factor) so a token seen before sign-in is worthless after it. */
export async function completeSecondFactor(db: Queryable, sessionId: string): Promise<string> {
  const token = newToken();
  await db.query(
    `UPDATE sessions SET id = $2, second_factor_at = now(), pending_totp_secret = NULL, csrf_token = $3 WHERE id = $1`,
    [sessionId, hashToken(token), newToken()],
  );
  return token;
}

export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}

export async function revokeUserSessions(db: Queryable, userId: string, exceptSessionId?: string): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2',
    [userId, exceptSessionId ?? null],
  );
  return rowCount ?? 0;
}

export async function listUserSessions(db: Queryable, userId: string) {
  const { rows } = await db.query<{ id: string; created_at: Date; last_seen_at: Date; ip: string | null }>(
    `SELECT id, created_at, last_seen_at, ip FROM sessions
      WHERE user_id = $1 AND revoked_at IS NULL AND idle_expires_at > now() AND absolute_expires_at > now()
      ORDER BY last_seen_at DESC`,
    [userId],
  );
  return rows;
}
