// The referral in Chromium, JavaScript on and off, with axe-core on every page: the DSL's journey from a decision
// to a sent referral, the front door's acknowledgement and decision, and the referrer's escalation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createReferralCase, createReferralSetup } from '../support/referrals.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  const js = `JavaScript ${javaScript ? 'on' : 'off'}`;

  test(`a DSL sends a referral and the front door acknowledges and decides (${js})`, async () => {
    const s = await createReferralSetup(h.t.db);
    const c = await createReferralCase(h.t.db, s);

    const { context, page } = await h.newPage({ javaScript });
    await signInInBrowser(page, s.dsl);
    await page.goto(`/decisions/${c.decisionId}`);
    await expectAccessible(page, `decision page (${js})`);
    await clickAndWait(page, 'a:has-text("Make the referral to the front door")');
    assert.match(await page.locator('h1').innerText(), /Check the facts/);
    assert.match(await page.locator('#missing-items').innerText(), /Seed 001/);
    await expectAccessible(page, `referral facts (${js})`);

    await clickAndWait(page, 'a:has-text("Continue")');
    await expectAccessible(page, `referral analysis (${js})`);
    await page.fill('#worries', 'Bruising and a disclosure of being hit at home.');
    await page.fill('#tried', 'Daily check-ins with the learning mentor since January.');
    await page.fill('#whyNow', 'A new injury today and the child is afraid to go home.');
    await page.fill('#lastSeen', 'Today at 9am');
    await clickAndWait(page, 'button:has-text("Save and continue")');

    assert.match(await page.locator('h1').innerText(), /How are you making the referral/);
    await expectAccessible(page, `referral method (${js})`);
    await page.check(javaScript ? '#method' : '#method-2');
    if (!javaScript) {
      // a telephone referral with a mistake first: the name typed is kept
      await page.fill('#spokenTo', 'Duty social worker Pat');
      await page.fill('#spokenAt-day', '31');
      await page.fill('#spokenAt-month', '2');
      await page.fill('#spokenAt-year', '2026');
      await page.fill('#spokenTime', '09:30');
      await clickAndWait(page, 'button:has-text("Save and continue")');
      await page.locator('.govuk-error-summary').waitFor();
      await expectAccessible(page, `referral method with errors (${js})`);
      assert.equal(await page.inputValue('#spokenTo'), 'Duty social worker Pat');
      const earlier = new Date(Date.now() - 2 * 3600_000);
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(earlier);
      const get = (type: string) => parts.find((p) => p.type === type)!.value;
      await page.fill('#spokenAt-day', get('day'));
      await page.fill('#spokenAt-month', get('month'));
      await page.fill('#spokenAt-year', get('year'));
      await page.fill('#spokenTime', `${get('hour')}:${get('minute')}`);
    }
    await clickAndWait(page, 'button:has-text("Save and continue")');

    assert.match(await page.locator('h1').innerText(), /Check the referral and send it/);
    assert.match(await page.locator('main').innerText(), /Bruising and a disclosure of being hit at home\./);
    assert.match(await page.locator('.govuk-warning-text').first().innerText(), /You can still send it/);
    await expectAccessible(page, `referral check (${js})`);
    await clickAndWait(page, 'button:has-text("Send to")');

    assert.match(await page.locator('.govuk-panel').innerText(), /Referral sent/);
    await expectAccessible(page, `referral sent (${js})`);
    const referralId = /\/referrals\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    if (!javaScript) {
      assert.match(await page.locator('main').innerText(), /Duty social worker Pat/);
      await clickAndWait(page, 'button:has-text("Record that the written confirmation has been sent")');
      assert.match(await page.locator('main').innerText(), /Written confirmation\s+Sent /);
      await expectAccessible(page, `telephone referral confirmed in writing (${js})`);
    }
    await page.goto('/referrals');
    await expectAccessible(page, `referrals sent (${js})`);

    // A concern is referred once: its decision and the journey's pages now lead to the referral sent.
    await page.goto(`/decisions/${c.decisionId}`);
    assert.equal(await page.locator('a:has-text("Make the referral to the front door")').count(), 0);
    await page.goto(`/concerns/${c.concernId}/referral/check`);
    assert.match(await page.locator('h1').innerText(), /This concern has already been referred/);
    assert.equal(await page.locator('button:has-text("Send to")').count(), 0);
    await expectAccessible(page, `concern already referred (${js})`);
    await clickAndWait(page, '.govuk-notification-banner a:has-text("View referral")');
    assert.equal(new URL(page.url()).pathname, `/referrals/${referralId}`);

    // The front door.
    const fd = await h.newPage({ javaScript });
    await signInInBrowser(fd.page, s.frontDoorWorker);
    await fd.page.goto('/front-door/referrals');
    await expectAccessible(fd.page, `front door inbox (${js})`);
    await clickAndWait(fd.page, `a[href="/front-door/referrals/${referralId}"]`);
    assert.match(await fd.page.locator('main').innerText(), /Jordan Reed/);
    await expectAccessible(fd.page, `front door referral (${js})`);
    await clickAndWait(fd.page, 'button:has-text("Acknowledge the referral")');
    assert.match(await fd.page.locator('#updates').innerText(), /Acknowledged/);
    await fd.page.fill('#rationale', 'Injury with a disclosure of harm at home.');
    await clickAndWait(fd.page, 'button:has-text("Record the decision")');
    await fd.page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(fd.page, `front door decision with errors (${js})`);
    assert.equal(await fd.page.inputValue('#rationale'), 'Injury with a disclosure of harm at home.');
    await fd.page.fill('#level', 'Level 3');
    await fd.page.check('#outcome');
    await clickAndWait(fd.page, 'button:has-text("Record the decision")');
    assert.match(await fd.page.locator('#updates').innerText(), /Child in need: a child and family assessment/);
    await expectAccessible(fd.page, `front door after the decision (${js})`);
    await clickAndWait(fd.page, 'button:has-text("Close the referral")');
    assert.match(await fd.page.locator('main').innerText(), /Closed/);
    await fd.context.close();

    // The referrer (still signed in) sees the outcome and disagrees.
    const back = { page, context };
    await back.page.goto(`/referrals/${referralId}`);
    assert.match(await back.page.locator('#updates').innerText(), /Level 3/);
    await clickAndWait(back.page, 'a:has-text("Disagree with the outcome and escalate")');
    await expectAccessible(back.page, `escalate (${js})`);
    await clickAndWait(back.page, 'button:has-text("Open the escalation")');
    await back.page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(back.page, `escalate with errors (${js})`);
    await back.page.fill('#reason', 'The disclosure points to significant harm: an assessment under section 47 is needed.');
    await clickAndWait(back.page, 'button:has-text("Open the escalation")');
    assert.match(await back.page.locator('#escalation').innerText(), /Escalation/);
    assert.match(await back.page.locator('main').innerText(), /Stage 1: escalate to the line or team manager/);
    assert.match(await back.page.locator('main').innerText(), /Response due by/);
    await expectAccessible(back.page, `referral with an escalation (${js})`);
    await back.page.fill('#response', 'The team manager agreed to a strategy discussion.');
    await clickAndWait(back.page, 'button:has-text("Record the response")');
    await back.page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(back.page, `escalation response with errors (${js})`);
    assert.equal(await back.page.inputValue('#response'), 'The team manager agreed to a strategy discussion.');
    await back.page.check('#resolved');
    await clickAndWait(back.page, 'button:has-text("Record the response")');
    assert.match(await back.page.locator('#escalation').innerText(), /Escalation/);
    assert.match(await back.page.locator('main').innerText(), /Resolved/);
    await back.context.close();
  });
}
