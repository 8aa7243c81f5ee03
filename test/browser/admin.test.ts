import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createUser } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  test(`the framework administration page is accessible and shows errors (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const admin = await createUser(h.t.db, 'system_admin', { enrolTotp: true });
    const { context, page } = await h.newPage({ javaScript });
    await signInInBrowser(page, admin);
    await page.goto('/admin/frameworks');
    await expectAccessible(page, 'frameworks admin');
    await page.fill('#content', 'id: medway\nversion: [');
    await clickAndWait(page, 'button:has-text("Check and load")');
    await page.locator('.govuk-error-summary').waitFor();
    assert.match(await page.inputValue('#content'), /version: \[/);
    await expectAccessible(page, 'frameworks admin with errors');
    await context.close();
  });
}
