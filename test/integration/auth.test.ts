import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { currentTotp } from '../../src/platform/auth/credentials.ts';
import { createSession, hashToken, loadSession } from '../../src/platform/auth/sessions.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation, createUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

describe('sign-in with email and password', () => {
  test('the sign-in page is a GOV.UK page with a CSRF token and a nonce for the template script', async () => {
    const c = new Client(t.app);
    const res = await c.get('/sign-in');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /govuk-template/);
    assert.match(res.body, /<h1 class="govuk-heading-l">Sign in to Continuum<\/h1>/);
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    assert.ok(nonce, 'CSP carries a nonce');
    assert.ok(res.body.includes(`<script nonce="${nonce}">document.body.className`), 'inline script uses the nonce');
    assert.match(res.body, /<script type="module" src="\/static\/app.js">/);
    assert.ok(c.csrf.length > 20);
  });

  test('a JSON answer gets the same security headers, with no nonce: it runs no script', async () => {
    const res = await new Client(t.app).get('/api/v1/openapi.json');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /nonce-/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  test('a practitioner signs in without a second factor; cookies are Secure, HttpOnly and SameSite', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /continuum_session=[^;]+;.*HttpOnly/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /SameSite=Lax/);
    const home = await c.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Signed in as Test practitioner/);
  });

  test('a wrong password shows the error summary and keeps the email typed', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: user.email, password: 'wrong' });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /The email address or password is not right/);
    assert.ok(res.body.includes(`value="${user.email}"`));
    assert.match(res.body, /<title>Error: /);
  });

  test('missing fields are named in the error summary', async () => {
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'not-an-email', password: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#email"/);
    assert.match(res.body, /Enter an email address in the correct format/);
  });

  test('a form posted without its CSRF token is refused', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: user.email, password: TEST_PASSWORD, _csrf: null });
    assert.equal(res.statusCode, 403);
    assert.equal(c.cookies.has('continuum_session'), false);
    await c.signIn(user);
    const out = await c.post('/sign-out', { _csrf: 'forged' });
    assert.equal(out.statusCode, 403);
  });

  test('five failures lock the account for the window, even with the right password', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    for (let i = 0; i < 5; i += 1) assert.equal((await c.post('/sign-in', { email: user.email, password: `wrong-${i}` })).statusCode, 401);
    const locked = await c.post('/sign-in', { email: user.email, password: TEST_PASSWORD });
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /You have tried to sign in too many times\. Wait 15 minutes/);
    // Once the window has passed, the account opens again.
    await t.db.query("UPDATE sign_in_failures SET at = at - interval '16 minutes' WHERE email_lower = $1", [user.email.toLowerCase()]);
    assert.equal((await c.post('/sign-in', { email: user.email, password: TEST_PASSWORD })).statusCode, 303);
  });
  test('a returnTo with characters a Location header cannot carry falls back to the home page', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: user.email, password: TEST_PASSWORD, returnTo: '/children?q=€' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
  });

  test('wrong passwords sent in parallel are still held to the per-account limit', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.get('/sign-in');
    try {
      const res = await Promise.all(Array.from({ length: 30 }, (_, i) => c.post('/sign-in', { email: user.email, password: `wrong-${i}` })));
      const codes = res.map((r) => r.statusCode);
      assert.ok(codes.filter((x) => x === 429).length >= 25, `refused as locked: ${codes.join(',')}`);
      assert.equal(codes.filter((x) => x === 401).length, 5);
    } finally {
      // Every request here comes from one address: keep its limit clear for the other tests.
      await t.db.query('DELETE FROM sign_in_failures WHERE email_lower = $1', [user.email.toLowerCase()]);
    }
  });
});

describe('second factor', () => {
  test('a DSL enrols an authenticator app by QR code, gets recovery codes, and then needs a code to sign in', async () => {
    const dsl = await createUser(t.db, 'dsl');
    const c = new Client(t.app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    assert.equal(res.headers.location, '/sign-in/set-up-two-factor?returnTo=%2F');
    // Until the second factor is done, protected pages send the user back to it.
    const blocked = await c.get('/account');
    assert.equal(blocked.statusCode, 303);
    assert.equal(blocked.headers.location, '/sign-in/set-up-two-factor');

    const setup = await c.get('/sign-in/set-up-two-factor');
    assert.match(setup.body, /<img class="app-qr" src="data:image\/png;base64,/);
    const secret = /<p class="app-secret" id="totp-secret">([A-Z2-7 ]+)<\/p>/.exec(setup.body)![1]!.replace(/ /g, '');
    const wrong = await c.post('/sign-in/set-up-two-factor', { code: '000000' === currentTotp(secret) ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /The code is not right/);
    const done = await c.post('/sign-in/set-up-two-factor', { code: currentTotp(secret) });
    assert.equal(done.statusCode, 200);
    const codes = [...done.body.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);
    assert.equal((await c.get('/account')).statusCode, 200);

    // Next sign-in: a code is required, a replayed code is refused, a recovery code works once.
    const later = Date.now() + 30_000; // the next time step: the enrolment code's own step is spent
    const c2 = new Client(t.app);
    await c2.get('/sign-in');
    const pw = await c2.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    assert.equal(pw.headers.location, '/sign-in/two-factor?returnTo=%2F');
    await c2.get('/sign-in/two-factor');
    const bad = await c2.post('/sign-in/two-factor', { code: '12345' });
    assert.equal(bad.statusCode, 401);
    const ok = await c2.post('/sign-in/two-factor', { code: codes[0]! });
    assert.equal(ok.statusCode, 303);
    assert.equal((await c2.get('/account')).statusCode, 200);

    const c3 = new Client(t.app);
    await c3.get('/sign-in');
    await c3.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    await c3.get('/sign-in/two-factor');
    assert.equal((await c3.post('/sign-in/two-factor', { code: codes[0]! })).statusCode, 401, 'a used recovery code is refused');
    assert.equal((await c3.post('/sign-in/two-factor', { code: currentTotp(secret, later) })).statusCode, 303);
    // The session token changes when the second factor completes (no fixation).
    assert.notEqual(c3.cookies.get('continuum_session'), undefined);
  });

  test('a TOTP code cannot be used twice', async () => {
    const dsl = await createUser(t.db, 'dsl', { enrolTotp: true });
    const code = currentTotp(dsl.totpSecret!);
    const a = new Client(t.app);
    await a.get('/sign-in');
    await a.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    await a.get('/sign-in/two-factor');
    assert.equal((await a.post('/sign-in/two-factor', { code })).statusCode, 303);
    const b = new Client(t.app);
    await b.get('/sign-in');
    await b.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    await b.get('/sign-in/two-factor');
    assert.equal((await b.post('/sign-in/two-factor', { code })).statusCode, 401);
  });

  test('re-entering the password does not reset the limit on wrong codes', async () => {
    const dsl = await createUser(t.db, 'dsl', { enrolTotp: true });
    const wrong = currentTotp(dsl.totpSecret!) === '000000' ? '111111' : '000000';
    const c = new Client(t.app);
    const seen: number[] = [];
    try {
      for (let round = 0; round < 3 && !seen.includes(429); round += 1) {
        await c.get('/sign-in');
        const pw = await c.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
        seen.push(pw.statusCode);
        if (pw.statusCode !== 303) continue;
        await c.get('/sign-in/two-factor');
        for (let i = 0; i < 4; i += 1) seen.push((await c.post('/sign-in/two-factor', { code: wrong })).statusCode);
      }
      assert.ok(seen.includes(429), `locked out: ${seen.join(',')}`);
      assert.ok(seen.filter((x) => x === 401).length <= 5, `wrong codes checked: ${seen.join(',')}`);
      const locked = await c.post('/sign-in/two-factor', { code: currentTotp(dsl.totpSecret!) });
      assert.equal(locked.statusCode, 429);
      assert.match(locked.body, /You have entered too many wrong codes/);
    } finally {
      await t.db.query('DELETE FROM sign_in_failures WHERE email_lower = $1', [dsl.email.toLowerCase()]);
    }
  });

  test('earlier failures are cleared once sign-in completes with the second factor', async () => {
    const dsl = await createUser(t.db, 'dsl', { enrolTotp: true });
    const c = new Client(t.app);
    await c.get('/sign-in');
    for (let i = 0; i < 3; i += 1) assert.equal((await c.post('/sign-in', { email: dsl.email, password: `wrong-${i}` })).statusCode, 401);
    const count = async () => Number((await t.db.query('SELECT count(*) AS n FROM sign_in_failures WHERE email_lower = $1', [dsl.email.toLowerCase()])).rows[0].n);
    await c.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD });
    assert.equal(await count(), 3, 'the password alone clears nothing');
    await c.get('/sign-in/two-factor');
    assert.equal((await c.post('/sign-in/two-factor', { code: currentTotp(dsl.totpSecret!) })).statusCode, 303);
    assert.equal(await count(), 0);
  });
});

describe('sessions', () => {
  test('sign-out revokes the session', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    const token = c.cookies.get('continuum_session')!;
    const out = await c.post('/sign-out');
    assert.equal(out.headers.location, '/sign-in?signedOut=1');
    c.cookies.set('continuum_session', token);
    const after = await c.get('/account');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/sign-in\?returnTo=%2Faccount/);
  });

  test('signing out of other sessions revokes them and keeps this one', async () => {
    const user = await createUser(t.db, 'practitioner');
    const a = new Client(t.app);
    const b = new Client(t.app);
    await a.signIn(user);
    await b.signIn(user);
    const res = await a.post('/account/sign-out-other-sessions');
    assert.equal(res.headers.location, '/account?revoked=1');
    assert.equal((await b.get('/account')).statusCode, 303);
    assert.equal((await a.get('/account')).statusCode, 200);
  });

  test('an idle session times out; a form sent after the timeout is kept and offered back after sign-in', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await c.get('/account');
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    const page = await c.get('/account');
    assert.equal(page.statusCode, 303);
    // The stale page still holds the old token: what the user typed must survive.
    const sent = await c.post('/account/sign-out-other-sessions', { note: 'Child said “I don’t want to go home”', tags: ['a', 'b'] });
    assert.equal(sent.statusCode, 303);
    assert.match(String(sent.headers.location), /^\/sign-in\?returnTo=%2Faccount%2Fsign-out-other-sessions&timedOut=1/);
    const again = await c.signIn(user);
    assert.equal(again.headers.location, '/resume');
    const resume = await c.get('/resume');
    assert.equal(resume.statusCode, 200);
    assert.ok(resume.body.includes('value="Child said “I don’t want to go home”"'));
    assert.ok(resume.body.includes('name="tags" value="a"') && resume.body.includes('name="tags" value="b"'));
    assert.ok(resume.body.includes('action="/account/sign-out-other-sessions"'));
  });

  test('a kept form, once sent from the resume page, is not offered again at the next sign-in', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await c.get('/account');
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    await c.post('/account/sign-out-other-sessions', { note: 'first version' });
    assert.equal((await c.signIn(user)).headers.location, '/resume');
    await c.get('/resume');
    // A resumed post that fails the CSRF check is not handled, so the kept form stays.
    const forged = await c.post('/account/sign-out-other-sessions', { _csrf: 'forged', note: 'first version', _resumed: '1' });
    assert.equal(forged.statusCode, 403);
    const sent = await c.post('/account/sign-out-other-sessions', { note: 'first version', _resumed: '1' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/account?revoked=1');
    const { rows } = await t.db.query('SELECT form_key FROM drafts WHERE user_id = $1', [user.id]);
    assert.deepEqual(rows.map((r) => r.form_key), []);
    await c.get('/account');
    await c.post('/sign-out');
    const again = await c.signIn(user);
    assert.notEqual(again.headers.location, '/resume');
    assert.equal((await c.get('/resume')).headers.location, '/');
  });

  test('a session that timed out before its second factor cannot keep a form', async () => {
    const dsl = await createUser(t.db, 'dsl', { enrolTotp: true });
    const c = new Client(t.app);
    await c.get('/sign-in');
    assert.match(String((await c.post('/sign-in', { email: dsl.email, password: TEST_PASSWORD })).headers.location), /two-factor/);
    await c.get('/sign-in/two-factor'); // the page holds this session's own CSRF token
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [dsl.id]);
    const sent = await c.post('/account/sign-out-other-sessions', { note: 'planted' });
    assert.equal(sent.statusCode, 403);
    const { rows } = await t.db.query('SELECT form_key FROM drafts WHERE user_id = $1', [dsl.id]);
    assert.deepEqual(rows, []);
    assert.notEqual((await new Client(t.app).signIn(dsl)).headers.location, '/resume');
  });

  test('a timed-out session keeps no form for a user who has since been deactivated', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await c.get('/account');
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    await t.db.query('UPDATE users SET active = false WHERE id = $1', [user.id]);
    assert.equal((await c.post('/account/sign-out-other-sessions', { note: 'x' })).statusCode, 403);
    assert.deepEqual((await t.db.query('SELECT form_key FROM drafts WHERE user_id = $1', [user.id])).rows, []);
  });

  test('a timed-out session keeps no form that lacks that session\'s own CSRF token', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await c.get('/account');
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    assert.equal((await c.post('/account/sign-out-other-sessions', { _csrf: 'forged', note: 'x' })).statusCode, 403);
    assert.equal((await c.post('/account/sign-out-other-sessions', { _csrf: null, note: 'x' })).statusCode, 403);
    assert.deepEqual((await t.db.query('SELECT form_key FROM drafts WHERE user_id = $1', [user.id])).rows, []);
  });

  test('a sign-out, a "stay signed in" or an empty post after the timeout does not replace the kept form', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await c.get('/account');
    await t.db.query("UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    assert.match(String((await c.post('/account/sign-out-other-sessions', { note: 'what the child said' })).headers.location), /timedOut=1/);
    for (const url of ['/session/extend', '/sign-out', '/account/sign-out-other-sessions']) {
      const res = await c.post(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/sign-in\?(.*&)?timedOut=1/, url);
    }
    const { rows } = await t.db.query("SELECT data FROM drafts WHERE user_id = $1 AND form_key = 'resume'", [user.id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].data.action, '/account/sign-out-other-sessions');
    assert.deepEqual(rows[0].data.fields, { note: 'what the child said' });
  });

  test('the timeout warning on a page that does not extend the session shows the time actually left', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await t.db.query("UPDATE sessions SET idle_expires_at = now() + interval '5 minutes' WHERE user_id = $1", [user.id]);
    const page = await c.get('/accessibility');
    const seconds = Number(/data-idle-seconds="(\d+)"/.exec(page.body)?.[1]);
    assert.ok(seconds > 280 && seconds <= 300, `idle seconds shown: ${seconds}`);
  });

  test('the session extension endpoint pushes the inactivity deadline back', async () => {
    const user = await createUser(t.db, 'practitioner');
    const c = new Client(t.app);
    await c.signIn(user);
    await t.db.query("UPDATE sessions SET idle_expires_at = now() + interval '1 minute' WHERE user_id = $1", [user.id]);
    const res = await c.json('POST', '/session/extend', {});
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().idleSeconds, t.config.sessionIdleMinutes * 60);
    const { rows } = await t.db.query("SELECT idle_expires_at > now() + interval '20 minutes' AS extended FROM sessions WHERE user_id = $1", [user.id]);
    assert.equal(rows[0].extended, true);
  });

  test('session checks that arrive together are answered each for its own session, a revoked one refused', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => createUser(t.db, 'practitioner')));
    const tokens = await Promise.all(users.map((u) => createSession(t.db, u.id, { ip: null, idleMinutes: 30, secondFactorDone: false })));
    await t.db.query("UPDATE sessions SET revoked_at = now() WHERE id = $1", [hashToken(tokens[2]!)]);
    await t.db.query("UPDATE sessions SET idle_expires_at = now() + interval '1 minute' WHERE id = ANY($1)", [[hashToken(tokens[1]!), hashToken(tokens[3]!)]]);
    // The first check goes alone; the rest wait for it and go together, the same session asked twice among them.
    const asked = [0, 1, 2, 3, 1].map((i) => loadSession(t.db, tokens[i]!, 30, i === 3));
    const answers = await Promise.all(asked);
    assert.deepEqual(answers.map((a) => a?.userId ?? null), [users[0]!.id, users[1]!.id, null, users[3]!.id, users[1]!.id]);
    assert.notEqual(answers[1], answers[4], 'each request has its own session object');
    // Only the check that asked to touch its session moved that session's deadline.
    const { rows } = await t.db.query(
      "SELECT id, idle_expires_at > now() + interval '20 minutes' AS extended FROM sessions WHERE id = ANY($1)", [[hashToken(tokens[3]!), hashToken(tokens[1]!)]]);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.extended])), { [hashToken(tokens[3]!)]: true, [hashToken(tokens[1]!)]: false });
    assert.ok(answers[3]!.idleExpiresAt.getTime() > Date.now() + 20 * 60_000);
  });

  test('a session row held by another transaction does not hold up session checks, its own included', async () => {
    const [a, b] = await Promise.all([createUser(t.db, 'practitioner'), createUser(t.db, 'practitioner')]);
    const [ta, tb] = await Promise.all([a, b].map((u) => createSession(t.db, u.id, { ip: null, idleMinutes: 30, secondFactorDone: false })));
    await t.db.query("UPDATE sessions SET idle_expires_at = now() + interval '1 minute' WHERE id = ANY($1)", [[hashToken(ta!), hashToken(tb!)]]);
    const holder = await t.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE', [hashToken(ta!)]);
      const checks = Promise.all([loadSession(t.db, ta!, 30, true), loadSession(t.db, tb!, 30, true), loadSession(t.db, ta!, 30, true)]);
      const stuck = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 3000).unref());
      const answers = await Promise.race([checks, stuck]);
      assert.notEqual(answers, 'stuck', 'the checks waited for the held row');
      assert.deepEqual((answers as Awaited<typeof checks>).map((s) => s?.userId), [a.id, b.id, a.id]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // The held session was not touched; the other was.
    const { rows } = await t.db.query(
      "SELECT id, idle_expires_at > now() + interval '20 minutes' AS extended FROM sessions WHERE id = ANY($1)", [[hashToken(ta!), hashToken(tb!)]]);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.extended])), { [hashToken(ta!)]: false, [hashToken(tb!)]: true });
  });

  test('sessions survive a restart of the service', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const user = await createUser(t.db, 'practitioner', { organisationId });
    const c = new Client(t.app);
    await c.signIn(user);
    const restarted = await createTestApp({}, { db: t.db, url: t.url, drop: async () => undefined });
    const c2 = new Client(restarted.app);
    c2.cookies = new Map(c.cookies);
    const res = await c2.get('/account');
    assert.equal(res.statusCode, 200);
    await restarted.app.close();
  });
});
