// A realistic large dataset for measuring Continuum at scale: organisations across one partnership,
// their staff, children with names, dates of birth and postcodes, and years of concerns with their
// chronology events. Generated inside PostgreSQL (generate_series) so a million rows take seconds, not hours.
import { hashPassword } from '../platform/auth/credentials.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { Db, Tx } from '../platform/db/pool.ts';

export const LARGE_PARTNERSHIP_SLUG = 'scale-medway';
export const LARGE_PASSWORD = 'scale-test-password';

export interface LargeSeedOptions {
  organisations: number;
  children: number;
  concerns: number;
}

const FIRST_NAMES = ['Jayden', 'Olivia', 'Amelia', 'Noah', 'Isla', 'Muhammad', 'Ava', 'Leo', 'Freya', 'Oliver', 'Lily', 'George',
  'Ivy', 'Arthur', 'Florence', 'Theo', 'Mia', 'Oscar', 'Evie', 'Harry', 'Sophia', 'Jack', 'Grace', 'Charlie', 'Poppy', 'Jacob',
  'Ella', 'Alfie', 'Willow', 'Thomas', 'Rosie', 'Finley', 'Daisy', 'Reggie', 'Millie', 'Tommy', 'Aisha', 'Kai', 'Zara', 'Ibrahim',
  'Maja', 'Jakub', 'Amara', 'Kofi', 'Priya', 'Arjun', 'Chloe', 'Ethan', 'Ruby', 'Mason', 'Hannah', 'Tyler', 'Leah', 'Caleb'];
const LAST_NAMES = ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke',
  'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker',
  'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths',
  'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards',
  'Khan', 'Ahmed', 'Ali', 'Hussain', 'Begum', 'Nowak', 'Kowalski', 'Okafor', 'Mensah', 'Adeyemi', 'Singh', 'Kaur', 'Smith-Jones'];
const WHAT_HAPPENED = [
  'Arrived at school hungry and in the same clothes as yesterday; said there was no food at home.',
  'Noticed bruising on the upper arm during PE. Child said they fell over but seemed anxious.',
  'Parent appeared intoxicated at collection time and was verbally aggressive to the child.',
  'Neighbour reported shouting and crying late at night; police attended the address.',
  'Child disclosed that an older friend gives them money and asks them to carry parcels.',
  'Attendance has dropped to 72% this term with several unexplained absences.',
  'Home visit: property cold, little food, heating not working, baby not seen.',
  'Child became withdrawn after a weekend away and refused to go home at the end of the day.',
];
const ORG_TYPES = [['school', '2A'], ['early_years', '8'], ['health', '3D'], ['housing', '4'], ['voluntary', '8'], ['police', '6']] as const;

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

export async function largeDatasetExists(db: Db): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM partnerships WHERE slug = $1', [LARGE_PARTNERSHIP_SLUG]);
  return (rowCount ?? 0) > 0;
}

export async function seedLargeDataset(db: Db, opts: LargeSeedOptions, log: (m: string) => void = () => undefined): Promise<void> {
  const passwordHash = await hashPassword(LARGE_PASSWORD);
  const started = Date.now();
  // One transaction: a seed that stops part-way leaves nothing, so largeDatasetExists (which looks for the
  // partnership) never takes a half-made dataset for the whole one.
  const tx = await db.connect();
  try {
    await tx.query('BEGIN');
    await seedSteps(tx, opts, passwordHash, log);
    await tx.query('COMMIT');
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
  // Vacuumed as well as analysed, so autovacuum does not start on a million new rows in the middle of a benchmark.
  await db.query('VACUUM ANALYZE');
  log(`Seeded the scale dataset in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

async function seedSteps(db: Tx, opts: LargeSeedOptions, passwordHash: string, log: (m: string) => void): Promise<void> {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    const r = await db.query(sql, params);
    log(`  ${label}: ${r.rowCount ?? 0} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const partnership = await db.query<{ id: string }>(
    `INSERT INTO partnerships (slug, name, framework_id) VALUES ($1, 'Scale test partnership (Medway framework)', 'medway') RETURNING id`,
    [LARGE_PARTNERSHIP_SLUG],
  );
  const pid = partnership.rows[0]!.id;
  const types = sqlArray(ORG_TYPES.map(([t]) => t));
  const codes = sqlArray(ORG_TYPES.map(([, c]) => c));
  await step('organisations', `
    INSERT INTO organisations (partnership_id, name, type, cin_referral_source)
    SELECT $1, 'Scale organisation ' || lpad(g::text, 4, '0'),
           (${types})[1 + g % ${ORG_TYPES.length}], (${codes})[1 + g % ${ORG_TYPES.length}]
      FROM generate_series(1, $2) AS g`, [pid, opts.organisations]);
  // Each organisation: a DSL, a deputy and three practitioners. Emails are predictable for the benchmark.
  await step('users', `
    INSERT INTO users (organisation_id, email, name, role, password_hash)
    SELECT o.id, r.role || '.' || o.n || '@scale.example', initcap(r.role) || ' ' || o.n, r.role, $2
      FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM organisations WHERE partnership_id = $1) o
      CROSS JOIN (VALUES ('dsl'), ('deputy_dsl'), ('practitioner')) AS r(role)`, [pid, passwordHash]);
  await step('more practitioners', `
    INSERT INTO users (organisation_id, email, name, role, password_hash)
    SELECT o.id, 'practitioner' || k || '.' || o.n || '@scale.example', 'Practitioner ' || k || ' ' || o.n, 'practitioner', $2
      FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM organisations WHERE partnership_id = $1) o
      CROSS JOIN generate_series(2, 3) AS k`, [pid, passwordHash]);
  await step('children', `
    INSERT INTO children (partnership_id, first_name, last_name, date_of_birth, expected_due_date, sex, created_at)
    SELECT $1, (${sqlArray(FIRST_NAMES)})[1 + (g * 7919) % ${FIRST_NAMES.length}],
           (${sqlArray(LAST_NAMES)})[1 + (g * 104729) % ${LAST_NAMES.length}],
           CASE WHEN g % 50 = 0 THEN NULL ELSE date '2008-01-01' + ((g * 37) % 6500)::int END,
           CASE WHEN g % 50 = 0 THEN date '2027-01-01' + (g % 200)::int END,
           (ARRAY['female','male'])[1 + g % 2], now() - ((g % 1000) || ' days')::interval
      FROM generate_series(1::bigint, $2) AS g`, [pid, opts.children]);
  await step('child names', `
    INSERT INTO child_names (child_id, kind, first_name, last_name)
    SELECT id, 'legal', first_name, last_name FROM children WHERE partnership_id = $1`, [pid]);
  await step('child organisations', `
    INSERT INTO child_organisations (child_id, organisation_id)
    SELECT c.id, o.id
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM children WHERE partnership_id = $1) c
      JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM organisations WHERE partnership_id = $1) o
        ON o.k = c.n % $2`, [pid, opts.organisations]);
  await step('addresses', `
    INSERT INTO child_addresses (child_id, line1, town, postcode)
    SELECT c.id, (c.n % 200 + 1) || ' ' || (ARRAY['High Street','Station Road','Church Lane','Victoria Road','Mill Lane'])[1 + c.n % 5],
           (ARRAY['Chatham','Gillingham','Rochester','Strood','Rainham'])[1 + c.n % 5],
           'ME' || (1 + c.n % 20) || ' ' || (c.n % 9 + 1) || chr(65 + (c.n % 26)::int) || chr(65 + ((c.n / 26) % 26)::int)
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM children WHERE partnership_id = $1) c`, [pid]);
  // Concerns: spread over three years; the most recent 1% still new (the triage queues' contents).
  await step('concerns', `
    WITH c AS (SELECT c.id, co.organisation_id, row_number() OVER (ORDER BY c.id) AS n
                 FROM children c JOIN child_organisations co ON co.child_id = c.id WHERE c.partnership_id = $1),
         staff AS (SELECT organisation_id, array_agg(id ORDER BY email) AS ids FROM users
                    WHERE role = 'practitioner' AND organisation_id IN (SELECT id FROM organisations WHERE partnership_id = $1)
                    GROUP BY organisation_id),
         picks AS (SELECT g, 1 + (g * 48271) % $2 AS child_n FROM generate_series(1::bigint, $3) AS g)
    INSERT INTO concerns (child_id, organisation_id, raised_by, status, submitted_at, what_happened, childs_words, categories, immediate_danger)
    SELECT c.id, c.organisation_id, staff.ids[1 + p.g % 3],
           CASE WHEN p.g > $3 * 0.99 THEN 'new' ELSE 'decided' END,
           now() - (($3 - p.g) * (3 * 365 * 86400.0 / $3) || ' seconds')::interval,
           (${sqlArray(WHAT_HAPPENED)})[1 + p.g % ${WHAT_HAPPENED.length}],
           CASE WHEN p.g % 3 = 0 THEN 'I don''t want to go home' END,
           ARRAY[(ARRAY['neglect','physical_abuse','emotional_abuse','domestic_abuse','child_criminal_exploitation'])[1 + p.g % 5]],
           p.g % 97 = 0
      FROM picks p JOIN c ON c.n = p.child_n JOIN staff ON staff.organisation_id = c.organisation_id`,
  [pid, opts.children, opts.concerns]);
  await step('chronology events', `
    INSERT INTO events (child_id, organisation_id, type, occurred_at, recorded_by, summary, source_type, source_id, significant)
    SELECT k.child_id, k.organisation_id, 'concern', k.submitted_at, k.raised_by, 'Concern raised', 'concern', k.id::text, k.immediate_danger
      FROM concerns k JOIN organisations o ON o.id = k.organisation_id WHERE o.partnership_id = $1`, [pid]);
  await recordAudit(db, { userId: null, role: null, organisationId: null, ip: null, requestId: null },
    { action: 'system.scale-seeded', details: { ...opts } });
}
