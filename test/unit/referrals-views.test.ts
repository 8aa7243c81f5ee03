// How the referral is shown: sections with change links before sending, none after; the consent notice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReferral } from '../../src/referrals/model.ts';
import { consentNotice, documentSections, summaryRows } from '../../src/referrals/views-model.ts';
import { completeRecords } from '../support/referrals.ts';

const links = { child: '/children/c/edit', household: '/children/c', professionals: '/children/c/professionals/new', consent: '/concerns/x/consent', analysis: '/concerns/x/referral/analysis' };

describe('documentSections', () => {
  test('before sending, the facts link to where they are changed; after sending, nothing is changeable', () => {
    const d = buildReferral(completeRecords(), 'child_in_need');
    const before = documentSections(d, links);
    assert.deepEqual(before.map((s) => s.id), ['referrer', 'child', 'household', 'professionals', 'concern', 'level', 'decision', 'consent', 'analysis']);
    const child = before.find((s) => s.id === 'child')!;
    assert.equal(child.rows.find((r) => r.key === 'Address')!.href, '/children/c/edit');
    const analysis = before.find((s) => s.id === 'analysis')!;
    assert.equal(analysis.rows[0]!.href, '/concerns/x/referral/analysis#worries');
    const rows = summaryRows(child);
    assert.equal(rows[0]!.actions!.items[0]!.text, 'Change');
    assert.ok(rows[0]!.actions!.items[0]!.visuallyHiddenText);

    const after = documentSections(d, null);
    for (const s of after) for (const r of s.rows) assert.equal(r.href, undefined, `${s.id}: ${r.key}`);
  });

  test('what is not recorded says so, and an unborn child shows the expected date of delivery', () => {
    const r = completeRecords();
    r.child.ethnicity = null;
    r.child.dateOfBirth = null;
    r.child.expectedDueDate = '2026-09-01';
    r.household = [];
    const sections = documentSections(buildReferral(r, 'child_in_need'), null);
    const child = sections.find((s) => s.id === 'child')!;
    assert.equal(child.rows.find((x) => x.key === 'Ethnicity')!.value, 'Not recorded');
    assert.equal(child.rows.find((x) => x.key === 'Expected date of delivery')!.value, '1 September 2026');
    assert.equal(sections.find((s) => s.id === 'household')!.rows[0]!.value, 'Nobody is recorded');
  });
});

describe('consentNotice', () => {
  test('tells the front door when consent was withheld or not sought', () => {
    const r = completeRecords();
    assert.equal(consentNotice(buildReferral(r, 'significant_harm')), null);
    r.consent.frontDoorMustBeTold = 'withheld';
    assert.match(consentNotice(buildReferral(r, 'significant_harm'))!, /withheld/);
    r.consent.frontDoorMustBeTold = 'not_sought';
    assert.match(consentNotice(buildReferral(r, 'significant_harm'))!, /not sought/);
    r.consent.frontDoorMustBeTold = null;
    r.consent.proceed = false;
    r.consent.reasons = ['Nothing is recorded yet for Sam Reed.'];
    assert.match(consentNotice(buildReferral(r, 'child_in_need'))!, /can still be sent/);
  });
});
