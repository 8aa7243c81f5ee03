// Children for tests, created directly in the database and linked to an organisation.
import type { Queryable } from '../../src/platform/db/pool.ts';

export interface TestChild {
  id: string;
  firstName: string;
  lastName: string;
}

export async function createChild(
  db: Queryable,
  opts: { organisationId: string; firstName?: string; lastName?: string; dateOfBirth?: string | null; expectedDueDate?: string | null; postcode?: string; nhsNumber?: string },
): Promise<TestChild> {
  const firstName = opts.firstName ?? 'Jayden';
  const lastName = opts.lastName ?? 'Smith';
  const p = await db.query<{ partnership_id: string }>('SELECT partnership_id FROM organisations WHERE id = $1', [opts.organisationId]);
  const r = await db.query<{ id: string }>(
    `INSERT INTO children (partnership_id, first_name, last_name, date_of_birth, expected_due_date, nhs_number)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [p.rows[0]!.partnership_id, firstName, lastName, opts.dateOfBirth === undefined ? '2018-03-14' : opts.dateOfBirth,
      opts.expectedDueDate ?? null, opts.nhsNumber ?? null],
  );
  const id = r.rows[0]!.id;
  await db.query("INSERT INTO child_names (child_id, kind, first_name, last_name) VALUES ($1, 'legal', $2, $3)", [id, firstName, lastName]);
  await db.query('INSERT INTO child_organisations (child_id, organisation_id) VALUES ($1, $2)', [id, opts.organisationId]);
  if (opts.postcode) {
    await db.query('INSERT INTO child_addresses (child_id, line1, town, postcode) VALUES ($1, $2, $3, $4)', [id, '1 Test Street', 'Chatham', opts.postcode]);
  }
  return { id, firstName, lastName };
}
