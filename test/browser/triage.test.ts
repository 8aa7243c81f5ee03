// The DSL's journey in real Chromium, with JavaScript on and off: the triage queue, a Medway assessment of an
// unborn child, a decision with tasks, the chronology and the tasks page. axe-core checks every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('the DSL triages a concern: queue, assessment against Medway, decision with tasks, chronology', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
      const practitioner = await createUser(h.t.db, 'practitioner', { organisationId });
      const child = await createChild(h.t.db, { organisationId, firstName: 'Baby', lastName: javaScript ? 'Kaur' : 'Lewis', dateOfBirth: null, expectedDueDate: '2027-03-01' });
      const concern = await createConcern(h.t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, dsl);

      await page.goto('/triage');
      await expectAccessible(page, 'triage queue');
      assert.match(await page.textContent('main') ?? '', new RegExp(`Baby ${javaScript ? 'Kaur' : 'Lewis'}`));
      await clickAndWait(page, `a[href="/triage/${concern.id}"]`);
      assert.match(await page.textContent('main') ?? '', /Came to school with a bruise/);
      await expectAccessible(page, 'concern in triage');

      await clickAndWait(page, 'a:has-text("Assess the level of need")');
      await expectAccessible(page, 'assessment picker');
      await page.check('#immediateDanger-2');
      await page.fill('#q', 'coercive control');
      if (!javaScript) await clickAndWait(page, 'button:has-text("Search")');
      else assert.equal(await page.locator('label:has-text("Concerns about domestic abuse and coercive control")').isVisible(), true);
      await page.getByLabel('Concerns about domestic abuse and coercive control').check();
      if (!javaScript) {
        assert.equal(await page.isChecked('#immediateDanger-2'), true, 'the search keeps the answers');
        await expectAccessible(page, 'assessment picker, filtered');
      }
      await clickAndWait(page, 'button:has-text("See the suggested level")');
      assert.match(await page.textContent('h1') ?? '', /Suggested level: Level 3/);
      assert.match(await page.textContent('main') ?? '', /Domestic abuse with an unborn child or a child under one/);
      await expectAccessible(page, 'suggested level');

      // Choosing another level without a reason is refused, keeping the choice.
      await page.check('#agree-2');
      await page.check('#chosenLevel-2');
      await clickAndWait(page, 'button:has-text("Save the assessment")');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /Enter your reason/);
      assert.equal(await page.isChecked('#agree-2'), true);
      await expectAccessible(page, 'suggested level with an error');
      await page.check('#agree');
      await clickAndWait(page, 'button:has-text("Save the assessment")');
      assert.match(await page.textContent('main') ?? '', /Assessment saved/);
      await expectAccessible(page, 'decision');

      await page.getByLabel('Contact the front door: child protection (section 47)').check();
      await page.fill('#rationale', 'Unborn baby, domestic abuse in the home: Level 3.');
      await clickAndWait(page, 'button:has-text("Continue")');
      assert.equal(await page.inputValue('#task-0-title'), 'Contact the front door (First Response)');
      await expectAccessible(page, 'follow-up tasks');
      await clickAndWait(page, 'button:has-text("Record the decision")');
      assert.match(await page.textContent('.govuk-panel') ?? '', /Decision recorded/);
      await expectAccessible(page, 'decision recorded');

      await clickAndWait(page, 'a:has-text("See the chronology")');
      const main = await page.textContent('main') ?? '';
      assert.match(main, /Decision on concern/);
      assert.match(main, /Level of need assessed as Level 3/);
      assert.match(main, /opened for triage/);
      await expectAccessible(page, 'chronology');
      await page.check('#type-4');
      await clickAndWait(page, 'button:has-text("Filter the chronology")');
      assert.match(page.url(), /type=decision/);
      assert.doesNotMatch(await page.textContent('main') ?? '', /Level of need assessed/);
      await expectAccessible(page, 'chronology filtered');

      await page.goto(`/children/${child.id}/chronology/events/new`);
      await expectAccessible(page, 'add a significant event');
      await clickAndWait(page, 'button:has-text("Add to the chronology")');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /Enter the date of the event/);
      await expectAccessible(page, 'add a significant event with errors');

      await page.goto('/tasks');
      assert.match(await page.textContent('main') ?? '', /Contact the front door \(First Response\)/);
      await expectAccessible(page, 'tasks');
      await clickAndWait(page, 'a:has-text("Complete")');
      await expectAccessible(page, 'complete a task');
      await page.fill('#outcome', 'Spoke to First Response; contact reference 12345.');
      await clickAndWait(page, 'button:has-text("Complete the task")');
      assert.match(await page.textContent('main') ?? '', /Task completed/);
      await context.close();
    });

    test('the DSL routes a concern to the LADO; the workforce admin is told and finds it under Allegations', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
      const workforce = await createUser(h.t.db, 'workforce_admin', { organisationId, enrolTotp: true });
      const practitioner = await createUser(h.t.db, 'practitioner', { organisationId });
      const child = await createChild(h.t.db, { organisationId, firstName: 'Ruby', lastName: javaScript ? 'Moss' : 'Nash' });
      const concern = await createConcern(h.t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
      const dslPage = await h.newPage({ javaScript });
      await signInInBrowser(dslPage.page, dsl);
      await dslPage.page.goto(`/triage/${concern.id}/decide`);
      await dslPage.page.getByLabel('LADO: allegation against someone who works with children').check();
      await dslPage.page.fill('#rationale', 'The child says a teaching assistant hurt her.');
      await clickAndWait(dslPage.page, 'button:has-text("Continue")');
      await dslPage.page.selectOption('#task-1-owner', workforce.id);
      await clickAndWait(dslPage.page, 'button:has-text("Record the decision")');
      assert.match(await dslPage.page.textContent('.govuk-panel') ?? '', /Decision recorded/);
      await dslPage.context.close();

      const { context, page } = await h.newPage({ javaScript });
      await signInInBrowser(page, workforce);
      await page.goto('/notifications');
      await clickAndWait(page, 'a:has-text("routed to the LADO")');
      assert.match(await page.textContent('main') ?? '', /The child says a teaching assistant hurt her/);
      await clickAndWait(page, 'nav a:has-text("Allegations (LADO)")');
      const main = await page.textContent('main') ?? '';
      assert.match(main, new RegExp(`Ruby ${javaScript ? 'Moss' : 'Nash'}`));
      assert.match(main, /2 open tasks, next due/, 'both suggested tasks');
      await expectAccessible(page, 'allegations');
      await context.close();
    });
  });
}
