// The statutory clocks on the DSL's triage view and the child's page in real Chromium, JavaScript on and off, with axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { onEvent } from '../../src/clocks/operations.ts';
import { withTransaction } from '../../src/platform/db/pool.ts';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const DAY = 86_400_000;

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('the DSL sees the child\'s clocks on the triage view and the child\'s page; both pages are accessible', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
      const practitioner = await createUser(h.t.db, 'practitioner', { organisationId });
      const child = await createChild(h.t.db, { organisationId, firstName: 'Noah', lastName: 'Timms' });
      const concern = await createConcern(h.t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
      const actor = { userId: dsl.id, role: 'dsl', organisationId, ip: null, requestId: null };
      const tag = Math.random().toString(36).slice(2, 8);
      await withTransaction(h.t.db, async (tx) => {
        await onEvent(tx, 'referral.telephoned', { organisationId, childId: child.id, subject: { type: 'referral', id: `T-${tag}` }, occurredAt: new Date(Date.now() - 3 * DAY), actor });
        await onEvent(tx, 'early-help-plan.agreed', { organisationId, childId: child.id, subject: { type: 'early-help-plan', id: `P-${tag}` }, actor });
      });

      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, dsl);
      await page.goto(`/triage/${concern.id}`);
      assert.equal(await page.locator('#statutory-clocks-heading').textContent(), 'Statutory clocks');
      const rows = page.locator('#case-running-clocks tbody tr');
      assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status'))), ['overdue', 'running']);
      assert.match(await rows.first().textContent() ?? '', /Confirm a telephone referral in writing[\s\S]*due by \d{1,2}(:\d\d)?(am|pm) \w+day \d{1,2} \w+ \d{4}[\s\S]*Overdue/);
      await expectAccessible(page, `triage view with clocks (JavaScript ${javaScript ? 'on' : 'off'})`);

      await page.goto(`/children/${child.id}`);
      assert.equal(await page.locator('#statutory-clocks-heading').textContent(), 'Statutory clocks');
      assert.equal(await page.locator('#case-running-clocks tbody tr').count(), 2);
      await expectAccessible(page, `child page with clocks (JavaScript ${javaScript ? 'on' : 'off'})`);
      // Each clock links to how it is counted and where its timescale comes from.
      await clickAndWait(page, '#case-running-clocks tbody tr:first-child a');
      assert.equal(new URL(page.url()).pathname, '/clocks/definitions');

      const other = await createChild(h.t.db, { organisationId });
      await page.goto(`/children/${other.id}`);
      assert.match(await page.locator('#statutory-clocks').textContent() ?? '', /No clocks are running\./);
      await expectAccessible(page, 'child page without clocks');
      await context.close();
    });
  });
}
