// Organisations and users for tests, created directly in the database with known passwords and secrets.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/platform/access/roles.ts';
import { hashPassword, newTotpSecret } from '../../src/platform/auth/credentials.ts';
import type { Queryable } from '../../src/platform/db/pool.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

export async function createOrganisation(db: Queryable, opts: { name?: string; type?: string } = {}) {
  const p = await db.query<{ id: string }>(
    `INSERT INTO partnerships (slug, name, framework_id) VALUES ('medway', 'Medway', 'medway')
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
  );
  const o = await db.query<{ id: string }>(
    'INSERT INTO organisations (partnership_id, name, type, cin_referral_source) VALUES ($1, $2, $3, $4) RETURNING id',
    [p.rows[0]!.id, opts.name ?? `Test school ${randomBytes(3).toString('hex')}`, opts.type ?? 'school', '2A'],
  );
  return { partnershipId: p.rows[0]!.id, organisationId: o.rows[0]!.id };
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  organisationId: string;
  totpSecret: string | null;
}

export async function createUser(
  db: Queryable,
  role: Role,
  opts: { organisationId?: string; enrolTotp?: boolean; email?: string } = {},
): Promise<TestUser> {
  const organisationId = opts.organisationId ?? (await createOrganisation(db)).organisationId;
  const email = opts.email ?? `${role}.${randomBytes(4).toString('hex')}@test.example`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const totpSecret = opts.enrolTotp ? newTotpSecret() : null;
  const r = await db.query<{ id: string }>(
    `INSERT INTO users (organisation_id, email, name, role, password_hash, totp_secret, totp_enrolled_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END) RETURNING id`,
    [organisationId, email, `Test ${role}`, role, await passwordHash, totpSecret],
  );
  return { id: r.rows[0]!.id, email, role, organisationId, totpSecret };
}
