// Sign-in, second factor, account, audit and error pages in real Chromium, with JavaScript on and off,
// each page checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { currentTotp } from '../../src/platform/auth/credentials.ts';
import { clickAndWait, expectAccessible, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { createOrganisation, createUser, TEST_PASSWORD } from '../support/fixtures.ts';

let h: BrowserHarness;
before(async () => { h = await startBrowserHarness(); });
after(async () => { await h?.close(); });

for (const javaScript of [true, false]) {
  describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('a practitioner signs in, sees home and account, and signs out; every page is accessible', async () => {
      const user = await createUser(h.t.db, 'practitioner');
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/');
      assert.match(page.url(), /\/sign-in\?returnTo=%2F$/);
      await expectAccessible(page, 'sign-in');
      // A mistake shows the error summary and keeps the email.
      await page.fill('#email', user.email);
      await page.fill('#password', 'wrong password');
      await clickAndWait(page, 'button:has-text("Sign in")');
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      assert.equal(await page.inputValue('#email'), user.email);
      await expectAccessible(page, 'sign-in with errors');
      await page.fill('#password', TEST_PASSWORD);
      await clickAndWait(page, 'button:has-text("Sign in")');
      assert.equal(new URL(page.url()).pathname, '/');
      assert.match(await page.textContent('body') ?? '', /Signed in as Test practitioner/);
      await expectAccessible(page, 'home');
      await page.goto('/account');
      await expectAccessible(page, 'account');
      await page.goto('/accessibility');
      await expectAccessible(page, 'accessibility');
      const missing = await page.goto('/no-such-page');
      assert.equal(missing?.status(), 404);
      await expectAccessible(page, '404');
      const forbidden = await page.goto('/audit');
      assert.equal(forbidden?.status(), 403);
      await expectAccessible(page, '403');
      await page.goto('/');
      await clickAndWait(page, 'button:has-text("Sign out")');
      assert.match(page.url(), /\/sign-in\?signedOut=1/);
      await expectAccessible(page, 'signed out');
      await context.close();
    });

    test('a DSL enrols an authenticator app, saves recovery codes and reaches the service', async () => {
      const dsl = await createUser(h.t.db, 'dsl');
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/sign-in');
      await page.fill('#email', dsl.email);
      await page.fill('#password', TEST_PASSWORD);
      await clickAndWait(page, 'button:has-text("Sign in")');
      assert.match(page.url(), /\/sign-in\/set-up-two-factor/);
      await expectAccessible(page, 'set up two factor');
      assert.equal(await page.locator('img.app-qr').isVisible(), true);
      const secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '');
      await page.fill('#code', currentTotp(secret));
      await clickAndWait(page, 'button:has-text("Continue")');
      assert.equal(await page.locator('#recovery-codes li').count(), 10);
      await expectAccessible(page, 'recovery codes');
      await clickAndWait(page, 'text=I have saved my codes');
      assert.equal(new URL(page.url()).pathname, '/');
      await page.goto('/account');
      assert.match(await page.textContent('main') ?? '', /Set up, 10 recovery codes left/);
      await context.close();
    });

    test('an auditor signs in with a code and filters the audit log', async () => {
      const { organisationId } = await createOrganisation(h.t.db);
      const auditor = await createUser(h.t.db, 'auditor', { organisationId, enrolTotp: true });
      const { context, page } = await h.newPage({ javaScript });
      await page.goto('/sign-in');
      await page.fill('#email', auditor.email);
      await page.fill('#password', TEST_PASSWORD);
      await clickAndWait(page, 'button:has-text("Sign in")');
      assert.match(page.url(), /\/sign-in\/two-factor/);
      await expectAccessible(page, 'two factor');
      await page.fill('#code', '000000' === currentTotp(auditor.totpSecret!) ? '111111' : '000000');
      await clickAndWait(page, 'button:has-text("Continue")');
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      await expectAccessible(page, 'two factor with error');
      await page.fill('#code', currentTotp(auditor.totpSecret!));
      await clickAndWait(page, 'button:has-text("Continue")');
      await page.goto('/audit');
      await expectAccessible(page, 'audit log');
      await page.fill('#action', 'auth.sign-in');
      await page.fill('#from', '2026-02-30');
      await clickAndWait(page, 'button:has-text("Filter")');
      assert.equal(await page.locator('.govuk-error-summary').isVisible(), true);
      await expectAccessible(page, 'audit log with error');
      await page.fill('#from', '');
      await clickAndWait(page, 'button:has-text("Filter")');
      assert.ok(await page.locator('td:has-text("auth.sign-in")').count() >= 1);
      await context.close();
    });
  });
}

test('with JavaScript on, the inactivity warning appears before the timeout and "Stay signed in" extends the session', async () => {
  const user = await createUser(h.t.db, 'practitioner');
  const { context, page } = await h.newPage({ javaScript: true });
  await page.clock.install();
  await signInInBrowser(page, user);
  await page.goto('/account');
  const dialog = page.locator('#timeout-warning');
  assert.equal(await dialog.isVisible(), false);
  const idleMinutes = h.t.config.sessionIdleMinutes;
  await page.clock.fastForward(`${String(idleMinutes - 2).padStart(2, '0')}:30`);
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.textContent() ?? '', /You are about to be signed out/);
  await expectAccessible(page, 'timeout warning');
  await h.t.db.query("UPDATE sessions SET idle_expires_at = now() + interval '1 minute' WHERE user_id = $1", [user.id]);
  await page.click('button:has-text("Stay signed in")');
  await dialog.waitFor({ state: 'hidden' });
  const { rows } = await h.t.db.query("SELECT bool_or(idle_expires_at > now() + interval '20 minutes') AS extended FROM sessions WHERE user_id = $1", [user.id]);
  assert.equal(rows[0].extended, true);
  await context.close();
});

test('with JavaScript off, work sent after a timeout is kept and can be sent after signing in again', async () => {
  const user = await createUser(h.t.db, 'practitioner');
  const other = await createUser(h.t.db, 'practitioner', { email: user.email.replace('@', '+2@') });
  void other;
  const { context, page } = await h.newPage({ javaScript: false });
  await signInInBrowser(page, user);
  await page.goto('/account');
  await h.t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
  await clickAndWait(page, 'button:has-text("Sign out of all other sessions")');
  assert.match(page.url(), /timedOut=1/);
  assert.match(await page.textContent('.govuk-notification-banner') ?? '', /Anything you were typing has been kept/);
  await expectAccessible(page, 'timed out sign-in');
  await page.fill('#email', user.email);
  await page.fill('#password', TEST_PASSWORD);
  await clickAndWait(page, 'button:has-text("Sign in")');
  assert.equal(new URL(page.url()).pathname, '/resume');
  await expectAccessible(page, 'resume');
  await clickAndWait(page, 'button:has-text("Continue and send it")');
  assert.equal(new URL(page.url()).pathname, '/account');
  await context.close();
});

test('the accessibility check itself fails on an inaccessible page, with JavaScript on and off', async () => {
  for (const javaScript of [true, false]) {
    const { context, page } = await h.newPage({ javaScript });
    await page.goto('/accessibility');
    await page.setContent('<html lang="en"><head><title>Broken</title></head><body><main><img src="/x.png"><input type="text"></main></body></html>');
    await assert.rejects(expectAccessible(page, 'deliberately broken'), /image-alt|label/);
    await context.close();
  }
});
