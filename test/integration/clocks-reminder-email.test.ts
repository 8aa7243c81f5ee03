// Clock reminders by email through a real local SMTP server: each reminder reaches each lead once, with two
// reminder workers and two email workers running at the same time, and no email names the child or the case.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { londonInstant } from '../../src/clocks/clock.ts';
import { onEvent, systemActor } from '../../src/clocks/operations.ts';
import { sendDueReminders } from '../../src/clocks/reminders.ts';
import { createPool, withTransaction } from '../../src/platform/db/pool.ts';
import { startEmailWorker } from '../../src/platform/notify/worker.ts';
import { createChild } from '../support/children.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { startMailCatcher, unquote, type MailCatcher, type ReceivedMail } from '../support/smtp.ts';

let t: TestDatabase;
let mail: MailCatcher;
let smtpUrl = '';
let received: ReceivedMail[] = [];
const PUBLIC_URL = 'https://continuum.example.org';

before(async () => {
  t = await createTestDatabase();
  mail = await startMailCatcher();
  smtpUrl = mail.url;
  received = mail.received;
});
after(async () => {
  await mail.close();
  await t.drop();
});

async function setup() {
  const { organisationId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const child = await createChild(t.db, { organisationId, firstName: 'Zebedee', lastName: 'Quartermaine' });
  return { organisationId, dsl, deputy, practitioner, child };
}

/** Send the outbox with two email workers at once until nothing is left to send. */
async function drainOutbox() {
  const poolA = createPool(t.url, 3);
  const poolB = createPool(t.url, 3);
  const a = startEmailWorker({ db: poolA, smtpUrl, from: 'Continuum <a@test.example>', intervalMs: 20, batchSize: 4 });
  const b = startEmailWorker({ db: poolB, smtpUrl, from: 'Continuum <b@test.example>', intervalMs: 20, batchSize: 4 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows: [{ n }] } = await t.db.query('SELECT count(*)::int AS n FROM email_outbox WHERE sent_at IS NULL');
    if (n === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all([a.stop(), b.stop()]);
  await Promise.all([poolA.end(), poolB.end()]);
}

describe('clock reminders by email', () => {
  test('a due-soon reminder reaches the DSL and the deputy by email, naming the clock and never the child', async () => {
    const s = await setup();
    const subject = { type: 'referral', id: `R-email-${Date.now()}` };
    const r = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.sent', {
      organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: londonInstant('2026-12-24', '15:00'), actor: systemActor(s.organisationId),
    }));
    const ack = r.started.find((c) => c.definitionId === 'referral-acknowledgement')!;
    const before = received.length;
    await sendDueReminders(t.db, londonInstant('2026-12-29', '09:00'), 50, PUBLIC_URL);
    await drainOutbox();

    const mine = received.slice(before).map((m) => ({ to: m.to[0]!, text: unquote(m.data) })).filter((m) => m.text.includes(`clock-${ack.id}`));
    assert.deepEqual(mine.map((m) => m.to).sort(), [s.dsl.email, s.deputy.email].sort(), 'the leads, not the practitioner');
    for (const m of mine) {
      assert.match(m.text, /^Subject: Due soon: Acknowledge a referral\r?$/m);
      assert.match(m.text, /Due soon: Acknowledge a referral, for a referral, is due by 5pm Tuesday 29 December 2026\./);
      assert.ok(m.text.includes(`${PUBLIC_URL}/clocks#clock-${ack.id}`), 'links to the clock behind sign-in');
      assert.match(m.text, /no details of the child/);
      assert.doesNotMatch(m.text, /Zebedee|Quartermaine|R-email/, 'no child name and no case detail');
    }
    // the email is in addition to the notification in the app, not instead of it
    const notes = (await t.db.query(`SELECT user_id FROM notifications WHERE link = $1 AND kind = 'clock.due-soon'`, [`/clocks#clock-${ack.id}`])).rows;
    assert.equal(notes.length, 2);
  });

  test('two reminder workers and two email workers at once: every reminder is emailed to each lead exactly once', async () => {
    const s = await setup();
    const startedAt = new Date(Date.now() - 10 * 24 * 3_600_000);
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 15; i += 1) {
        await onEvent(tx, 'referral.sent', { organisationId: s.organisationId, childId: s.child.id, subject: { type: 'referral', id: `R-race-${i}-${Date.now()}` }, occurredAt: startedAt, actor: systemActor(s.organisationId) });
      }
    });
    const clockIds = (await t.db.query<{ id: string }>('SELECT id FROM clocks WHERE organisation_id = $1', [s.organisationId])).rows.map((r) => r.id);
    assert.equal(clockIds.length, 45);

    const before = received.length;
    const poolA = createPool(t.url, 3);
    const poolB = createPool(t.url, 3);
    const now = new Date();
    try {
      await Promise.all([sendDueReminders(poolA, now, 4, PUBLIC_URL), sendDueReminders(poolB, now, 4, PUBLIC_URL), drainOutbox()]);
      await Promise.all([sendDueReminders(poolA, now, 4, PUBLIC_URL), sendDueReminders(poolB, now, 4, PUBLIC_URL)]);
    } finally {
      await Promise.all([poolA.end(), poolB.end()]);
    }
    await drainOutbox();

    const notes = (await t.db.query<{ email: string; link: string; kind: string }>(
      `SELECT u.email, n.link, n.kind FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.link = ANY($1::text[])`,
      [clockIds.map((id) => `/clocks#clock-${id}`)])).rows;
    assert.ok(notes.length >= 2 * 15, `reminders were due (${notes.length})`);
    const ours = new Set(clockIds.map((id) => `/clocks#clock-${id}`));
    const emails = received.slice(before).map((m) => ({ to: m.to[0]!, text: unquote(m.data) }))
      .filter((m) => ours.has(/\/clocks#clock-[0-9a-f-]{36}/.exec(m.text)?.[0] ?? ''));
    const keyOf = (to: string, link: string, state: string) => `${to} ${link} ${state}`;
    const emailed = emails.map((m) => {
      const link = /\/clocks#clock-[0-9a-f-]{36}/.exec(m.text)![0];
      const state = /^Subject: (Overdue|Due soon):/m.exec(m.text)![1] === 'Overdue' ? 'clock.overdue' : 'clock.due-soon';
      return keyOf(m.to, link, state);
    });
    assert.equal(new Set(emailed).size, emailed.length, 'nobody got the same reminder twice');
    assert.deepEqual(emailed.sort(), notes.map((n) => keyOf(n.email, n.link, n.kind)).sort(), 'one email for every reminder in the app, and no other');
    assert.ok(!emails.some((m) => m.to === s.practitioner.email));
    assert.ok(!emails.some((m) => /Zebedee|Quartermaine|R-race/.test(m.text)));
    const { rows: [{ m }] } = await t.db.query(`SELECT coalesce(max(attempts), 0)::int AS m FROM email_outbox WHERE to_address = ANY($1::text[])`, [[s.dsl.email, s.deputy.email]]);
    assert.equal(m, 1, 'each sent on the first attempt, by one worker');
  });
});
