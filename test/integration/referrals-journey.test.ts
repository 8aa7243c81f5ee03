// From a decision to a sent referral, and the front door's side: pages, PDF, API, clocks, notifications, audit, access.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../support/app.ts';
import { pdfText } from '../support/pdf.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { createReferralCase, startReferralApp, type ReferralSetup } from '../support/referrals.ts';

let t: TestApp;
let s: ReferralSetup;
let dsl: Client;
let frontDoor: Client;

before(async () => {
  ({ t, s, dsl, frontDoor } = await startReferralApp());
});
after(async () => { await t.close(); });


const auditActions = async (recordId: string) =>
  (await t.db.query<{ action: string }>('SELECT action FROM audit_log WHERE record_id = $1 ORDER BY at, seq', [recordId])).rows.map((r) => r.action);
const clocksOf = async (subjectId: string) =>
  (await t.db.query<{ definition_id: string; organisation_id: string; stopped_at: Date | null; due_at: Date; started_at: Date; stage: number }>(
    'SELECT definition_id, organisation_id, stopped_at, due_at, started_at, stage FROM clocks WHERE subject_id = $1 ORDER BY created_at, definition_id', [subjectId])).rows;
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describe('a DSL goes from a decision to a sent referral', () => {
  test('the decision page links to the referral; facts, analysis, method, check and send; the front door acknowledges and decides', async () => {
    const c = await createReferralCase(t.db, s);
    // consent recorded for both parents: one gave it, one was not asked because it would put the child at risk
    let res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[0]!.personId}`, status: 'given', date: '2026-01-05', method: 'in_person' });
    assert.equal(res.statusCode, 201, res.body);
    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[1]!.personId}`, status: 'not_sought', date: '2026-01-05', notSoughtReason: 'increased_risk_to_child', reasonText: 'He is the alleged perpetrator' });
    assert.equal(res.statusCode, 201, res.body);

    const decision = await dsl.get(`/decisions/${c.decisionId}`);
    assert.equal(decision.statusCode, 200);
    assert.match(decision.body, new RegExp(`href="/concerns/${c.concernId}/referral"`));

    const facts = await dsl.get(`/concerns/${c.concernId}/referral`);
    assert.equal(facts.statusCode, 200, facts.body);
    const factsMain = mainOf(facts.body);
    assert.match(factsMain, /Jordan Reed/);
    assert.match(factsMain, /Sam Reed \(Mother\)/);
    assert.match(factsMain, new RegExp(`href="/children/${c.childId}/edit"`), 'a change link to the child record');
    assert.match(factsMain, /govuk-warning-text/);
    assert.match(factsMain, /Seed 001: Appendix B, 7\. Making a Referral/);
    assert.match(factsMain, /Consent was not sought or not obtained/);

    // a too-long answer is refused with its message, and what was typed is kept
    const long = 'x'.repeat(5001);
    res = await dsl.post(`/concerns/${c.concernId}/referral/analysis`, { worries: long, tried: 'A daily check-in with the mentor' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Must be 5000 characters or fewer/);
    assert.match(res.body, /A daily check-in with the mentor/);

    res = await dsl.post(`/concerns/${c.concernId}/referral/analysis`, { worries: 'Bruising and a disclosure of being hit at home.', tried: 'A daily check-in with the mentor', whyNow: 'A new injury today.' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/concerns/${c.concernId}/referral/method`);
    const methodPage = await dsl.get(`/concerns/${c.concernId}/referral/method`);
    assert.equal(methodPage.statusCode, 200);
    res = await dsl.post(`/concerns/${c.concernId}/referral/method`, {});
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Select how you are making the referral/);
    res = await dsl.post(`/concerns/${c.concernId}/referral/method`, { method: 'online' });
    assert.equal(res.statusCode, 303);

    const check = await dsl.get(`/concerns/${c.concernId}/referral/check`);
    assert.equal(check.statusCode, 200);
    const checkMain = mainOf(check.body);
    assert.match(checkMain, /Bruising and a disclosure of being hit at home\./, 'the analysis was kept between pages');
    assert.match(checkMain, /You can still send it/);
    assert.doesNotMatch(checkMain, /What are you worried about\?<\/a>/, 'an answered question is not listed as missing');
    assert.match(checkMain, /Send to Medway First Response|Send to /);

    res = await dsl.post(`/concerns/${c.concernId}/referral/send`, {});
    assert.equal(res.statusCode, 303, res.body);
    const location = String(res.headers.location);
    const id = /^\/referrals\/([0-9a-f-]{36})\?sent=1$/.exec(location)?.[1];
    assert.ok(id, location);

    const shown = await dsl.get(location);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Referral sent/);
    assert.match(shown.body, /R-\d{6}/);

    // recorded on both sides
    const { rows: [row] } = await t.db.query('SELECT * FROM referrals WHERE id = $1', [id]);
    assert.equal(row.referring_organisation_id, s.schoolId);
    assert.equal(row.receiving_organisation_id, s.frontDoorId);
    assert.equal(row.kind, 'significant_harm');
    assert.equal(row.method, 'online');
    assert.equal(row.status, 'sent');
    assert.equal(row.content.childName, 'Jordan Reed');
    assert.equal(row.content.consent.frontDoorMustBeTold, 'not_sought');
    assert.ok(row.missing.length > 0, 'warnings were recorded');
    assert.ok(!row.missing.some((m: { id: string }) => m.id === 'worries'));
    await assert.rejects(t.db.query(`UPDATE referrals SET content = '{}'::jsonb WHERE id = $1`, [id]), /cannot be changed/);

    // the PDF
    const pdf = await dsl.get(`/referrals/${id}.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF');
    assert.match(pdf.rawPayload.toString('latin1'), /\/Lang \(en-GB\)/);
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /Jordan Reed/);
    assert.match(text, /Information not included/);
    assert.match(text, /When you last saw the child/);

    // clocks: acknowledgement, chase and the Medway outcome clock for the referrer; the decision clock for the front door
    let clocks = await clocksOf(id!);
    assert.deepEqual(clocks.map((k) => k.definition_id).sort(), ['front-door-decision', 'outcome-to-referrer', 'referral-acknowledgement', 'referral-chase']);
    assert.equal(clocks.find((k) => k.definition_id === 'front-door-decision')!.organisation_id, s.frontDoorId);

    // the front door's inbox and page
    const inbox = await frontDoor.get('/front-door/referrals');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, new RegExp(`/front-door/referrals/${id}`));
    const fdPage = await frontDoor.get(`/front-door/referrals/${id}`);
    assert.equal(fdPage.statusCode, 200);
    assert.match(fdPage.body, /Jordan Reed/);
    assert.match(fdPage.body, /Bruising and a disclosure/);
    const notes = await t.db.query('SELECT kind FROM notifications WHERE user_id = $1', [s.frontDoorWorker.id]);
    assert.ok(notes.rows.some((n) => n.kind === 'referral.received'));

    res = await frontDoor.post(`/front-door/referrals/${id}/acknowledge`, {});
    assert.equal(res.statusCode, 303);
    res = await frontDoor.post(`/front-door/referrals/${id}/decision`, { level: '', outcome: 'section_47', rationale: 'Injury with a disclosure' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Select or enter the threshold level/);
    assert.match(res.body, /Injury with a disclosure/, 'what was typed is kept');
    res = await frontDoor.post(`/front-door/referrals/${id}/decision`, { level: 'Level 3', outcome: 'section_47', rationale: 'Injury with a disclosure' });
    assert.equal(res.statusCode, 303);
    res = await frontDoor.post(`/front-door/referrals/${id}/feedback`, { text: 'A strategy discussion is being held today.' });
    assert.equal(res.statusCode, 303);

    const { rows: [after] } = await t.db.query('SELECT status FROM referrals WHERE id = $1', [id]);
    assert.equal(after.status, 'feedback_given');
    clocks = await clocksOf(id!);
    for (const k of clocks) assert.ok(k.stopped_at, `${k.definition_id} stopped`);

    // the referrer is told in the app
    const dslNotes = (await t.db.query<{ kind: string; text: string }>('SELECT kind, text FROM notifications WHERE user_id = $1 ORDER BY id', [s.dsl.id])).rows;
    for (const kind of ['referral.acknowledged', 'referral.decided', 'referral.feedback']) assert.ok(dslNotes.some((n) => n.kind === kind), kind);
    assert.ok(!dslNotes.some((n) => /Jordan/.test(n.text)), 'notifications never name the child');
    const referrerView = await dsl.get(`/referrals/${id}`);
    assert.match(referrerView.body, /Section 47 enquiry/);
    assert.match(referrerView.body, /A strategy discussion is being held today\./);

    // chronology and audit
    const events = (await t.db.query<{ type: string; summary: string }>(`SELECT type, summary FROM events WHERE child_id = $1 AND source_type IN ('referral', 'referral_update') ORDER BY id`, [c.childId])).rows;
    assert.deepEqual(events.map((e) => e.type), ['record', 'record', 'decision', 'record']);
    assert.match(events[0]!.summary, /^Referral R-\d{6} sent to /);
    const actions = await auditActions(id!);
    for (const a of ['referral.send', 'referral.view', 'referral.pdf', 'referral.acknowledge', 'referral.decide', 'referral.feedback']) assert.ok(actions.includes(a), a);
    const prepared = (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'referral.prepare' AND record_id = $1`, [c.concernId])).rows[0].n;
    assert.ok(prepared >= 4, 'each page of the journey is audited');
  });
});

describe('the API', () => {
  test('sends with warnings, 400 naming the field, a telephone referral starts the 48-hour clock, written confirmation stops it', async () => {
    const c = await createReferralCase(t.db, s, 'front_door_child_in_need');
    let res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'fax' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'method');
    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'telephone' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'telephone');
    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'telephone', telephone: { spokenTo: 'Duty social worker', spokenAt: 'yesterday' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'telephone.spokenAt');
    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online', analysis: { worries: 'x', shoeSize: '9' } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().field, /^analysis/);

    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online', anonymityRequested: true });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'anonymityRequested');
    assert.match(res.json().message, /never be anonymous/);

    const spokenAt = new Date(Date.now() - 60 * 60_000);
    res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'telephone', telephone: { spokenTo: 'Duty social worker', spokenAt: spokenAt.toISOString() } });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.referral.kind, 'child_in_need');
    assert.equal(body.referral.method, 'telephone');
    assert.ok(body.warnings.length > 10, 'an empty analysis is warned about, not refused');
    assert.ok(body.warnings.some((w: { id: string; citationText: string }) => w.id === 'stay-involved' && /Seed 002/.test(w.citationText)));
    const id = body.referral.id as string;

    const phone = (await clocksOf(id)).find((k) => k.definition_id === 'telephone-referral-confirmation');
    assert.ok(phone, 'the 48-hour clock started');
    assert.equal(phone.due_at.getTime() - phone.started_at.getTime(), 48 * 3600_000);
    assert.equal(phone.started_at.getTime(), new Date(spokenAt.toISOString()).getTime(), 'from the time of the call');

    res = await dsl.json('POST', `/api/v1/referrals/${id}/written-confirmation`, {});
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(res.json().referral.writtenConfirmationSentAt);
    const stopped = (await clocksOf(id)).find((k) => k.definition_id === 'telephone-referral-confirmation')!;
    assert.ok(stopped.stopped_at);
    res = await dsl.json('POST', `/api/v1/referrals/${id}/written-confirmation`, {});
    assert.equal(res.statusCode, 400);

    res = await dsl.json('GET', `/api/v1/referrals/${id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().referral.content.childName, 'Jordan Reed');
    res = await frontDoor.json('GET', `/api/v1/referrals/${id}`);
    assert.equal(res.statusCode, 200, 'the receiving front door sees what was sent to it');

    // front door: acknowledge (once), decide (400 naming the field), feedback
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/acknowledge`, {});
    assert.equal(res.statusCode, 201);
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/acknowledge`, {});
    assert.equal(res.statusCode, 400);
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/decision`, { level: 'Level 2', outcome: 'maybe', rationale: 'r' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'outcome');
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'We disagree' });
    assert.equal(res.statusCode, 400, 'nothing to disagree with before a decision');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/decision`, { level: 'Level 2', outcome: 'early_help', rationale: 'Needs met by early help' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().referral.status, 'decided');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/feedback`, {});
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'text');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/close`, {});
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().referral.status, 'closed');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/close`, {});
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'status');

    // the referrer disagrees: escalation stage 1 due in 5 working days, then stage 2
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: '' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'reason');
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'The child discloses harm at home: early help is not enough.' });
    assert.equal(res.statusCode, 201, res.body);
    const e = res.json().escalation;
    assert.equal(e.stage, 1);
    assert.ok(e.dueAt);
    const escClock = (await clocksOf(e.id)).find((k) => k.definition_id === 'escalation-stage-response')!;
    assert.equal(escClock.stage, 1);
    assert.equal(new Date(e.dueAt).getTime(), escClock.due_at.getTime());
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'No response from the team manager.' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().escalation.stage, 2);
    const escClocks = await clocksOf(e.id);
    assert.deepEqual(escClocks.map((k) => [k.stage, !!k.stopped_at]), [[1, true], [2, false]]);
    const fdView = await frontDoor.get(`/front-door/referrals/${id}`);
    assert.match(fdView.body, /Stage 2: escalate to designated safeguarding leads/, 'the escalation is visible to the front door');
    for (const stage of [3, 4]) {
      res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: `Stage ${stage}` });
      assert.equal(res.json().escalation.stage, stage);
    }
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'Again' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /stage 4/);
    // the front door responds at the last stage and the disagreement is resolved: every escalation clock has stopped
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/escalations/responses`, { response: 'We will assess under section 47.' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'resolved');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/escalations/responses`, { response: 'We will assess under section 47.', resolved: true });
    assert.equal(res.statusCode, 201, res.body);
    const resolved = res.json().referral.escalations[0];
    assert.equal(resolved.resolved, true);
    assert.equal(resolved.responses[0].stage, 4);
    for (const k of await clocksOf(e.id)) assert.ok(k.stopped_at, `stage ${k.stage} clock stopped`);
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/escalations/responses`, { response: 'Again', resolved: true });
    assert.equal(res.statusCode, 400);
    const referrerNotes = (await t.db.query<{ kind: string }>(`SELECT kind FROM notifications WHERE user_id = $1 AND kind = 'referral.escalation-response'`, [s.dsl.id])).rows;
    assert.ok(referrerNotes.length > 0, 'the referrer is told of the response');
    const actions = await auditActions(id);
    for (const a of ['referral.send', 'referral.api-view', 'referral.written-confirmation', 'referral.acknowledge', 'referral.decide', 'referral.close', 'referral.escalate', 'referral.escalate-stage', 'referral.escalation-response']) assert.ok(actions.includes(a), a);
  });

  test('feedback needs a recorded decision; close and escalation look for the decision, not the status', async () => {
    const c = await createReferralCase(t.db, s);
    let res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().referral.id as string;

    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/feedback`, { text: 'We are looking at it' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'text');
    assert.match(res.json().message, /Record a decision on referral R-\d{6} before giving feedback/);

    // the page offers no feedback form before the decision; a post anyway is refused with the text kept
    let page = await frontDoor.get(`/front-door/referrals/${id}`);
    assert.doesNotMatch(page.body, new RegExp(`action="/front-door/referrals/${id}/feedback"`));
    assert.match(page.body, /Record the decision/);
    res = await frontDoor.post(`/front-door/referrals/${id}/feedback`, { text: 'Typed before the decision' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#text"/);
    assert.match(res.body, /before giving feedback/);
    assert.match(res.body, /Typed before the decision/);
    const { rows: [before] } = await t.db.query(`SELECT status, (SELECT count(*)::int FROM referral_updates WHERE referral_id = $1) AS updates FROM referrals WHERE id = $1`, [id]);
    assert.deepEqual(before, { status: 'sent', updates: 0 });

    // a status that says more than the updates do is not enough to close or to disagree
    await t.db.query(`UPDATE referrals SET status = 'feedback_given' WHERE id = $1`, [id]);
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/close`, {});
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'status');
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'We disagree' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'reason');
    assert.doesNotMatch((await dsl.get(`/referrals/${id}`)).body, new RegExp(`href="/referrals/${id}/escalate"`));
    await t.db.query(`UPDATE referrals SET status = 'sent' WHERE id = $1`, [id]);

    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/decision`, { level: 'Level 3', outcome: 'section_47', rationale: 'Injury with a disclosure' });
    assert.equal(res.statusCode, 201, res.body);
    page = await frontDoor.get(`/front-door/referrals/${id}`);
    assert.match(page.body, new RegExp(`action="/front-door/referrals/${id}/feedback"`));
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/feedback`, { text: 'A strategy discussion is being held today.' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().referral.status, 'feedback_given');
    res = await frontDoor.json('POST', `/api/v1/referrals/${id}/close`, {});
    assert.equal(res.statusCode, 201, res.body);
    res = await dsl.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'We disagree' });
    assert.equal(res.statusCode, 201, res.body);
  });

  test('a decision that is not a referral, and a restricted case, cannot be referred', async () => {
    const c = await createReferralCase(t.db, s);
    await t.db.query(`INSERT INTO decisions (concern_id, child_id, organisation_id, outcome, rationale, decided_by) VALUES ($1, $2, $3, 'monitor', 'Changed mind', $4)`, [c.concernId, c.childId, s.schoolId, s.dsl.id]);
    const res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' });
    assert.equal(res.statusCode, 409);
    const page = await dsl.get(`/concerns/${c.concernId}/referral`);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /not a referral/);
  });
});

describe('access', () => {
  test('another organisation, another front door and a practitioner are refused; nothing is recorded', async () => {
    const c = await createReferralCase(t.db, s);
    let res = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' });
    assert.equal(res.statusCode, 201);
    const id = res.json().referral.id as string;

    const otherOrg = (await createOrganisation(t.db, { name: 'Another school' })).organisationId;
    const otherDsl = new Client(t.app);
    await otherDsl.signIn(await createUser(t.db, 'dsl', { organisationId: otherOrg, enrolTotp: true }));
    assert.equal((await otherDsl.json('GET', `/api/v1/referrals/${id}`)).statusCode, 404);
    assert.equal((await otherDsl.get(`/referrals/${id}`)).statusCode, 404);
    assert.equal((await otherDsl.get(`/referrals/${id}.pdf`)).statusCode, 404);
    assert.equal((await otherDsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' })).statusCode, 404);
    assert.equal((await otherDsl.get(`/concerns/${c.concernId}/referral`)).statusCode, 404);

    const otherFrontDoorOrg = (await createOrganisation(t.db, { name: 'Zeta front door', type: 'front_door' })).organisationId;
    const otherFd = new Client(t.app);
    await otherFd.signIn(await createUser(t.db, 'front_door_manager', { organisationId: otherFrontDoorOrg, enrolTotp: true }));
    assert.equal((await otherFd.json('POST', `/api/v1/referrals/${id}/acknowledge`, {})).statusCode, 404);
    assert.equal((await otherFd.get(`/front-door/referrals/${id}`)).statusCode, 404);

    const practitioner = new Client(t.app);
    await practitioner.signIn(await createUser(t.db, 'practitioner', { organisationId: s.schoolId }));
    assert.equal((await practitioner.json('GET', `/api/v1/referrals/${id}`)).statusCode, 404);
    assert.equal((await practitioner.get(`/concerns/${c.concernId}/referral`)).statusCode, 403);

    // the front door cannot send, and the referrer cannot decide
    assert.equal((await frontDoor.json('POST', `/api/v1/referrals/${id}/escalations`, { reason: 'x' })).statusCode, 403);
    assert.equal((await dsl.json('POST', `/api/v1/referrals/${id}/decision`, { level: 'L', outcome: 'early_help', rationale: 'r' })).statusCode, 403);

    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM referral_updates WHERE referral_id = $1', [id]);
    assert.equal(rows[0].n, 0);

    // only a member of the public may ask for anonymity: the database refuses it for a professional's referral
    await assert.rejects(
      t.db.query(`INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, kind, method, content, anonymity_requested)
                  SELECT partnership_id, referring_organisation_id, receiving_organisation_id, child_id, kind, method, content, true FROM referrals WHERE id = $1`, [id]),
      /check constraint/);
    const publicContact = await t.db.query(`INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, kind, method, content, referrer_type, anonymity_requested)
      SELECT partnership_id, receiving_organisation_id, receiving_organisation_id, child_id, kind, 'online', content, 'public', true FROM referrals WHERE id = $1 RETURNING anonymity_requested`, [id]);
    assert.equal(publicContact.rows[0].anonymity_requested, true, 'a member of the public’s request for anonymity is recorded');
  });
});
