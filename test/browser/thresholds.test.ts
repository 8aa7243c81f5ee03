// The threshold explorer in real Chromium, with JavaScript on and off: browse, search, filter, and the
// "what level of need?" journey for Medway, each page checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickAndWait, expectAccessible, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

const DA = 'medway.l2.family-environment.10';
const DA_TEXT = 'Concerns about domestic abuse and coercive control';
const ATTENDANCE = 'medway.l1.child-development.01';
const LEVEL_3 = 'Level 3: Children with complex/multiple needs or in need of protection';

const box = (id: string) => `input[name="indicators"][type="checkbox"][value="${id}"]`;
const mainText = async (page: Page) => (await page.textContent('main')) ?? '';

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('browse the frameworks, search and filter indicators, read an old version', async () => {
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/thresholds');
      await expectAccessible(page, 'frameworks');
      await clickAndWait(page, 'main a:has-text("Medway Threshold Guidance")');
      assert.equal(new URL(page.url()).pathname, '/thresholds/medway');
      assert.match(await mainText(page), /Level 3: Children with complex\/multiple needs or in need of protection/);
      await expectAccessible(page, 'framework');

      await page.fill('#q', 'coercive');
      await clickAndWait(page, 'button:has-text("Show indicators")');
      assert.equal(await page.locator('li[id^="indicator-"]').count(), 1);
      assert.match(await page.textContent(`li[id="indicator-${DA}"]`) ?? '', /Source: Medway Levels of Need and Support — Level 2 — Family & Environment, line 322/);
      assert.equal(await page.inputValue('#q'), 'coercive');
      await expectAccessible(page, 'framework search');

      await page.fill('#q', '');
      await page.selectOption('#level', 'level-1');
      await page.selectOption('#domain', 'child-development');
      await clickAndWait(page, 'button:has-text("Show indicators")');
      const shown = await page.locator('li[id^="indicator-"]').allTextContents();
      assert.ok(shown.length > 0);
      assert.ok(shown.every((t) => !t.includes(DA_TEXT)));
      assert.ok(await page.locator(`li[id="indicator-${ATTENDANCE}"]`).isVisible());
      await expectAccessible(page, 'framework filtered');

      await page.selectOption('#version', '2024-12');
      await clickAndWait(page, 'button:has-text("Show version")');
      assert.match(page.url(), /version=2024-12/);
      await expectAccessible(page, 'framework version');
      await context.close();
    });

    test('what level of need? An unborn child with a domestic-abuse indicator is at Level 3, with the rule as a reason', async () => {
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/thresholds/medway');
      await clickAndWait(page, 'a:has-text("What level of need?")');
      assert.equal(new URL(page.url()).pathname, '/thresholds/medway/assess');
      await expectAccessible(page, 'assess form');

      // Sending nothing explains what is missing.
      await clickAndWait(page, 'button:has-text("Get suggested level")');
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /Select yes if the child is in immediate danger/);
      await expectAccessible(page, 'assess form with errors');

      // Tick one indicator, then filter for another: the first tick must survive the filter.
      await page.check(box(ATTENDANCE));
      await page.check('#child-2'); // Unborn
      await page.check('#immediateDanger-2'); // No
      if (javaScript) {
        await page.fill('#q', 'domestic abuse');
        await page.locator(box(ATTENDANCE)).waitFor({ state: 'hidden' });
        assert.match(await page.textContent('#indicator-status') ?? '', /containing “domestic abuse”\. 1 ticked\./);
        // The "Filter" button filters in place instead of reloading.
        const before = page.url();
        await page.click('button:has-text("Filter")');
        assert.equal(page.url(), before);
        assert.equal(await page.locator(box(ATTENDANCE)).isChecked(), true);
      } else {
        await page.fill('#q', 'domestic abuse');
        await clickAndWait(page, 'button:has-text("Filter")');
        assert.equal(await page.locator(box(ATTENDANCE)).count(), 0, 'the filter narrows the list');
        assert.equal(await page.locator(`input[type="hidden"][name="indicators"][value="${ATTENDANCE}"]`).count(), 1, 'the earlier tick is carried');
        assert.equal(await page.isChecked('#child-2'), true, 'answers are kept');
        assert.equal(await page.isChecked('#immediateDanger-2'), true);
      }
      await expectAccessible(page, 'assess form filtered');
      await page.check(box(DA));
      await clickAndWait(page, 'button:has-text("Get suggested level")');

      assert.equal(new URL(page.url()).pathname, '/thresholds/medway/assess/result');
      assert.equal((await page.textContent('.govuk-panel__title'))?.trim(), LEVEL_3);
      const main = await mainText(page);
      assert.match(main, /Rule: Domestic abuse with an unborn child or a child under one/);
      assert.match(main, /Source: Medway Levels of Need and Support — Level 3 — Family & Environment, line 322/);
      assert.ok(main.includes(`Indicator: ${DA_TEXT}`));
      assert.ok(main.includes('Indicator: Good education attendance (over 90%)'), 'the tick made before filtering counts');
      assert.match(main, /does not replace professional judgement/);
      assert.match(main, /What to do/);
      assert.equal(await page.locator('[data-print-page]').count(), javaScript ? 1 : 0, 'a print button only with JavaScript');
      await expectAccessible(page, 'result');

      const pdfHref = await page.getAttribute('a:has-text("Download as PDF")', 'href');
      const pdf = await page.request.get(pdfHref!);
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
      assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

      // "Change your answers" returns to the form with everything kept.
      await clickAndWait(page, 'a:has-text("Change your answers")');
      assert.equal(await page.isChecked('#child-2'), true);
      assert.equal(await page.locator(box(DA)).isChecked(), true);
      assert.equal(await page.locator(box(ATTENDANCE)).isChecked(), true);
      await context.close();
    });

    test('immediate danger: the result starts with a warning to call 999 now; a bad age keeps the answers', async () => {
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/thresholds/medway/assess');
      await page.check('#child'); // Born: yes
      await page.fill('#years', '2');
      await page.fill('#months', '14');
      await page.check('#immediateDanger'); // Yes
      await clickAndWait(page, 'button:has-text("Get suggested level")');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /Months must be 11 or fewer/);
      assert.equal(await page.inputValue('#years'), '2');
      assert.equal(await page.inputValue('#months'), '14');
      await expectAccessible(page, 'assess form with an impossible age');
      await page.fill('#months', '3');
      await clickAndWait(page, 'button:has-text("Get suggested level")');
      const warning = page.locator('.govuk-warning-text').first();
      assert.match(await warning.textContent() ?? '', /Call 999 now/);
      const [warningBox, panelBox] = await Promise.all([warning.boundingBox(), page.locator('.govuk-panel').boundingBox()]);
      assert.ok(warningBox && panelBox && warningBox.y < panelBox.y, 'the warning is above the level');
      assert.match(await mainText(page), /2 years and 3 months/);
      await expectAccessible(page, 'immediate danger result');
      await context.close();
    });
  });
}
