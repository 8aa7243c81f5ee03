// Server-side drafts: what a user has typed but not yet submitted, keyed by a form name.
// Step-by-step forms save here at every step; a timed-out form post is kept under "resume".
import type { Queryable } from '../db/pool.ts';

export type DraftData = Record<string, unknown>;

export async function saveDraft(db: Queryable, userId: string, formKey: string, data: DraftData): Promise<void> {
  await db.query(
    `INSERT INTO drafts (user_id, form_key, data, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (user_id, form_key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
    [userId, formKey, JSON.stringify(data)],
  );
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
