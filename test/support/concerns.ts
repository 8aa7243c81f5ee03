// Concerns for tests, inserted directly (the concern form is tested on its own), with their 'concern' event.
import type { Queryable } from '../../src/platform/db/pool.ts';

export interface TestConcern {
  id: string;
  reference: number;
}

export async function createConcern(
  db: Queryable,
  opts: {
    childId: string;
    organisationId: string;
    raisedBy: string;
    submittedAt?: Date;
    whatHappened?: string;
    immediateDanger?: boolean;
    status?: 'new' | 'in_triage' | 'decided';
    categories?: string[];
  },
): Promise<TestConcern> {
  const submittedAt = opts.submittedAt ?? new Date();
  const r = await db.query<{ id: string; reference: number }>(
    `INSERT INTO concerns (child_id, organisation_id, raised_by, status, submitted_at, what_happened, childs_words, location, immediate_danger, categories)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, reference`,
    [opts.childId, opts.organisationId, opts.raisedBy, opts.status ?? 'new', submittedAt,
      opts.whatHappened ?? 'Came to school with a bruise on her arm and said she was scared to go home.',
      'Mummy’s friend shouts at Mummy and hits her.', 'Classroom', opts.immediateDanger ?? false, opts.categories ?? ['domestic-abuse']],
  );
  const c = r.rows[0]!;
  await db.query(
    `INSERT INTO events (child_id, organisation_id, type, occurred_at, recorded_by, summary, source_type, source_id)
     VALUES ($1, $2, 'concern', $3, $4, $5, 'concern', $6)`,
    [opts.childId, opts.organisationId, submittedAt, opts.raisedBy, `Concern C-${String(c.reference).padStart(6, '0')} raised`, c.id],
  );
  return c;
}

/** A sibling link between two children's records. */
export async function linkSiblings(db: Queryable, childId: string, siblingId: string): Promise<void> {
  await db.query(`INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $2, 'sibling')`, [childId, siblingId]);
}
