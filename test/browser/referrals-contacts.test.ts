// A contact from a member of the public, recorded by the front door in Chromium, JavaScript on and off, axe-core on every page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createReferralSetup } from '../support/referrals.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  const js = `JavaScript ${javaScript ? 'on' : 'off'}`;

  test(`the front door records an anonymous contact from a member of the public (${js})`, async () => {
    const s = await createReferralSetup(h.t.db);
    const { context, page } = await h.newPage({ javaScript });
    await signInInBrowser(page, s.frontDoorWorker);
    await page.goto('/front-door/referrals');
    await expectAccessible(page, `front door inbox (${js})`);
    await clickAndWait(page, 'a:has-text("Record a contact from a member of the public")');
    assert.match(await page.locator('h1').innerText(), /Record a contact from a member of the public/);
    await expectAccessible(page, `contact form (${js})`);

    // a first attempt with things missing: what was typed is kept
    await page.check('#channel');
    await page.fill('#callerName', 'Petunia Quill');
    await page.fill('#firstName', 'Marnie');
    await page.fill('#lastName', 'Oakhurst');
    await page.fill('#worries', 'Shouting every night and the child is left alone.');
    await clickAndWait(page, 'button:has-text("Record the contact")');
    await page.locator('.govuk-error-summary').waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /relationship to the child/);
    assert.match(await page.locator('.govuk-error-summary').innerText(), /remain anonymous/);
    assert.equal(await page.inputValue('#callerName'), 'Petunia Quill');
    assert.equal(await page.inputValue('#worries'), 'Shouting every night and the child is left alone.');
    await expectAccessible(page, `contact form with errors (${js})`);

    await page.fill('#relationship', 'Neighbour');
    await page.check('#anonymity');
    await page.check('#dobUnknown');
    await page.check('#immediateDanger');
    assert.ok(await page.locator('.govuk-warning-text:has-text("call 999 now")').isVisible(), 'the 999 warning is beside the immediate danger question');
    await clickAndWait(page, 'button:has-text("Record the contact")');

    assert.match(await page.locator('h1').innerText(), /Contact recorded/);
    assert.match(await page.locator('#anonymity').innerText(), /Caller asked to remain anonymous/);
    assert.match(await page.locator('main').innerText(), /call 999 now/);
    await expectAccessible(page, `contact recorded (${js})`);

    await clickAndWait(page, 'a:has-text("Back to referrals received")');
    assert.match(await page.locator('main').innerText(), /Marnie Oakhurst[\s\S]*Caller asked to remain anonymous/);
    await expectAccessible(page, `inbox with the contact (${js})`);
    await context.close();
  });
}
