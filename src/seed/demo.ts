// The demo partnership created on a new database: Medway, four organisations and one user per role.
// Passwords are random per installation and written to DATA_DIR/demo-sign-ins.txt.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Role } from '../platform/access/roles.ts';
import { ROLE_LABELS, SECOND_FACTOR_ROLES } from '../platform/access/roles.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { hashPassword } from '../platform/auth/credentials.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';

const SEED_LOCK = 74_201_002;

export const DEMO_ORGANISATIONS = [
  { key: 'school', name: 'Riverside Primary School', type: 'school', cin: '2A' },
  { key: 'housing', name: 'Medway Valley Housing Association', type: 'housing', cin: '4' },
  { key: 'health', name: 'Medway Health Visiting Team', type: 'health', cin: '3B' },
  { key: 'frontdoor', name: 'First Response (Medway Children’s Services)', type: 'front_door', cin: '5A' },
] as const;

export const DEMO_USERS: { email: string; name: string; role: Role; org: (typeof DEMO_ORGANISATIONS)[number]['key'] }[] = [
  { email: 'teacher@riverside.demo', name: 'Amira Hassan', role: 'practitioner', org: 'school' },
  { email: 'dsl@riverside.demo', name: 'Daniel Okafor', role: 'dsl', org: 'school' },
  { email: 'deputy-dsl@riverside.demo', name: 'Grace Whitfield', role: 'deputy_dsl', org: 'school' },
  { email: 'housing.officer@medwayvalley.demo', name: 'Tom Brennan', role: 'practitioner', org: 'housing' },
  { email: 'manager@medwayvalley.demo', name: 'Priya Nair', role: 'line_manager', org: 'housing' },
  { email: 'health.visitor@medwayhv.demo', name: 'Sian Roberts', role: 'practitioner', org: 'health' },
  { email: 'worker@firstresponse.demo', name: 'Joe Mensah', role: 'front_door_worker', org: 'frontdoor' },
  { email: 'manager@firstresponse.demo', name: 'Helen Clarke', role: 'front_door_manager', org: 'frontdoor' },
  { email: 'workforce@riverside.demo', name: 'Marek Nowak', role: 'workforce_admin', org: 'school' },
  { email: 'auditor@firstresponse.demo', name: 'Ruth Adeyemi', role: 'auditor', org: 'frontdoor' },
  { email: 'admin@firstresponse.demo', name: 'Sam Patel', role: 'system_admin', org: 'frontdoor' },
];

export interface DemoSignIn {
  email: string;
  password: string;
  role: string;
  secondFactor: boolean;
}

/** Seeds the demo only into an empty database. Returns the sign-ins created, or null when already seeded. */
export async function seedDemoIfEmpty(db: Db): Promise<DemoSignIn[] | null> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const existing = await tx.query('SELECT 1 FROM partnerships LIMIT 1');
    if (existing.rowCount) return null;
    const p = await tx.query<{ id: string }>(
      `INSERT INTO partnerships (slug, name, framework_id) VALUES ('medway', 'Medway Safeguarding Children Partnership', 'medway') RETURNING id`,
    );
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGANISATIONS) {
      const r = await tx.query<{ id: string }>(
        'INSERT INTO organisations (partnership_id, name, type, cin_referral_source) VALUES ($1, $2, $3, $4) RETURNING id',
        [p.rows[0]!.id, o.name, o.type, o.cin],
      );
      orgIds.set(o.key, r.rows[0]!.id);
    }
    const signIns: DemoSignIn[] = [];
    for (const u of DEMO_USERS) {
      const password = `demo-${randomBytes(6).toString('base64url')}`;
      await tx.query('INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)', [
        orgIds.get(u.org), u.email, u.name, u.role, await hashPassword(password),
      ]);
      signIns.push({ email: u.email, password, role: ROLE_LABELS[u.role], secondFactor: SECOND_FACTOR_ROLES.has(u.role) });
    }
    await recordAudit(tx, { userId: null, role: null, organisationId: null, ip: null, requestId: null }, { action: 'system.demo-seeded' });
    return signIns;
  });
}

export function describeSignIns(signIns: DemoSignIn[]): string {
  const width = Math.max(...signIns.map((s) => s.email.length));
  const lines = signIns.map((s) => `  ${s.email.padEnd(width)}  ${s.password}  ${s.role}${s.secondFactor ? ' (sets up an authenticator app at first sign-in)' : ''}`);
  return `Demo sign-ins (email, password, role):\n${lines.join('\n')}\n`;
}

export async function writeSignIns(dataDir: string, signIns: DemoSignIn[]): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'demo-sign-ins.txt');
  await writeFile(file, describeSignIns(signIns), { mode: 0o600 });
  return file;
}
