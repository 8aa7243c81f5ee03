// Referral fixtures: complete records for the pure checks, and a decided case with a front door for the pages.
import type { Queryable } from '../../src/platform/db/pool.ts';
import { ANALYSIS_FIELDS, type ReferralRecords } from '../../src/referrals/model.ts';
import { createTestApp, type TestApp } from './app.ts';
import { createOrganisation, createUser, type TestUser } from './fixtures.ts';
import { Client } from './http.ts';
import { createCase, type TestCase } from './sharing.ts';

/** Records with every item the seeds ask for present. */
export function completeRecords(): ReferralRecords {
  return {
    child: {
      id: '00000000-0000-4000-8000-000000000001', firstName: 'Jordan', middleNames: 'Lee', lastName: 'Reed', knownAs: 'JJ', otherNames: ['Jordan Lane'],
      dateOfBirth: '2015-04-02', expectedDueDate: null, sex: 'male', gender: 'Boy', ethnicity: 'White British', firstLanguage: 'English',
      religion: 'None', interpreterNeeded: false, communicationNeeds: null, senStatus: 'none', disability: null, schoolOrSetting: 'Riverside Primary',
      nhsNumber: '9434765919', upn: null, statuses: [], currentAddress: '1 Test Street, Chatham, ME4 4AA', previousAddresses: [],
    },
    household: [
      { name: 'Sam Reed', relationship: 'Mother', dateOfBirth: '1988-01-01', phone: '07700 900000', address: null, parentalResponsibility: true, livesWithChild: true, significantAdult: false },
    ],
    siblings: [],
    professionals: [{ name: 'Dr Patel', role: 'GP', organisation: 'Chatham surgery', phone: null, email: null }],
    concern: {
      id: '00000000-0000-4000-8000-000000000002', reference: 'C-000001', submittedAt: '2026-03-02T09:00:00.000Z', raisedByName: 'Amira Hassan',
      whatHappened: 'Bruise on the arm.', childsWords: 'Mum’s friend hit me.', occurredAt: '2026-03-02T08:45:00.000Z', occurredAtText: null,
      location: 'Classroom', present: 'Teaching assistant', injuries: 'Bruise on the left forearm', categories: ['physical-abuse'], immediateDanger: false,
    },
    assessment: {
      frameworkId: 'medway', frameworkVersion: '2024-12', suggestedLevel: 'level-3', chosenLevel: 'level-3', chosenLevelName: 'Level 3', agreed: true, overrideReason: null,
      reasons: [{ kind: 'indicator', text: 'Physical injury', source: 'Medway p. 10', level: 'level-3', domain: 'child-development' }],
      levels: [{ id: 'level-1', name: 'Level 1' }, { id: 'level-3', name: 'Level 3' }], assessedAt: '2026-03-02T10:00:00.000Z', assessedByName: 'Dee Lead',
    },
    decision: { id: '00000000-0000-4000-8000-000000000003', outcome: 'front_door_child_protection', outcomeLabel: 'Contact the front door: child protection', rationale: 'Injury and disclosure', decidedAt: '2026-03-02T11:00:00.000Z', decidedByName: 'Dee Lead' },
    consent: {
      people: [{ name: 'Sam Reed', relationship: 'Mother', kind: 'person', status: 'given', reason: null }],
      overall: 'given', overallLabel: 'Given by everyone asked', frontDoorMustBeTold: null, proceed: true, reasons: [], approvedBy: null,
    },
    referrer: { userId: '00000000-0000-4000-8000-000000000004', name: 'Dee Lead', role: 'Designated safeguarding lead', email: 'dee@test.example', organisationId: '00000000-0000-4000-8000-000000000005', organisationName: 'Riverside Primary' },
    analysis: Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, `Answer to ${f}`])),
  };
}

export interface ReferralSetup {
  schoolId: string;
  frontDoorId: string;
  dsl: TestUser;
  frontDoorWorker: TestUser;
  frontDoorManager: TestUser;
}

/** A school with a DSL and the partnership's front door with a worker and a manager. */
export async function createReferralSetup(db: Queryable, opts: { enrolTotp?: boolean } = {}): Promise<ReferralSetup> {
  const enrolTotp = opts.enrolTotp ?? true;
  const schoolId = (await createOrganisation(db, { name: `Riverside Primary School ${Math.random().toString(36).slice(2, 8)}` })).organisationId;
  const existing = await db.query<{ id: string }>(`SELECT id FROM organisations WHERE type = 'front_door' ORDER BY name, id LIMIT 1`);
  const frontDoorId = existing.rows[0]?.id ?? (await createOrganisation(db, { name: 'Medway First Response', type: 'front_door' })).organisationId;
  return {
    schoolId, frontDoorId,
    dsl: await createUser(db, 'dsl', { organisationId: schoolId, enrolTotp }),
    frontDoorWorker: await createUser(db, 'front_door_worker', { organisationId: frontDoorId, enrolTotp }),
    frontDoorManager: await createUser(db, 'front_door_manager', { organisationId: frontDoorId, enrolTotp }),
  };
}

/** A concern decided as a referral to the front door, with a mother and father who have parental responsibility. */
export async function createReferralCase(db: Queryable, s: ReferralSetup, outcome: 'front_door_child_in_need' | 'front_door_child_protection' = 'front_door_child_protection'): Promise<TestCase> {
  return createCase(db, { organisationId: s.schoolId, raisedBy: s.dsl.id, outcome });
}

/** A test app with the referral setup, its DSL and its front-door worker signed in. */
export async function startReferralApp(): Promise<{ t: TestApp; s: ReferralSetup; dsl: Client; frontDoor: Client }> {
  const t = await createTestApp();
  const s = await createReferralSetup(t.db);
  const dsl = new Client(t.app);
  await dsl.signIn(s.dsl);
  const frontDoor = new Client(t.app);
  await frontDoor.signIn(s.frontDoorWorker);
  return { t, s, dsl, frontDoor };
}
