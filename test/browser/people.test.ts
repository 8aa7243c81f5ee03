// Finding, adding and viewing a child in real Chromium, with JavaScript on and off; axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('a practitioner finds a misspelt child, adds a new one after a validation error, and views the record', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const user = await createUser(h.t.db, 'practitioner', { organisationId });
      const existing = await createChild(h.t.db, { organisationId, firstName: 'Jayden', lastName: 'Smith', dateOfBirth: '2018-03-14', postcode: 'ME4 4TR' });
      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, user);

      await page.goto('/children');
      await expectAccessible(page, 'find a child');
      await page.fill('#name', 'Jaden Smyth');
      await clickAndWait(page, 'button:has-text("Search")');
      assert.equal(await page.locator(`a[href="/children/${existing.id}"]`).count(), 1);
      await expectAccessible(page, 'search results');
      await page.fill('#name', '');
      await page.fill('#nhsNumber', '12345');
      await clickAndWait(page, 'button:has-text("Search")');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /NHS number must be 10 digits/);
      await expectAccessible(page, 'search with error');

      await page.fill('#nhsNumber', '');
      await page.fill('#name', 'Smith Jayden');
      await clickAndWait(page, 'button:has-text("Search")');
      await clickAndWait(page, `a[href="/children/${existing.id}"]`);
      assert.match(await page.textContent('h1') ?? '', /Jayden Smith/);
      await expectAccessible(page, 'child record');

      await page.goto('/children/new');
      await expectAccessible(page, 'add a child');
      await page.fill('#firstName', 'Ava');
      await page.fill('#lastName', 'Smith-Jones');
      await page.fill('#dateOfBirth-day', '30');
      await page.fill('#dateOfBirth-month', '2');
      await page.fill('#dateOfBirth-year', '2019');
      await page.fill('#nhsNumber', '943 476 5918');
      await page.fill('#schoolOrSetting', 'Riverside Primary School');
      await page.check('input[name="flags"][value="youngCarer"]');
      await page.fill('#addressLine1', '1 High Street');
      await page.fill('#addressPostcode', 'me7 1aa');
      await clickAndWait(page, 'button:has-text("Save and continue")');
      const summary = await page.textContent('.govuk-error-summary') ?? '';
      assert.match(summary, /Date of birth must be a real date/);
      assert.match(summary, /Enter a valid NHS number/);
      // Nothing typed is lost.
      assert.equal(await page.inputValue('#lastName'), 'Smith-Jones');
      assert.equal(await page.inputValue('#schoolOrSetting'), 'Riverside Primary School');
      assert.equal(await page.inputValue('#nhsNumber'), '943 476 5918');
      assert.equal(await page.inputValue('#dateOfBirth-day'), '30');
      assert.equal(await page.isChecked('input[name="flags"][value="youngCarer"]'), true);
      assert.equal(await page.inputValue('#addressPostcode'), 'me7 1aa');
      await expectAccessible(page, 'add a child with errors');
      await page.fill('#dateOfBirth-day', '2');
      await page.fill('#nhsNumber', '943 476 5919');
      await clickAndWait(page, 'button:has-text("Save and continue")');
      assert.match(new URL(page.url()).pathname, /^\/children\/[0-9a-f-]{36}$/);
      assert.match(await page.textContent('h1') ?? '', /Ava Smith-Jones/);
      assert.match(await page.textContent('main') ?? '', /Young carer/);
      assert.match(await page.textContent('main') ?? '', /ME7 1AA/);
      await expectAccessible(page, 'new child record');

      // A near-duplicate is offered before a second record is made.
      await page.goto('/children/new');
      await page.fill('#firstName', 'Jaden');
      await page.fill('#lastName', 'Smyth');
      await page.fill('#dateOfBirth-day', '14');
      await page.fill('#dateOfBirth-month', '3');
      await page.fill('#dateOfBirth-year', '2018');
      await clickAndWait(page, 'button:has-text("Save and continue")');
      assert.match(await page.textContent('h1') ?? '', /already have a record/);
      await expectAccessible(page, 'possible matches');
      await clickAndWait(page, 'a:has-text("Use this child")');
      assert.equal(new URL(page.url()).pathname, `/children/${existing.id}`);

      // Edit and household pages.
      await page.goto(`/children/${existing.id}/edit`);
      await expectAccessible(page, 'change details');
      await page.fill('#schoolOrSetting', 'Hill School');
      await clickAndWait(page, 'button:has-text("Save changes")');
      assert.match(await page.textContent('main') ?? '', /Hill School/);
      await page.goto(`/children/${existing.id}/household/new`);
      await expectAccessible(page, 'add to household');
      await page.fill('#firstName', 'Sarah');
      await page.fill('#lastName', 'Smith');
      await page.fill('#relationship', 'Mother');
      await page.check('#parentalResponsibility');
      await page.check('#livesWithChild');
      await clickAndWait(page, 'button:has-text("Add to household")');
      assert.match(await page.textContent('main') ?? '', /Sarah Smith/);

      // Linking a sibling asks whether they live with the child; no answer is assumed.
      await page.goto(`/children/${existing.id}/household/new`);
      await page.fill('#siblingName', 'Ava Smith-Jones');
      await clickAndWait(page, 'button:has-text("Find their record")');
      const siblingId = await page.locator('input[name="relatedChildId"]').first().getAttribute('value');
      assert.equal(await page.inputValue(`#relationship-${siblingId}`), 'Sibling');
      await expectAccessible(page, 'sibling search results');
      await page.fill(`#relationship-${siblingId}`, 'Half-sister');
      await clickAndWait(page, 'button:has-text("Link as sibling")');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /Choose whether they live with the child/);
      assert.equal(await page.inputValue(`#relationship-${siblingId}`), 'Half-sister');
      await expectAccessible(page, 'sibling link with error');
      await page.check(`#livesWithChild-${siblingId}-2`);
      await clickAndWait(page, 'button:has-text("Link as sibling")');
      assert.match(await page.textContent('main') ?? '', /Ava Smith-Jones[^–]*– Half-sister, lives elsewhere/);
      await page.goto(`/children/${existing.id}/professionals/new`);
      await expectAccessible(page, 'add a professional');
      await page.goto(`/children/${existing.id}/names/new`);
      await expectAccessible(page, 'add a name');
      await context.close();
    });
  });
}
