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

  test(`the front door records an anonymous contact from a member of the public, and a second contact about the child joins the same record (${js})`, async () => {
    const s = await createReferralSetup(h.t.db);
    // one child per run: the front door knows the child from the first run, so the same name would be offered as a match
    const [firstName, lastName] = javaScript ? ['Marnie', 'Oakhurst'] : ['Tilda', 'Brackenbury'];
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
    await page.fill('#firstName', firstName);
    await page.fill('#lastName', lastName);
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
    assert.match(await page.locator('main').innerText(), new RegExp(`${firstName} ${lastName}[\\s\\S]*Caller asked to remain anonymous`));
    await expectAccessible(page, `inbox with the contact (${js})`);

    // a second caller about the same child (the surname misspelt) is offered the record the front door already has
    const childId = (await h.t.db.query<{ id: string }>('SELECT id FROM children WHERE first_name = $1 AND last_name = $2', [firstName, lastName])).rows[0]!.id;
    await page.goto('/front-door/contacts/new');
    await page.check('#channel');
    await page.fill('#relationship', 'Grandparent');
    await page.check('input[name="anonymity"][value="no"]');
    await page.fill('#firstName', firstName);
    await page.fill('#lastName', `${lastName.slice(0, -1)}e`);
    await page.check('#dobUnknown');
    await page.fill('#worries', 'The child told me nobody was home all weekend.');
    await page.check('input[name="immediateDanger"][value="no"]');
    await clickAndWait(page, 'button:has-text("Record the contact")');
    await page.locator('.govuk-error-summary').waitFor();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /may already know this child/);
    assert.match(await page.locator(`label[for="${await page.locator(`input[name="childId"][value="${childId}"]`).getAttribute('id')}"]`).innerText(), new RegExp(`${firstName} ${lastName}`));
    assert.equal(await page.inputValue('#worries'), 'The child told me nobody was home all weekend.');
    await expectAccessible(page, `contact form offering the existing child (${js})`);
    await page.check(`input[name="childId"][value="${childId}"]`);
    await clickAndWait(page, 'button:has-text("Record the contact")');
    assert.match(await page.locator('h1').innerText(), /Contact recorded/);
    const { rows } = await h.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM referrals WHERE child_id = $1', [childId]);
    assert.equal(rows[0]!.n, 2, 'both contacts are on the one child');
    assert.equal((await h.t.db.query('SELECT 1 FROM children WHERE first_name = $1 AND last_name = $2', [firstName, `${lastName.slice(0, -1)}e`])).rows.length, 0, 'no duplicate child');
    await context.close();
  });
}
