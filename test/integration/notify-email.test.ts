// Email through a real local SMTP server: the DSL and deputy get the new-concern email; two workers on
// one database send each message exactly once; a refused message is retried later with a safe reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPool } from '../../src/platform/db/pool.ts';
import { startEmailWorker } from '../../src/platform/notify/worker.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { startMailCatcher, unquote, type MailCatcher, type ReceivedMail } from '../support/smtp.ts';

let t: TestApp;
let mail: MailCatcher;
let smtpUrl = '';
let received: ReceivedMail[] = [];

before(async () => {
  t = await createTestApp({ publicUrl: 'https://continuum.example.org' });
  mail = await startMailCatcher({ refuse: (address) => address.startsWith('refuse') });
  smtpUrl = mail.url;
  received = mail.received;
});
after(async () => {
  await mail.close();
  await t.close();
});

describe('email', () => {
  test("a practitioner's concern reaches the DSL and deputy by email and in their notifications", async () => {
    const { organisationId } = await createOrganisation(t.db, { name: 'Riverside Primary School' });
    const practitioner = await createUser(t.db, 'practitioner', { organisationId });
    const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
    const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
    const child = await createChild(t.db, { organisationId, firstName: 'Amelia', lastName: 'Zielinska' });
    const c = new Client(t.app);
    await c.signIn(practitioner);
    const res = await c.json('POST', '/api/v1/concerns', {
      childId: child.id, whatHappened: 'Said she was scared to go home', occurredAtText: 'this morning', location: 'Year 3 classroom',
      present: 'Me', categories: ['emotional_abuse'], immediateDanger: false, toldDslInPerson: false,
    });
    assert.equal(res.statusCode, 201);
    const { id, reference } = res.json();

    const worker = startEmailWorker({ db: t.db, smtpUrl, from: 'Continuum <no-reply@test.example>', intervalMs: 60_000 });
    await worker.runOnce();
    await worker.stop();

    const mine = received.filter((m) => m.data.includes(reference));
    assert.deepEqual(mine.map((m) => m.to[0]).sort(), [dsl.email, deputy.email].sort());
    const text = unquote(mine[0]!.data);
    assert.match(text, new RegExp(`Subject: New safeguarding concern ${reference} at Riverside Primary School`));
    assert.match(text, new RegExp(`https://continuum.example.org/concerns/${id}`));
    assert.doesNotMatch(text, /Amelia|Zielinska|scared|classroom/i);
    const { rows } = await t.db.query('SELECT sent_at, attempts, last_error FROM email_outbox WHERE subject LIKE $1', [`%${reference}%`]);
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.ok(r.sent_at);
      assert.equal(r.attempts, 1);
      assert.equal(r.last_error, null);
    }

    const dc = new Client(t.app);
    await dc.signIn(dsl);
    const page = await dc.get('/notifications');
    assert.match(page.body, new RegExp(`New concern ${reference} raised by Test practitioner`));
  });

  test('two workers on one database send each message exactly once', async () => {
    const batch = `batch-${Date.now()}`;
    for (let i = 0; i < 40; i += 1) {
      await t.db.query('INSERT INTO email_outbox (to_address, subject, body) VALUES ($1, $2, $3)', [`lead${i}@test.example`, `${batch} message ${i}`, 'Sign in to Continuum.']);
    }
    const before = received.length;
    const poolA = createPool(t.url, 3);
    const poolB = createPool(t.url, 3);
    const a = startEmailWorker({ db: poolA, smtpUrl, from: 'a@test.example', intervalMs: 20, batchSize: 3 });
    const b = startEmailWorker({ db: poolB, smtpUrl, from: 'b@test.example', intervalMs: 20, batchSize: 3 });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows: [{ n }] } = await t.db.query('SELECT count(*)::int AS n FROM email_outbox WHERE subject LIKE $1 AND sent_at IS NULL', [`${batch}%`]);
      if (n === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([poolA.end(), poolB.end()]);
    const got = received.slice(before).filter((m) => m.data.includes(batch));
    const subjects = got.map((m) => /message (\d+)/.exec(m.data)![1]);
    assert.equal(got.length, 40, 'every message sent');
    assert.equal(new Set(subjects).size, 40, 'none sent twice');
    const senders = new Set(got.map((m) => /From: ([ab])@test\.example/.exec(m.data)?.[1]));
    assert.ok(senders.has('a') && senders.has('b'), 'both workers took part');
    const { rows } = await t.db.query('SELECT max(attempts) AS m FROM email_outbox WHERE subject LIKE $1', [`${batch}%`]);
    assert.equal(rows[0].m, 1);
  });

  test('a refused message is retried later, and its error keeps no address', async () => {
    await t.db.query("INSERT INTO email_outbox (to_address, subject, body) VALUES ('refuse@test.example', 'will fail', 'x')");
    const errors: string[] = [];
    const w = startEmailWorker({ db: t.db, smtpUrl, from: 'c@test.example', intervalMs: 60_000, onError: (e) => errors.push(e.reason) });
    await w.runOnce();
    await w.stop();
    const { rows: [r] } = await t.db.query("SELECT sent_at, attempts, last_error, next_attempt_at > now() + interval '20 seconds' AS later FROM email_outbox WHERE subject = 'will fail'");
    assert.equal(r.sent_at, null);
    assert.equal(r.attempts, 1);
    assert.equal(r.later, true);
    assert.match(r.last_error, /550/);
    assert.doesNotMatch(r.last_error, /@/);
    assert.ok(errors.length >= 1 && errors.every((e) => !e.includes('@')));
  });
});
