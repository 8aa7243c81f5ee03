// The referral document and its completeness checks against the seeds' lists.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ANALYSIS_FIELDS, buildReferral, checkCompleteness, nextStatus, REFERRAL_KINDS, referralKindOf, REQUIREMENTS, requirementsFor,
  type ReferralKind, type ReferralRecords,
} from '../../src/referrals/model.ts';
import { renderReferralPdf } from '../../src/referrals/pdf.ts';
import { completeRecords } from '../support/referrals.ts';

const missingIds = (r: ReferralRecords, kind: ReferralKind) => checkCompleteness(buildReferral(r, kind)).map((m) => m.id);
const edit = (change: (r: ReferralRecords) => void) => { const r = completeRecords(); change(r); return r; };

describe('buildReferral', () => {
  test('keeps every recorded fact, names the child in full and trims the analysis', () => {
    const r = completeRecords();
    r.analysis = { worries: '  Bruising and a disclosure.  ' };
    const d = buildReferral(r, 'significant_harm');
    assert.equal(d.childName, 'Jordan Lee Reed');
    assert.equal(d.kind, 'significant_harm');
    assert.match(d.kindLabel, /significant harm/);
    assert.equal(d.analysis.worries, 'Bruising and a disclosure.');
    assert.equal(d.analysis.tried, '', 'an unanswered question is an empty answer, not absent');
    assert.deepEqual(Object.keys(d.analysis).sort(), [...ANALYSIS_FIELDS].sort());
    assert.equal(d.referrerAnonymous, false, 'a professional referrer is never anonymous');
    assert.deepEqual(d.household, r.household);
    assert.deepEqual(d.consent, r.consent);
    assert.equal(d.assessment!.frameworkVersion, '2024-12');
    assert.equal(d.decision.outcome, 'front_door_child_protection');
  });

  test('the kind follows the decision outcome', () => {
    assert.equal(referralKindOf('front_door_child_in_need'), 'child_in_need');
    assert.equal(referralKindOf('front_door_child_protection'), 'significant_harm');
    for (const other of ['early_help', 'police', 'lado', 'no_further_action', null, undefined]) assert.equal(referralKindOf(other), null);
  });
});

describe('checkCompleteness', () => {
  for (const kind of REFERRAL_KINDS) {
    test(`a complete ${kind} referral has no warnings`, () => {
      assert.deepEqual(missingIds(completeRecords(), kind), []);
    });
  }

  test('every requirement cites the seeds, and each kind covers its own column', () => {
    for (const q of REQUIREMENTS) {
      assert.ok(q.citations.length > 0, q.id);
      for (const c of q.citations) assert.match(c.seed, /^00[012]$/, q.id);
    }
    const cin = requirementsFor('child_in_need').map((q) => q.id);
    const sh = requirementsFor('significant_harm').map((q) => q.id);
    for (const id of ['stay-involved', 'expected-response', 'person-posing-risk', 'needs-evidence']) { assert.ok(cin.includes(id)); assert.ok(!sh.includes(id)); }
    for (const id of ['injuries', 'parents-location', 'contextual-risks']) { assert.ok(sh.includes(id)); assert.ok(!cin.includes(id)); }
  });

  test('seed 001 §7 list: each item warns when missing, for both kinds', () => {
    const cases: [string, (r: ReferralRecords) => void][] = [
      ['child-date-of-birth', (r) => { r.child.dateOfBirth = null; }],
      ['child-gender', (r) => { r.child.gender = null; r.child.sex = 'not_known'; }],
      ['address', (r) => { r.child.currentAddress = null; }],
      ['parental-responsibility', (r) => { r.household[0]!.parentalResponsibility = false; }],
      ['household', (r) => { r.household[0]!.dateOfBirth = null; }],
      ['ethnicity', (r) => { r.child.ethnicity = 'Not known'; }],
      ['first-language', (r) => { r.child.firstLanguage = null; }],
      ['religion', (r) => { r.child.religion = ''; }],
      ['communication', (r) => { r.child.interpreterNeeded = true; r.child.communicationNeeds = null; }],
      ['special-needs', (r) => { r.child.senStatus = 'not_known'; }],
      ['school', (r) => { r.child.schoolOrSetting = null; }],
      ['significant-events', (r) => { r.analysis.significantEvents = ''; }],
      ['time-abroad', (r) => { r.analysis.timeAbroad = '  '; }],
      ['concern-details', (r) => { r.concern.location = null; }],
      ['alleged-perpetrator', (r) => { delete r.analysis.allegedPerpetrator; }],
      ['child-location', (r) => { r.analysis.childLocation = ''; }],
      ['child-safe-now', (r) => { r.analysis.childSafeNow = ''; }],
      ['childs-account', (r) => { r.concern.childsWords = null; }],
      ['parents-response', (r) => { r.analysis.parentsResponse = ''; }],
      ['relationship', (r) => { r.analysis.relationshipToChild = ''; }],
      ['other-agencies', (r) => { r.professionals = []; }],
      ['consent', (r) => { r.consent.people[0]!.status = null; }],
    ];
    for (const [id, change] of cases) {
      for (const kind of REFERRAL_KINDS) {
        const missing = checkCompleteness(buildReferral(edit(change), kind));
        assert.deepEqual(missing.map((m) => m.id), [id], `${id} (${kind})`);
        assert.ok(missing[0]!.citations.some((c) => c.seed === '001'), `${id} cites seed 001`);
        assert.match(missing[0]!.citationText, /Seed 001: Appendix B/);
      }
    }
  });

  test('seed 002 child in need column: warned only for a child in need referral', () => {
    const cases: [string, (r: ReferralRecords) => void][] = [
      ['stay-involved', (r) => { r.analysis.stayInvolved = ''; }],
      ['expected-response', (r) => { r.analysis.expectedResponse = ''; }],
      ['person-posing-risk', (r) => { r.analysis.personPosingRisk = ''; }],
      ['needs-evidence', (r) => { r.assessment!.reasons = [{ kind: 'rule', text: 'Under one', source: 'x', level: null, domain: null }]; }],
    ];
    for (const [id, change] of cases) {
      assert.deepEqual(missingIds(edit(change), 'child_in_need'), [id], id);
      assert.deepEqual(missingIds(edit(change), 'significant_harm'), [], `${id} is not asked of a significant harm referral`);
      const m = checkCompleteness(buildReferral(edit(change), 'child_in_need'))[0]!;
      assert.ok(m.citations.some((c) => c.seed === '002' && /child in need/.test(c.section)), id);
    }
    // in both columns of seed 002
    for (const kind of REFERRAL_KINDS) assert.deepEqual(missingIds(edit((r) => { r.analysis.lastSeen = ''; }), kind), ['last-seen']);
    for (const kind of REFERRAL_KINDS) assert.deepEqual(missingIds(edit((r) => { r.analysis.householdDifficulties = ''; }), kind), ['household-difficulties']);
    for (const kind of REFERRAL_KINDS) assert.deepEqual(missingIds(edit((r) => { r.analysis.informationSource = ''; }), kind), ['information-source']);
  });

  test('seed 002 significant harm column: warned only for a significant harm referral', () => {
    const cases: [string, (r: ReferralRecords) => void][] = [
      ['injuries', (r) => { r.concern.injuries = null; }],
      ['parents-location', (r) => { r.analysis.parentsLocation = ''; }],
      ['contextual-risks', (r) => { r.analysis.contextualRisks = ''; }],
    ];
    for (const [id, change] of cases) {
      assert.deepEqual(missingIds(edit(change), 'significant_harm'), [id], id);
      assert.deepEqual(missingIds(edit(change), 'child_in_need'), [], `${id} is not asked of a child in need referral`);
      const m = checkCompleteness(buildReferral(edit(change), 'significant_harm'))[0]!;
      assert.ok(m.citations.some((c) => c.seed === '002' && /significant harm/.test(c.section)), id);
    }
  });

  test('seed 002 common list: the referrer’s name and designation', () => {
    for (const kind of REFERRAL_KINDS) {
      const missing = checkCompleteness(buildReferral(edit((r) => { r.referrer.role = ''; }), kind));
      assert.deepEqual(missing.map((m) => m.id), ['referrer']);
      assert.equal(missing[0]!.citations[0]!.seed, '002');
    }
  });

  test('seed 000’s six questions each have a check', () => {
    const byQuestion: [number, string, (r: ReferralRecords) => void][] = [
      [1, 'consent', (r) => { r.consent.people[0]!.status = 'not_sought'; r.consent.people[0]!.reason = null; }],
      [2, 'phone-numbers', (r) => { r.household[0]!.phone = null; }],
      [3, 'other-agencies', (r) => { r.professionals = []; }],
      [4, 'worries', (r) => { r.analysis.worries = ''; }],
      [5, 'tried', (r) => { r.analysis.tried = ''; }],
      [6, 'availability', (r) => { r.analysis.availability = ''; }],
    ];
    for (const [n, id, change] of byQuestion) {
      for (const kind of REFERRAL_KINDS) {
        const missing = checkCompleteness(buildReferral(edit(change), kind));
        assert.deepEqual(missing.map((m) => m.id), [id], `question ${n}`);
        assert.ok(missing[0]!.citations.some((c) => c.seed === '000' && c.section.endsWith(`question ${n}`)), `question ${n} cited`);
      }
    }
    // question 4 also asks for the level under the threshold document
    assert.deepEqual(missingIds(edit((r) => { r.assessment = null; }), 'significant_harm'), ['threshold-level']);
    assert.deepEqual(missingIds(edit((r) => { r.assessment = null; }), 'child_in_need'), ['threshold-level', 'needs-evidence']);
  });

  test('consent not sought with a reason is complete; refused is complete (the front door is told)', () => {
    assert.deepEqual(missingIds(edit((r) => { r.consent.people[0]!.status = 'not_sought'; r.consent.people[0]!.reason = 'Risk of FGM'; }), 'significant_harm'), []);
    assert.deepEqual(missingIds(edit((r) => { r.consent.people[0]!.status = 'refused'; }), 'significant_harm'), []);
    assert.deepEqual(missingIds(edit((r) => { r.consent.people = []; }), 'significant_harm'), ['consent']);
  });

  test('an unborn child is not asked for a gender or a school', () => {
    const ids = missingIds(edit((r) => { r.child.dateOfBirth = null; r.child.expectedDueDate = '2026-09-01'; r.child.gender = null; r.child.sex = null; r.child.schoolOrSetting = null; }), 'child_in_need');
    assert.deepEqual(ids, []);
  });

  test('an empty referral lists everything and is still a referral (warnings, not a block)', () => {
    const r = completeRecords();
    r.analysis = {};
    r.household = []; r.professionals = []; r.assessment = null; r.consent.people = [];
    const cin = checkCompleteness(buildReferral(r, 'child_in_need'));
    const sh = checkCompleteness(buildReferral(r, 'significant_harm'));
    assert.ok(cin.length >= 20 && sh.length >= 20);
    for (const m of [...cin, ...sh]) { assert.ok(m.text.length > 0); assert.ok(m.citationText.startsWith('Seed 00')); }
    assert.ok(cin.some((m) => m.field === 'whyNow'));
  });
});

describe('status after an update', () => {
  test('moves forward only', () => {
    assert.equal(nextStatus('sent', 'acknowledgement'), 'acknowledged');
    assert.equal(nextStatus('sent', 'decision'), 'decided');
    assert.equal(nextStatus('decided', 'acknowledgement'), 'decided');
    assert.equal(nextStatus('decided', 'feedback'), 'feedback_given');
    assert.equal(nextStatus('feedback_given', 'decision'), 'feedback_given');
  });
});

describe('the PDF', () => {
  test('is a PDF with a title, the language and a structure tree', async () => {
    const d = buildReferral(completeRecords(), 'significant_harm');
    const pdf = await renderReferralPdf({ reference: 'R-000001', document: d, missing: checkCompleteness(d), method: 'online', sentAt: new Date('2026-03-02T12:00:00Z'), receivingOrganisation: 'First Response' });
    const raw = pdf.toString('latin1');
    assert.equal(raw.slice(0, 5), '%PDF-');
    assert.match(raw, /\/Title /);
    assert.match(raw, /\(Multi-agency referral R-000001: Jordan Lee Reed\)/);
    assert.match(raw, /\/Lang \(en-GB\)/);
    assert.match(raw, /\/StructTreeRoot/);
    assert.match(raw, /\/MarkInfo/);
  });
});
