// Server-side drafts: what a user has typed but not yet submitted, keyed by a form name.
// Step-by-step forms save here at every step; a timed-out form post is kept under "resume".
import { withTransaction, type Db, type Queryable } from '../db/pool.ts';

export type DraftData = Record<string, unknown>;

export async function saveDraft(db: Queryable, userId: string, formKey: string, data: DraftData): Promise<void> {
  await db.query(
    `INSERT INTO drafts (user_id, form_key, data, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (user_id, form_key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
    [userId, formKey, JSON.stringify(data)],
  );
}

/**
 * Merge fields into a saved draft (or start one), leaving its other fields as they are. Saves of one draft
 * are serialised, so an autosave from one page and a step saved from another tab cannot lose each other's fields.
 */
export async function mergeDraft(db: Db, userId: string, formKey: string, patch: DraftData): Promise<DraftData> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${userId}:${formKey}`]);
    const { rows } = await tx.query<{ data: DraftData }>(
      `INSERT INTO drafts (user_id, form_key, data, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (user_id, form_key) DO UPDATE SET data = drafts.data || EXCLUDED.data, updated_at = now()
       RETURNING data`,
      [userId, formKey, JSON.stringify(patch)],
    );
    return rows[0]!.data;
  });
}

export async function loadDraft(db: Queryable, userId: string, formKey: string): Promise<{ data: DraftData; updatedAt: Date } | null> {
  const { rows } = await db.query<{ data: DraftData; updated_at: Date }>(
    'SELECT data, updated_at FROM drafts WHERE user_id = $1 AND form_key = $2',
    [userId, formKey],
  );
  return rows[0] ? { data: rows[0].data, updatedAt: rows[0].updated_at } : null;
}

export async function deleteDraft(db: Queryable, userId: string, formKey: string): Promise<void> {
  await db.query('DELETE FROM drafts WHERE user_id = $1 AND form_key = $2', [userId, formKey]);
}

/**
 * Locks these drafts until the transaction ends and returns the keys (`userId formKey`) of those that exist.
 * A transaction that sends a draft claims it first: a second sending of the same draft (a double click, a second
 * tab) waits for the first and then finds it gone. Rows are locked in key order so two such transactions cannot
 * deadlock.
 */
export async function claimDrafts(db: Queryable, drafts: { userId: string; formKey: string }[]): Promise<Set<string>> {
  const { rows } = await db.query<{ user_id: string; form_key: string }>(
    `SELECT d.user_id, d.form_key FROM drafts d
       JOIN unnest($1::uuid[], $2::text[]) AS k(user_id, form_key) ON d.user_id = k.user_id AND d.form_key = k.form_key
      ORDER BY d.user_id, d.form_key
        FOR UPDATE OF d`,
    [drafts.map((d) => d.userId), drafts.map((d) => d.formKey)],
  );
  return new Set(rows.map((r) => `${r.user_id} ${r.form_key}`));
}
