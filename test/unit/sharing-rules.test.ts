import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ageInYears, canProceed, caseConsentStatus, CONSENT_STATUSES, consentRequirement, lawfulBasisText, NOT_SOUGHT_REASON_INFO,
  NOT_SOUGHT_REASONS, SHARING_OUTCOMES, shareByDate, sharingStates, transitionProblem, whoMustBeAsked,
  type ConsentStatus, type HouseholdMemberFacts, type SharingOutcome, type SubjectConsent,
} from '../../src/sharing/rules.ts';

const TODAY = '2026-03-16';
const mum: HouseholdMemberFacts = { personId: 'p-mum', relatedChildId: null, name: 'Ana Smith', relationship: 'Mother', parentalResponsibility: true };
const dad: HouseholdMemberFacts = { personId: 'p-dad', relatedChildId: null, name: 'Ben Smith', relationship: 'Father', parentalResponsibility: true };
const partner: HouseholdMemberFacts = { personId: 'p-partner', relatedChildId: null, name: 'Carl Jones', relationship: "Mother's partner", parentalResponsibility: false };
const sibling: HouseholdMemberFacts = { personId: null, relatedChildId: 'c-sib', name: 'Dee Smith', relationship: 'Sister', parentalResponsibility: false };

const CHILDREN = {
  aged13: { name: 'Jay Smith', dateOfBirth: '2012-03-17', expectedDueDate: null },
  aged14: { name: 'Jay Smith', dateOfBirth: '2012-03-16', expectedDueDate: null },
  unborn: { name: 'Baby Smith', dateOfBirth: null, expectedDueDate: '2026-06-01' },
} as const;

describe('who must be asked', () => {
  test('each parent or carer with parental responsibility, not other adults or siblings', () => {
    const r = whoMustBeAsked(CHILDREN.aged13, [mum, partner, dad, sibling], null, TODAY);
    assert.deepEqual(r.subjects.map((s) => s.key), ['person:p-mum', 'person:p-dad']);
    assert.equal(r.childAge, 13);
    assert.equal(r.childUnderstandingCanBeJudged, true);
  });

  test('the child turns 14 on their birthday and is then asked', () => {
    assert.equal(ageInYears('2012-03-16', TODAY), 14);
    assert.equal(ageInYears('2012-03-17', TODAY), 13);
    const r = whoMustBeAsked(CHILDREN.aged14, [mum], null, TODAY);
    assert.deepEqual(r.subjects.map((s) => s.key), ['person:p-mum', 'child']);
    assert.match(r.subjects[1]!.why, /14 or over/);
    assert.equal(r.childUnderstandingCanBeJudged, false);
  });

  test('a child under 14 judged of sufficient understanding is asked; judged not, is not', () => {
    assert.deepEqual(whoMustBeAsked(CHILDREN.aged13, [mum], { sufficientUnderstanding: true }, TODAY).subjects.map((s) => s.key), ['person:p-mum', 'child']);
    assert.deepEqual(whoMustBeAsked(CHILDREN.aged13, [mum], { sufficientUnderstanding: false }, TODAY).subjects.map((s) => s.key), ['person:p-mum']);
  });

  test('an unborn child is never asked, whatever the judgement', () => {
    const r = whoMustBeAsked(CHILDREN.unborn, [mum], { sufficientUnderstanding: true }, TODAY);
    assert.deepEqual(r.subjects.map((s) => s.key), ['person:p-mum']);
    assert.equal(r.unborn, true);
    assert.equal(r.childUnderstandingCanBeJudged, false);
  });

  test('nobody with parental responsibility is a warning, and the same person twice is asked once', () => {
    const none = whoMustBeAsked(CHILDREN.aged13, [partner], null, TODAY);
    assert.equal(none.subjects.length, 0);
    assert.match(none.warnings.join(' '), /Nobody with parental responsibility/);
    assert.equal(whoMustBeAsked(CHILDREN.aged13, [mum, mum], null, TODAY).subjects.length, 1);
  });
});

describe('consent requirement by outcome', () => {
  test('required for early help, child in need and universal support; significant harm may proceed without; NFA and monitor need none', () => {
    const expected: Record<SharingOutcome, string> = {
      no_further_action: 'not-needed', monitor: 'not-needed', universal_support: 'required', early_help: 'required',
      front_door_child_in_need: 'required', front_door_child_protection: 'may-proceed-without', police: 'may-proceed-without',
      lado: 'may-proceed-without', prevent: 'may-proceed-without', marac: 'may-proceed-without',
    };
    for (const o of SHARING_OUTCOMES) assert.equal(consentRequirement(o), expected[o], o);
  });
});

describe('canProceed: every outcome × consent state × child 13 / 14 / unborn × approval', () => {
  const statuses: (ConsentStatus | null)[] = [null, ...CONSENT_STATUSES];
  const approval = { approvedByName: 'Mo Manager', approvedAt: '2026-03-16T10:00:00Z', tellParentUnsafe: false };
  const unsafeApproval = { ...approval, tellParentUnsafe: true };

  for (const outcome of SHARING_OUTCOMES) {
    for (const [childLabel, child] of Object.entries(CHILDREN)) {
      for (const parentStatus of statuses) {
        for (const childStatus of statuses) {
          const asked = whoMustBeAsked(child, [mum, dad], null, TODAY);
          const consents: SubjectConsent[] = asked.subjects.map((s) => ({
            key: s.key, name: s.name, kind: s.kind,
            // the mother varies; the father has given consent; the child (when asked) varies
            status: s.key === 'child' ? childStatus : s.key === 'person:p-mum' ? parentStatus : 'given',
          }));
          const childAsked = asked.subjects.some((s) => s.key === 'child');
          if (!childAsked && childStatus !== null) continue; // the child's status cannot matter when they are not asked
          const effective = consents.map((c) => c.status);
          const allGiven = effective.every((s) => s === 'given');
          const anyUnrecorded = effective.some((s) => s === null);
          const withheld = effective.some((s) => s === 'refused' || s === 'withdrawn');
          const requirement = consentRequirement(outcome);

          for (const [approvalLabel, a] of [['no approval', null], ['approval', approval], ['approval, unsafe to tell', unsafeApproval]] as const) {
            test(`${outcome}, ${childLabel}, mother ${parentStatus ?? 'unrecorded'}, child ${childAsked ? (childStatus ?? 'unrecorded') : 'not asked'}, ${approvalLabel}`, () => {
              const r = canProceed(outcome, consents, a);
              assert.ok(r.reasons.length > 0, 'always says why');
              if (requirement === 'not-needed') {
                assert.deepEqual([r.proceed, r.needsManagerApproval, r.frontDoorMustBeTold, r.tellParentAfterwards], [true, false, null, false]);
                return;
              }
              if (allGiven) {
                assert.deepEqual([r.proceed, r.needsManagerApproval, r.frontDoorMustBeTold, r.tellParentAfterwards], [true, false, null, false]);
                return;
              }
              if (requirement === 'required') {
                // approval never overrides a requirement for consent to voluntary support
                assert.deepEqual([r.proceed, r.needsManagerApproval, r.frontDoorMustBeTold, r.tellParentAfterwards], [false, false, null, false]);
                assert.match(r.reasons[0]!, /Consent is required/);
                return;
              }
              assert.equal(r.needsManagerApproval, true);
              assert.equal(r.frontDoorMustBeTold, withheld ? 'withheld' : 'not_sought');
              if (anyUnrecorded) {
                assert.equal(r.proceed, false, 'everyone must have something recorded first');
                assert.equal(r.tellParentAfterwards, false);
                return;
              }
              assert.equal(r.proceed, a !== null);
              const parentWithout = parentStatus !== 'given';
              assert.equal(r.tellParentAfterwards, a !== null && parentWithout && !a.tellParentUnsafe);
            });
          }
        }
      }
    }
  }

  test('with nobody to ask, early help cannot proceed and child protection needs approval', () => {
    assert.equal(canProceed('early_help', [], null).proceed, false);
    const cp = canProceed('front_door_child_protection', [], null);
    assert.deepEqual([cp.proceed, cp.needsManagerApproval, cp.frontDoorMustBeTold], [false, true, 'not_sought']);
    const approved = canProceed('front_door_child_protection', [], { approvedByName: 'M', approvedAt: new Date(), tellParentUnsafe: false });
    assert.deepEqual([approved.proceed, approved.tellParentAfterwards], [true, true]);
  });
});

describe('consent changes, case status and the sharing log', () => {
  test('consent is withdrawn only after it was given', () => {
    assert.equal(transitionProblem('given', 'withdrawn'), null);
    for (const prev of [null, 'sought', 'refused', 'not_sought', 'withdrawn'] as const) assert.match(transitionProblem(prev, 'withdrawn') ?? '', /only after it was given/);
    assert.equal(transitionProblem('refused', 'given'), null);
  });

  test('every reason for not seeking consent other than "other" is cited to a seed', () => {
    for (const r of NOT_SOUGHT_REASONS) {
      if (r === 'other') continue;
      assert.ok(NOT_SOUGHT_REASON_INFO[r].citations.length > 0, r);
      for (const c of NOT_SOUGHT_REASON_INFO[r].citations) assert.match(c.seed, /^00[0-4]$/);
    }
  });

  test('case consent status', () => {
    const s = (status: ConsentStatus | null): SubjectConsent => ({ key: 'child', name: 'x', kind: 'child', status });
    assert.equal(caseConsentStatus([]), 'not_applicable');
    assert.equal(caseConsentStatus([s('given'), s('given')]), 'given');
    assert.equal(caseConsentStatus([s('given'), s('refused')]), 'withheld');
    assert.equal(caseConsentStatus([s('withdrawn'), s('not_sought')]), 'withheld');
    assert.equal(caseConsentStatus([s('given'), s('not_sought')]), 'not_sought');
    assert.equal(caseConsentStatus([s('sought'), s(null)]), 'not_obtained');
  });

  test('share within one week: 7 calendar days, across a month end', () => {
    assert.equal(shareByDate('2026-03-16'), '2026-03-23');
    assert.equal(shareByDate('2026-02-26'), '2026-03-05');
  });

  test('log states: awaiting countersignature, overdue, shared, not shared', () => {
    const base = { share: true, withoutConsent: true, countersigned: false, sharedOn: null, shareBy: '2026-03-20' };
    assert.deepEqual(sharingStates(base, '2026-03-16'), ['awaiting_countersignature', 'to_share']);
    assert.deepEqual(sharingStates(base, '2026-03-21'), ['awaiting_countersignature', 'overdue']);
    assert.deepEqual(sharingStates({ ...base, countersigned: true, sharedOn: '2026-03-18' }, '2026-03-30'), ['shared']);
    assert.deepEqual(sharingStates({ ...base, withoutConsent: false }, '2026-03-20'), ['to_share']);
    assert.deepEqual(sharingStates({ ...base, share: false, withoutConsent: false, shareBy: null }, '2026-03-30'), ['not_shared']);
  });

  test('lawful basis text cites UK GDPR and the DPA 2018 safeguarding condition', () => {
    assert.equal(lawfulBasisText('6(1)(e)', ['9(2)(g)']), 'UK GDPR Article 6(1)(e); UK GDPR Article 9(2)(g); DPA 2018 Schedule 1 Part 2 paragraph 18');
  });
});
