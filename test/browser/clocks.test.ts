// The clocks dashboard and the definitions page in real Chromium, with JavaScript on and off, checked with axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { onEvent } from '../../src/clocks/operations.ts';
import { withTransaction } from '../../src/platform/db/pool.ts';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const DAY = 86_400_000;

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('a DSL sees overdue, due soon and running clocks and what was met or missed; every page is accessible', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
      const child = await createChild(h.t.db, { organisationId, firstName: 'Mia', lastName: 'Clarke' });
      const actor = { userId: dsl.id, role: 'dsl', organisationId, ip: null, requestId: null };
      const tag = Math.random().toString(36).slice(2, 8);
      await withTransaction(h.t.db, async (tx) => {
        // Overdue: a telephone referral three days ago, not yet confirmed in writing.
        await onEvent(tx, 'referral.telephoned', { organisationId, childId: child.id, subject: { type: 'referral', id: `T-${tag}` }, occurredAt: new Date(Date.now() - 3 * DAY), actor });
        // Due soon: a telephone referral 30 hours ago (due soon from 24 hours before the deadline).
        await onEvent(tx, 'referral.telephoned', { organisationId, subject: { type: 'referral', id: `U-${tag}` }, occurredAt: new Date(Date.now() - 30 * 3_600_000), actor });
        // Running: an early help plan agreed today.
        await onEvent(tx, 'early-help-plan.agreed', { organisationId, childId: child.id, subject: { type: 'early-help-plan', id: `P-${tag}` }, actor });
        // Met: an information-sharing decision acted on the same day.
        await onEvent(tx, 'information-sharing.decided', { organisationId, subject: { type: 'information-sharing', id: `S-${tag}` }, occurredAt: new Date(Date.now() - 2 * DAY), actor });
        await onEvent(tx, 'information-sharing.shared', { organisationId, subject: { type: 'information-sharing', id: `S-${tag}` }, occurredAt: new Date(Date.now() - DAY), actor });
      });

      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, dsl);
      await page.goto('/');
      await clickAndWait(page, '.govuk-service-navigation a[href="/clocks"], nav a[href="/clocks"]');
      assert.equal(new URL(page.url()).pathname, '/clocks');
      assert.equal(await page.locator('h1').textContent(), 'Clocks');
      const running = page.locator('#running-clocks tbody tr');
      assert.equal(await running.count(), 3);
      assert.deepEqual(await running.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))), ['overdue', 'due-soon', 'running'], 'soonest due first');
      const overdue = running.first();
      assert.match(await overdue.textContent() ?? '', /Confirm a telephone referral in writing[\s\S]*Mia Clarke[\s\S]*due by \d{1,2}(:\d\d)?(am|pm) \w+day \d{1,2} \w+ \d{4}[\s\S]*Overdue/);
      assert.match(await page.locator('#recent-clocks').textContent() ?? '', /Share information after the decision to share[\s\S]*Met/);
      await expectAccessible(page, `clocks dashboard (JavaScript ${javaScript ? 'on' : 'off'})`);

      await clickAndWait(page, 'a:has-text("How each clock is counted")');
      assert.equal(new URL(page.url()).pathname, '/clocks/definitions');
      assert.match(await page.locator('#telephone-referral-confirmation').textContent() ?? '', /48 hours[\s\S]*All professionals must confirm telephone contacts\/referrals/);
      // A Medway DSL sees Medway's timescales first, and can switch to the default set.
      assert.match(await page.locator('#front-door-decision').textContent() ?? '', /24 hours/);
      await expectAccessible(page, 'clock definitions (Medway)');
      await clickAndWait(page, 'a:has-text("England (statutory guidance")');
      assert.match(await page.locator('#front-door-decision').textContent() ?? '', /1 working day/);
      await expectAccessible(page, 'clock definitions (default)');
      await context.close();
    });
  });
}

test('the definitions page is public and has no personal data', async () => {
  const { context, page } = await h.newPage({ javaScript: false });
  const res = await page.goto('/clocks/definitions');
  assert.equal(res?.status(), 200);
  assert.equal(await page.locator('section[id]').count() >= 14, true);
  await expectAccessible(page, 'clock definitions, signed out');
  await context.close();
});
