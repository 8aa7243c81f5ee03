// Consent and information sharing in Chromium, JavaScript on and off, with axe-core on every page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { londonDateOf } from '../../src/platform/calendar/working-days.ts';
import { addCalendarMonths } from '../../src/platform/calendar/iso-date.ts';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { createCase } from '../support/sharing.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const today = londonDateOf(new Date());

for (const javaScript of [true, false]) {
  const js = `JavaScript ${javaScript ? 'on' : 'off'}`;

  test(`consent, approval and countersigning journey is accessible (${js})`, async () => {
    const { organisationId } = await createOrganisation(h.t.db);
    const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
    const manager = await createUser(h.t.db, 'line_manager', { organisationId, enrolTotp: true });
    const c = await createCase(h.t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: addCalendarMonths(today, -12 * 13) });

    const { context, page } = await h.newPage({ javaScript });
    await signInInBrowser(page, dsl);
    await page.goto(`/concerns/${c.concernId}/consent`);
    await expectAccessible(page, `consent page (${js})`);
    assert.match(await page.locator('h1').innerText(), /Consent/);

    // The 13-year-old: record a judgement, with an error first.
    await clickAndWait(page, 'button:has-text("Save judgement")');
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, `consent page with errors (${js})`);
    await page.check('#sufficientUnderstanding-2');
    await page.fill('#reasons', 'Too young to weigh this up');
    await clickAndWait(page, 'button:has-text("Save judgement")');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Judgement recorded/);

    // Each parent: refused, then not sought with a reason.
    for (const [i, adult] of c.adults.filter((a) => a.parentalResponsibility).entries()) {
      await clickAndWait(page, `a:has-text("Record consent for ${adult.name}")`);
      await expectAccessible(page, `record consent (${js})`);
      if (i === 0) {
        await page.check('#status-3'); // refused
        await page.fill('#reasonText', 'Does not agree that there is a problem');
        await clickAndWait(page, 'button:has-text("Save consent")');
        await page.locator('.govuk-error-summary').waitFor();
        await expectAccessible(page, `record consent with errors (${js})`);
        assert.equal(await page.inputValue('#reasonText'), 'Does not agree that there is a problem');
        await page.check('#method-2'); // in person
      } else {
        await page.check('#status-4'); // not sought
        await page.check('#notSoughtReason'); // increased risk to the child
      }
      await clickAndWait(page, 'button:has-text("Save consent")');
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Consent recorded/);
    }
    assert.match(await page.locator('#rules-reasons').innerText(), /manager’s approval/);

    // Record a decision to share without consent.
    await page.goto(`/concerns/${c.concernId}/sharing`);
    await expectAccessible(page, `sharing page (${js})`);
    await page.check('#share');
    await clickAndWait(page, 'button:has-text("Record the decision")');
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, `sharing page with errors (${js})`);
    await page.fill('#what', 'The concern and the body map');
    await page.fill('#recipient', 'Medway First Response');
    await page.fill('#purpose', 'Child protection referral');
    await page.check('#article6');
    await page.check('#article9');
    await clickAndWait(page, 'button:has-text("Record the decision")');
    assert.match(await page.locator('main').innerText(), /Awaiting countersignature/);
    await context.close();

    // The manager approves going ahead without consent and countersigns.
    const m = await h.newPage({ javaScript });
    await signInInBrowser(m.page, manager);
    await m.page.goto(`/concerns/${c.concernId}/consent/approval`);
    await expectAccessible(m.page, `approval page (${js})`);
    await clickAndWait(m.page, 'button:has-text("Approve going ahead without consent")');
    await m.page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(m.page, `approval page with errors (${js})`);
    await m.page.fill('#reasons', 'Risk of significant harm outweighs the parents’ wishes');
    await m.page.check('#tellParentUnsafe');
    await clickAndWait(m.page, 'button:has-text("Approve going ahead without consent")');
    assert.match(await m.page.locator('.govuk-notification-banner').innerText(), /Approval recorded/);
    await clickAndWait(m.page, 'a[href$="/countersign"]');
    await expectAccessible(m.page, `countersign page (${js})`);
    await clickAndWait(m.page, 'button:has-text("Countersign this decision")');
    assert.match(await m.page.locator('.govuk-notification-banner').innerText(), /Countersignature recorded/);
    await expectAccessible(m.page, `countersigned entry (${js})`);
    await m.context.close();

    const task = await h.t.db.query('SELECT 1 FROM tasks WHERE concern_id = $1 AND owner_id = $2', [c.concernId, dsl.id]);
    assert.equal(task.rowCount, 1, 'the referrer has a task to tell the parent');
  });

  test(`the organisation-wide log is accessible and filters (${js})`, async () => {
    const { organisationId } = await createOrganisation(h.t.db);
    const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
    const auditor = await createUser(h.t.db, 'auditor', { organisationId, enrolTotp: true });
    const c = await createCase(h.t.db, { organisationId, raisedBy: dsl.id, outcome: 'police' });
    await h.t.db.query(
      `INSERT INTO sharing_decisions (concern_id, child_id, organisation_id, share, what, recipient, purpose, article6, consent_status, without_consent, decided_by, decided_on, share_by)
       VALUES ($1, $2, $3, true, 'Notes', 'Kent Police', 'Investigation', '6(1)(c)', 'not_sought', true, $4, $5, $5::date + 7)`,
      [c.concernId, c.childId, organisationId, dsl.id, today],
    );
    const { context, page } = await h.newPage({ javaScript });
    await signInInBrowser(page, auditor);
    await page.goto('/sharing');
    await expectAccessible(page, `sharing log (${js})`);
    assert.match(await page.locator('table').innerText(), /Kent Police/);
    await page.fill('#from', 'not a date');
    await clickAndWait(page, 'button:has-text("Filter")');
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, `sharing log with errors (${js})`);
    await page.fill('#from', '');
    await page.check('#awaiting');
    await clickAndWait(page, 'button:has-text("Filter")');
    assert.match(await page.locator('table').innerText(), /Awaiting countersignature/);
    await context.close();
  });
}
