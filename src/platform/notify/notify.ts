// In-app notifications and email, written in the caller's transaction: a notification exists exactly when
// the thing it announces does. Email goes to the outbox; a worker sends it (see worker.ts).
import type { Queryable } from '../db/pool.ts';

export interface Notice {
  /** e.g. "concern.new" */
  kind: string;
  /** shown in the app; may name colleagues, never a child */
  text: string;
  link: string | null;
  /** sent to each recipient's address; must carry no personal data (email leaves our control) */
  email?: { subject: string; body: string };
}

export async function notify(tx: Queryable, userIds: readonly string[], n: Notice): Promise<number> {
  return notifyEach(tx, [{ userIds, notice: n }]);
}

/** Several notices, each to its own recipients, in one statement (for operations written in batches). */
export async function notifyEach(tx: Queryable, notices: { userIds: readonly string[]; notice: Notice }[]): Promise<number> {
  const rows = notices.flatMap(({ userIds, notice: n }) => [...new Set(userIds)].map((userId) => ({
    userId, kind: n.kind, text: n.text, link: n.link, subject: n.email?.subject ?? null, body: n.email?.body ?? null,
  })));
  if (rows.length === 0) return 0;
  // One statement for the notices and their emails: these are written inside busy transactions (a new concern).
  // PostgreSQL runs every data-changing WITH part once, whether or not the final SELECT reads it.
  // Each recipient is looked up by key: as a plain join the planner read every user for each batch (a sixth
  // of the statement with 1,000 staff, and growing with them). OFFSET 0 keeps the lookup a lookup.
  const { rows: counted } = await tx.query<{ n: number }>(
    `WITH recipients AS (
            SELECT x.*, u.email FROM jsonb_to_recordset($1::jsonb) AS x("userId" uuid, kind text, text text, link text, subject text, body text)
              CROSS JOIN LATERAL (SELECT u.email FROM users u WHERE u.id = x."userId" AND u.active OFFSET 0) u),
          noticed AS (INSERT INTO notifications (user_id, kind, text, link) SELECT "userId", kind, text, link FROM recipients RETURNING 1),
          emailed AS (INSERT INTO email_outbox (to_address, subject, body) SELECT email, subject, body FROM recipients WHERE subject IS NOT NULL RETURNING 1)
     SELECT count(*)::int AS n FROM noticed`,
    [JSON.stringify(rows)],
  );
  return counted[0]?.n ?? 0;
}

export interface NotificationRow {
  id: number;
  createdAt: Date;
  readAt: Date | null;
  kind: string;
  text: string;
  link: string | null;
}

export async function listNotifications(db: Queryable, userId: string, limit = 50): Promise<NotificationRow[]> {
  const { rows } = await db.query<{ id: number; created_at: Date; read_at: Date | null; kind: string; text: string; link: string | null }>(
    `SELECT id, created_at, read_at, kind, text, link FROM notifications WHERE user_id = $1
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, readAt: r.read_at, kind: r.kind, text: r.text, link: r.link }));
}

/**
 * How many of the person's notifications are unread; with `upTo`, counting no further than that: the
 * navigation of every page shows the count, and a DSL who leaves thousands unread should not pay for counting
 * them all on each click (7 ms for 22,700).
 */
export async function unreadCount(db: Queryable, userId: string, upTo?: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT $2) u`,
    [userId, upTo ?? null],
  );
  return rows[0]?.n ?? 0;
}

/** Mark one (or, with id null, every) notification of this user as read. Others' notifications are untouched. */
export async function markRead(db: Queryable, userId: string, id: number | null): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint IS NULL OR id = $2)`,
    [userId, id],
  );
  return rowCount ?? 0;
}
