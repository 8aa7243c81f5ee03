// HTTP helpers shared by the triage, decision and chronology routes: ids, refusals, the concern as shown.
import type { FastifyReply } from 'fastify';
import { childName, concernReference, type Refusal } from '../concerns/triage.ts';
import type { ConcernRow } from '../concerns/triage-store.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function refusePage(reply: FastifyReply, r: Refusal | { ok: false; reason: string }) {
  if (r.reason === 'forbidden') return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
  if (r.reason === 'no-framework') return reply.code(500).view('views/errors/500.njk', { title: 'Sorry, there is a problem with the service' });
  return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
}

export function refuseJson(reply: FastifyReply, r: { ok: false; reason: string }) {
  if (r.reason === 'forbidden') return reply.code(403).send({ error: 'Forbidden', message: 'You do not have access to this' });
  if (r.reason === 'no-framework') return reply.code(500).send({ error: 'Internal Server Error', message: 'The partnership has no threshold framework loaded' });
  return reply.code(404).send({ error: 'Not Found', message: 'No such resource' });
}

export function concernView(c: ConcernRow) {
  return {
    id: c.id, reference: concernReference(c.reference), childId: c.child_id, childName: childName(c), knownAs: c.child_known_as,
    status: c.status, submittedAt: c.submitted_at, raisedBy: c.raised_by_name, organisation: c.organisation_name,
    whatHappened: c.what_happened, childsWords: c.childs_words, occurredAt: c.occurred_at, occurredAtText: c.occurred_at_text,
    location: c.location, present: c.present, injuries: c.injuries, categories: c.categories.map((x) => x.replace(/[-_]/g, ' ')),
    immediateDanger: c.immediate_danger, called999: c.called_999, toldDslInPerson: c.told_dsl_in_person, restricted: c.restricted,
    dateOfBirth: c.child_date_of_birth, expectedDueDate: c.child_expected_due_date,
  };
}

