// The first end-to-end journey in one go, in Chromium with JavaScript on and off: a practitioner records a
// concern about an unborn child, the DSL is notified, finds it in the triage queue, assesses it against
// Medway (Level 3: domestic abuse with an unborn child), decides, and the chronology shows all of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const next = (page: Page) => clickAndWait(page, 'button:has-text("Save and continue")');

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('record → notify → triage → assess against Medway → decide → chronology', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const practitioner = await createUser(h.t.db, 'practitioner', { organisationId });
      const dsl = await createUser(h.t.db, 'dsl', { organisationId, enrolTotp: true });
      const lastName = javaScript ? 'Okonjo' : 'Pryce';
      const child = await createChild(h.t.db, { organisationId, firstName: 'Baby', lastName, dateOfBirth: null, expectedDueDate: '2027-04-10' });

      // The practitioner records the concern.
      const p = await h.newPage({ javaScript });
      await signInInBrowser(p.page, practitioner);
      await p.page.goto(`/concerns/new?childId=${child.id}`);
      assert.match(p.page.url(), /\/concerns\/new\/[a-z0-9]+\/child\?childId=/);
      await p.page.check(`input[value="${child.id}"]`);
      await next(p.page);
      await p.page.fill('#whatHappened', 'Mum, who is 30 weeks pregnant, said her partner pushed her against the wall last night.');
      await next(p.page);
      await p.page.fill('#childsWords', '');
      await next(p.page);
      await p.page.fill('#whenDay', '1');
      await p.page.fill('#whenMonth', '11');
      await p.page.fill('#whenYear', '2026');
      await p.page.fill('#whenTime', '9:30pm');
      await p.page.fill('#location', 'Antenatal clinic');
      await next(p.page);
      await p.page.fill('#present', 'Mum and me');
      await next(p.page);
      await p.page.check('#injuries-2');
      await next(p.page);
      await p.page.check('input[value="domestic_abuse"]');
      await next(p.page);
      await p.page.check('#immediateDanger-2');
      await next(p.page);
      await p.page.check('#toldDsl-2');
      await next(p.page);
      assert.match(p.page.url(), /\/check$/);
      await clickAndWait(p.page, 'button:has-text("Send concern")');
      const reference = /C-\d{6}/.exec(await p.page.locator('.govuk-panel').textContent() ?? '')?.[0];
      assert.ok(reference, 'the confirmation gives a reference');
      await p.context.close();

      // The DSL is notified, and triages it.
      const d = await h.newPage({ javaScript });
      await signInInBrowser(d.page, dsl);
      await d.page.goto('/notifications');
      assert.match(await d.page.textContent('main') ?? '', new RegExp(`${reference} raised by Test practitioner`));
      await d.page.goto('/triage');
      await clickAndWait(d.page, `a:has-text("${reference}")`);
      assert.match(await d.page.textContent('main') ?? '', /pushed her against the wall/);
      await clickAndWait(d.page, 'a:has-text("Assess the level of need")');
      await d.page.check('#immediateDanger-2');
      await d.page.fill('#q', 'coercive control');
      if (!javaScript) await clickAndWait(d.page, 'button:has-text("Search")');
      await d.page.getByLabel('Concerns about domestic abuse and coercive control').check();
      await clickAndWait(d.page, 'button:has-text("See the suggested level")');
      assert.match(await d.page.textContent('h1') ?? '', /Suggested level: Level 3/);
      await d.page.check('#agree');
      await clickAndWait(d.page, 'button:has-text("Save the assessment")');
      await d.page.getByLabel('Contact the front door: child protection (section 47)').check();
      await d.page.fill('#rationale', 'Unborn baby and domestic abuse: Medway Level 3, significant risk of harm.');
      await clickAndWait(d.page, 'button:has-text("Continue")');
      await clickAndWait(d.page, 'button:has-text("Record the decision")');
      assert.match(await d.page.textContent('.govuk-panel') ?? '', /Decision recorded/);
      // Next steps are offered from the decision: the referral, consent and the information-sharing log.
      for (const link of ['Make the referral to the front door', 'Record consent', 'Record a decision to share information']) {
        assert.equal(await d.page.locator(`a:has-text("${link}")`).count(), 1, link);
      }

      await clickAndWait(d.page, 'a:has-text("See the chronology")');
      const chronology = await d.page.textContent('main') ?? '';
      assert.match(chronology, /Concern raised by Test practitioner/);
      assert.match(chronology, /Level of need assessed as Level 3/);
      assert.match(chronology, /Decision on concern/);
      await expectAccessible(d.page, 'chronology after the journey');
      await d.context.close();

      // The whole journey is in the audit log, and the log is intact.
      const { rows } = await h.t.db.query<{ action: string }>(
        'SELECT DISTINCT action FROM audit_log WHERE user_id = ANY($1)', [[practitioner.id, dsl.id]]);
      const actions = rows.map((r) => r.action);
      for (const a of ['concern.create', 'chronology.view']) assert.ok(actions.includes(a), `audited: ${a}`);
      assert.equal((await verifyAudit(h.t.db)).broken, null);
    });
  });
}
