// A practitioner records a concern in Chromium with JavaScript on and off, through every question including
// the immediate-danger page; every page is checked with axe-core; a draft survives a forced sign-out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const WORDS = 'She said "mum\'s boyfriend shouted and threw the plate at me"';
const cont = (page: Page) => clickAndWait(page, 'button:has-text("Save and continue")');

async function setting() {
  const { organisationId } = await createOrganisation(h.t.db);
  const practitioner = await createUser(h.t.db, 'practitioner', { organisationId });
  const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
  const child = await createChild(h.t.db, { organisationId, firstName: 'Maisie', lastName: 'Thornton' });
  return { organisationId, practitioner, dsl, child };
}

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('a practitioner records a concern through every question, and the DSL is notified', async () => {
      const s = await setting();
      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, s.practitioner);
      await page.goto('/');
      await clickAndWait(page, 'a:has-text("Record a concern")');
      assert.match(page.url(), /\/concerns\/new\/[a-z0-9]+\/child$/);
      await expectAccessible(page, 'child step');
      await page.fill('#q', 'Maisy Thornton');
      await clickAndWait(page, 'button:has-text("Search")');
      await expectAccessible(page, 'child search results');
      await cont(page);
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      await expectAccessible(page, 'child step with error');
      await page.check('text=Maisie Thornton');
      await cont(page);

      await expectAccessible(page, 'what happened');
      await cont(page);
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      await expectAccessible(page, 'what happened with error');
      await page.fill('#whatHappened', 'Maisie arrived upset with a cut on her hand.');
      await cont(page);

      await expectAccessible(page, 'child’s words');
      await page.fill('#childsWords', WORDS);
      await cont(page);

      await expectAccessible(page, 'when and where');
      await page.fill('#whenDay', '2');
      await page.fill('#whenMonth', '3');
      await page.fill('#whenYear', '2026');
      await page.fill('#whenTime', '8:45am');
      await page.fill('#location', 'School gate');
      await cont(page);

      await expectAccessible(page, 'who was there');
      await page.fill('#present', 'Me and her older brother');
      await cont(page);

      await expectAccessible(page, 'injuries');
      await page.check('#injuries');
      await page.fill('#injuriesDetail', 'Cut about 2cm across the right palm');
      await cont(page);

      await expectAccessible(page, 'categories');
      await page.check('input[value="domestic_abuse"]');
      await page.check('input[value="physical_abuse"]');
      await cont(page);

      await expectAccessible(page, 'immediate danger');
      await page.check('#immediateDanger');
      await cont(page);

      assert.match(page.url(), /\/call-999$/);
      assert.equal(await page.locator('h1').textContent(), 'Call 999 now');
      assert.equal(await page.locator('.govuk-warning-text').isVisible(), true);
      await expectAccessible(page, 'call 999');
      await page.check('#called999');
      await cont(page);

      await expectAccessible(page, 'told the DSL');
      await page.check('#toldDsl');
      await cont(page);

      assert.match(page.url(), /\/check$/);
      await expectAccessible(page, 'check your answers');
      const answers = await page.locator('.govuk-summary-list').textContent() ?? '';
      assert.match(answers, /Maisie Thornton/);
      assert.ok(answers.includes(WORDS));
      await clickAndWait(page, 'button:has-text("Send concern")');

      assert.match(page.url(), /\/concerns\/[0-9a-f-]{36}\/sent$/);
      const panel = await page.locator('.govuk-panel').textContent() ?? '';
      const reference = /C-\d{6}/.exec(panel)?.[0];
      assert.ok(reference);
      await expectAccessible(page, 'confirmation');
      await clickAndWait(page, 'a:has-text("View the concern you sent")');
      await expectAccessible(page, 'concern');
      await clickAndWait(page, 'a:has-text("Correct something")');
      await expectAccessible(page, 'amend: choose');
      await page.check('input[value="location"]');
      await clickAndWait(page, 'button:has-text("Continue")');
      await expectAccessible(page, 'amend: correct');
      await page.fill('#to', 'Main school gate');
      await clickAndWait(page, 'button:has-text("Save correction")');
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      await expectAccessible(page, 'amend with error');
      assert.equal(await page.inputValue('#to'), 'Main school gate');
      await page.fill('#reason', 'More precise');
      await clickAndWait(page, 'button:has-text("Save correction")');
      assert.match(await page.locator('main').textContent() ?? '', /More precise/);
      await expectAccessible(page, 'concern with amendment');
      await page.goto('/concerns');
      assert.match(await page.locator('main').textContent() ?? '', new RegExp(reference!));
      await expectAccessible(page, 'my concerns');
      await context.close();

      const dslPage = await h.newPage({ javaScript });
      await signInInBrowser(dslPage.page, s.dsl);
      assert.match(await dslPage.page.locator('.govuk-service-navigation').textContent() ?? '', /Notifications \(1 unread\)/);
      await dslPage.page.goto('/notifications');
      await expectAccessible(dslPage.page, 'notifications');
      assert.match(await dslPage.page.locator('main').textContent() ?? '', new RegExp(`${reference} raised by Test practitioner`));
      await clickAndWait(dslPage.page, 'button:has-text("Mark as read")');
      await expectAccessible(dslPage.page, 'notifications marked read');
      await dslPage.context.close();
    });

    test('a child added from the child question comes back to the concern, chosen', async () => {
      const s = await setting();
      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, s.practitioner);
      await page.goto('/concerns/new');
      const draftId = /\/concerns\/new\/([a-z0-9]+)\/child$/.exec(page.url())![1];
      await clickAndWait(page, 'a:has-text("Add a new child")');
      assert.match(page.url(), /\/children\/new\?returnTo=/);
      await page.fill('#firstName', 'Perpetua');
      await page.fill('#lastName', 'Ashdown');
      await page.fill('#dateOfBirth-day', '12');
      await page.fill('#dateOfBirth-month', '6');
      await page.fill('#dateOfBirth-year', '2016');
      await cont(page);
      assert.match(page.url(), new RegExp(`/concerns/new/${draftId}/child\\?childId=[0-9a-f-]{36}$`));
      await expectAccessible(page, 'child step with the new child');
      assert.equal(await page.isChecked('text=Perpetua Ashdown'), true);
      await cont(page);
      assert.match(page.url(), new RegExp(`/concerns/new/${draftId}/what-happened$`));
      await context.close();
    });

    test('a draft survives a forced sign-out', async () => {
      const s = await setting();
      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, s.practitioner);
      await page.goto('/concerns/new?childId=' + s.child.id);
      await cont(page);
      await page.fill('#whatHappened', 'Told me she had not eaten since Friday.');
      await cont(page);
      await page.fill('#childsWords', WORDS);
      await cont(page);
      await h.t.db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [s.practitioner.id]);
      await page.goto('/concerns/drafts');
      assert.match(page.url(), /\/sign-in/);
      await signInInBrowser(page, s.practitioner);
      await page.goto('/concerns/drafts');
      await expectAccessible(page, 'drafts');
      assert.match(await page.locator('main').textContent() ?? '', /Maisie Thornton/);
      await clickAndWait(page, 'a:has-text("Continue")');
      assert.match(page.url(), /\/when-where$/);
      await clickAndWait(page, 'a.govuk-back-link');
      assert.equal(await page.inputValue('#childsWords'), WORDS);
      await clickAndWait(page, 'a.govuk-back-link');
      assert.equal(await page.inputValue('#whatHappened'), 'Told me she had not eaten since Friday.');
      await context.close();
    });
  });
}

/** A practitioner, with JavaScript on, past the child question of a new concern; with its draft's id. */
async function startWithJavaScript() {
  const s = await setting();
  const { context, page } = await h.newPage({ javaScript: true });
  await signInInBrowser(page, s.practitioner);
  await page.goto('/concerns/new?childId=' + s.child.id);
  await cont(page);
  const draftId = /\/concerns\/new\/([a-z0-9]+)\//.exec(page.url())![1];
  return { s, context, page, draftId };
}

test('with JavaScript on, what is typed is saved before the page is sent', async () => {
  const { s, context, page, draftId } = await startWithJavaScript();
  await page.fill('#whatHappened', 'Typed but never submitted');
  const saved = page.evaluate(() => new Promise<void>((resolve) => {
    document.querySelector('form[data-autosave-key]')!.addEventListener('continuum:autosaved', () => resolve(), { once: true });
  }));
  await saved;
  const { rows } = await h.t.db.query('SELECT data FROM drafts WHERE user_id = $1 AND form_key = $2', [s.practitioner.id, `concern:${draftId}`]);
  assert.equal(rows[0].data.whatHappened, 'Typed but never submitted');
  assert.equal(rows[0].data.childId, s.child.id, 'the other steps are kept');
  await context.close();
});

test('with JavaScript on, a page left open in one tab does not erase answers saved since from another', async () => {
  const { s, context, page, draftId } = await startWithJavaScript();
  // Another tab saves later steps after this page was loaded.
  await h.t.db.query(`UPDATE drafts SET data = data || '{"location": "Classroom 4", "present": "Me and the TA"}' WHERE user_id = $1 AND form_key = $2`,
    [s.practitioner.id, `concern:${draftId}`]);
  await page.fill('#whatHappened', 'Typed in the old tab');
  await page.evaluate(() => new Promise<void>((resolve) => {
    document.querySelector('form[data-autosave-key]')!.addEventListener('continuum:autosaved', () => resolve(), { once: true });
  }));
  const { rows } = await h.t.db.query('SELECT data FROM drafts WHERE user_id = $1 AND form_key = $2', [s.practitioner.id, `concern:${draftId}`]);
  assert.equal(rows[0].data.whatHappened, 'Typed in the old tab');
  assert.equal(rows[0].data.location, 'Classroom 4', 'the other tab\'s answers are kept');
  assert.equal(rows[0].data.present, 'Me and the TA');
  assert.equal(rows[0].data.childId, s.child.id);
  await context.close();
});
