// A case for consent and sharing tests: a child, the people around them, a concern and (optionally) a decision,
// inserted directly with SQL.
import type { Queryable } from '../../src/platform/db/pool.ts';
import type { SharingOutcome } from '../../src/sharing/rules.ts';
import { createChild } from './children.ts';

export interface TestAdult { personId: string; name: string; parentalResponsibility: boolean }
export interface TestCase { childId: string; concernId: string; decisionId: string | null; adults: TestAdult[] }

export async function createCase(db: Queryable, opts: {
  organisationId: string;
  raisedBy: string;
  decidedBy?: string;
  outcome?: SharingOutcome | null;
  dateOfBirth?: string | null;
  expectedDueDate?: string | null;
  adults?: { firstName: string; lastName: string; relationship: string; parentalResponsibility: boolean }[];
  restricted?: boolean;
}): Promise<TestCase> {
  const child = await createChild(db, { organisationId: opts.organisationId, firstName: 'Jordan', lastName: 'Reed', dateOfBirth: opts.dateOfBirth === undefined ? '2011-01-15' : opts.dateOfBirth, expectedDueDate: opts.expectedDueDate ?? null });
  const { rows: [org] } = await db.query<{ partnership_id: string }>('SELECT partnership_id FROM organisations WHERE id = $1', [opts.organisationId]);
  const adults: TestAdult[] = [];
  for (const a of opts.adults ?? [
    { firstName: 'Sam', lastName: 'Reed', relationship: 'Mother', parentalResponsibility: true },
    { firstName: 'Alex', lastName: 'Reed', relationship: 'Father', parentalResponsibility: true },
    { firstName: 'Chris', lastName: 'Lane', relationship: 'Mother’s partner', parentalResponsibility: false },
  ]) {
    const { rows: [p] } = await db.query<{ id: string }>('INSERT INTO people (partnership_id, first_name, last_name) VALUES ($1, $2, $3) RETURNING id', [org!.partnership_id, a.firstName, a.lastName]);
    await db.query('INSERT INTO household_members (child_id, person_id, relationship, parental_responsibility) VALUES ($1, $2, $3, $4)', [child.id, p!.id, a.relationship, a.parentalResponsibility]);
    adults.push({ personId: p!.id, name: `${a.firstName} ${a.lastName}`, parentalResponsibility: a.parentalResponsibility });
  }
  const { rows: [concern] } = await db.query<{ id: string }>(
    `INSERT INTO concerns (child_id, organisation_id, raised_by, status, what_happened, restricted) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [child.id, opts.organisationId, opts.raisedBy, opts.outcome ? 'decided' : 'new', 'Bruising seen on the arm; the child said it was from home.', opts.restricted ?? false],
  );
  let decisionId: string | null = null;
  if (opts.outcome) {
    const { rows: [d] } = await db.query<{ id: string }>(
      `INSERT INTO decisions (concern_id, child_id, organisation_id, outcome, rationale, decided_by, restricted) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [concern!.id, child.id, opts.organisationId, opts.outcome, 'Test rationale', opts.decidedBy ?? opts.raisedBy, opts.restricted ?? false],
    );
    decisionId = d!.id;
  }
  return { childId: child.id, concernId: concern!.id, decisionId, adults };
}
