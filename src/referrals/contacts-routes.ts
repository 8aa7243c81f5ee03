// The front door records a contact from a member of the public: one question page (plain form),
// then a confirmation page; and the same as JSON. It names the child (or, by the API, gives the id of a child known
// to it); the likely matches among the children it knows (referred to it or contacted about) are offered back, so
// a second contact about a child joins the child's record instead of creating a duplicate.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ChildSearchResult } from '../people/search.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, type FormErrors } from '../platform/http/forms.ts';
import { errorResponse, type OpenApiPaths } from '../platform/http/openapi.ts';
import { CONTACT_CHANNEL_LABELS, CONTACT_CHANNELS, contactInputSchema, recordPublicContact, type ContactDocument } from './contacts.ts';
import { viewReferral } from './operations.ts';

const VIEWS = 'referrals/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

const FIELDS = ['callerName', 'callerPhone', 'relationship', 'anonymity', 'channel', 'childId', 'firstName', 'lastName', 'dob-day', 'dob-month', 'dob-year', 'dobUnknown', 'address', 'postcode', 'worries', 'immediateDanger'] as const;
/** The childId radio's answer for "none of these is the child". */
const NEW_CHILD = 'new';
type Values = Record<(typeof FIELDS)[number], string>;

/** zod paths → the id of the form field that shows the message */
const FIELD_OF: Record<string, string> = {
  'caller.name': 'callerName', 'caller.phone': 'callerPhone', 'caller.relationship': 'relationship', 'caller.anonymityRequested': 'anonymity',
  channel: 'channel', childId: 'childId', child: 'firstName', 'child.firstName': 'firstName', 'child.lastName': 'lastName', 'child.dateOfBirth': 'dob',
  'child.address': 'address', 'child.postcode': 'postcode', worries: 'worries', immediateDanger: 'immediateDanger',
};

const yesNo = (v: string) => (v === 'yes' ? true : v === 'no' ? false : undefined);
const opt = (v: string) => (v.trim() ? v : undefined);

function inputOf(v: Values): { input: unknown; dobError: string | null } {
  const newChild = (!v.childId || v.childId === NEW_CHILD) && (v.firstName.trim() || v.lastName.trim() || v['dob-day'] || v['dob-year'] || v.dobUnknown || v.address.trim() || v.postcode.trim());
  let dateOfBirth: string | undefined;
  let dobError: string | null = null;
  if (v.dobUnknown === 'yes') dateOfBirth = 'not-known';
  else if (v['dob-day'] || v['dob-month'] || v['dob-year']) {
    const iso = `${v['dob-year'].trim().padStart(4, '0')}-${v['dob-month'].trim().padStart(2, '0')}-${v['dob-day'].trim().padStart(2, '0')}`;
    if (isValidIsoDate(iso) && /^\d{4}$/.test(v['dob-year'].trim())) dateOfBirth = iso;
    else dobError = 'Date of birth must be a real date, for example 27 3 2015';
  }
  return {
    dobError,
    input: {
      caller: { name: opt(v.callerName), phone: opt(v.callerPhone), relationship: v.relationship, anonymityRequested: yesNo(v.anonymity) },
      channel: opt(v.channel),
      childId: v.childId === NEW_CHILD ? undefined : opt(v.childId),
      // Choosing "none of these" among the offered records is the confirmation that this is a different child.
      child: newChild ? { firstName: v.firstName, lastName: opt(v.lastName), dateOfBirth: dateOfBirth ?? (dobError ? '1900-01-01' : undefined), address: opt(v.address), postcode: opt(v.postcode), confirmNew: v.childId === NEW_CHILD } : undefined,
      worries: v.worries,
      immediateDanger: yesNo(v.immediateDanger),
    },
  };
}

function formErrors(error: z.ZodError | null, dobError: string | null): FormErrors {
  const errors = noErrors();
  if (dobError) addError(errors, 'dob', dobError);
  for (const i of error?.issues ?? []) {
    const key = i.path.join('.');
    const field = FIELD_OF[key] ?? FIELD_OF[String(i.path[0])] ?? 'form';
    if (field === 'dob' && dobError) continue;
    if (!errors.fields[field]) addError(errors, field, i.message);
  }
  return errors;
}

export function contactRoutes(app: FastifyInstance, db: Db) {
  const page = (req: FastifyRequest, reply: FastifyReply, values: Values, extra: { errors?: FormErrors; matches?: ChildSearchResult[] } = {}) =>
    reply.view(`${VIEWS}/contact-new.njk`, {
      title: 'Record a contact from a member of the public', values, errors: extra.errors ?? noErrors(), matches: extra.matches ?? [],
      channels: CONTACT_CHANNELS.map((c) => ({ value: c, text: CONTACT_CHANNEL_LABELS[c], checked: values.channel === c })),
    });

  const blank = (): Values => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Values;

  app.get('/front-door/contacts/new', { config: { access: 'referrals:receive' } }, (req, reply) => page(req, reply, blank()));

  app.post('/front-door/contacts/new', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(FIELDS.map((f) => [f, one(b[f])])) as Values;
    const { input, dobError } = inputOf(values);
    const parsed = contactInputSchema.safeParse(input);
    if (!parsed.success || dobError) return page(req, reply.code(400), values, { errors: formErrors(parsed.success ? null : parsed.error, dobError) });
    const res = await recordPublicContact(db, req.principal!, auditContext(req), parsed.data);
    if (!res.ok && res.reason === 'possible-matches') {
      return page(req, reply.code(400), values, {
        matches: res.matches,
        errors: addError(noErrors(), 'childId', 'The front door may already know this child: choose the child below, or confirm this is a different child'),
      });
    }
    if (!res.ok) return reply.code(res.reason === 'forbidden' ? 403 : 404).view(res.reason === 'forbidden' ? 'views/errors/403.njk' : 'views/errors/404.njk', { title: res.reason === 'forbidden' ? 'You do not have access to this page' : 'Page not found' });
    return reply.code(303).redirect(`/front-door/contacts/${res.contact.id}`);
  });

  app.get<{ Params: { id: string } }>('/front-door/contacts/:id', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    const notFound = () => reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
    if (!UUID.test(req.params.id)) return notFound();
    const res = await viewReferral(db, req.principal!, auditContext(req), req.params.id, 'referral.public-contact-view');
    if (!res.ok || res.view.referral.referrer_type !== 'public' || !res.view.mayRespond) return notFound();
    const content = res.view.referral.content as unknown as ContactDocument;
    return reply.view(`${VIEWS}/contact-recorded.njk`, {
      title: 'Contact recorded', id: req.params.id, reference: res.view.reference, childName: content.childName, childId: res.view.referral.child_id,
      caller: content.caller, channel: CONTACT_CHANNEL_LABELS[content.caller?.channel] ?? '', immediateDanger: content.concern.immediateDanger, worries: content.concern.whatHappened,
      anonymous: res.view.referral.anonymity_requested,
    });
  });

  app.post('/api/v1/front-door/contacts', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    const parsed = contactInputSchema.safeParse(req.body && typeof req.body === 'object' ? req.body : {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const res = await recordPublicContact(db, req.principal!, auditContext(req), parsed.data);
    if (!res.ok && res.reason === 'possible-matches') {
      return reply.code(409).send({ error: 'Conflict', field: 'child', message: 'child: the front door may already know this child; send childId, or child.confirmNew true', matches: res.matches });
    }
    if (!res.ok) return reply.code(res.reason === 'forbidden' ? 403 : 404).send({ error: res.reason === 'forbidden' ? 'Forbidden' : 'Not Found', message: 'You do not have access to this' });
    const c = res.contact;
    return reply.code(201).header('location', `/api/v1/referrals/${c.id}`).send({ contact: { id: c.id, reference: c.reference, childId: c.childId, referrerType: 'public', anonymityRequested: c.anonymityRequested, immediateDanger: c.immediateDanger } });
  });
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

export const contactsOpenApiPaths: OpenApiPaths = {
  '/api/v1/front-door/contacts': {
    post: {
      summary: 'The front door records a contact from a member of the public (by telephone or in person)',
      description: 'It lands in the front door’s inbox as a referral with referrerType "public" and starts the same front-door clocks as any contact. '
        + 'A member of the public may ask to remain anonymous; their details then stay with the front door and never appear in the chronology or the referral document.',
      requestBody: { required: true, ...json({
        type: 'object', required: ['caller', 'channel', 'worries', 'immediateDanger'], additionalProperties: false,
        properties: {
          caller: { type: 'object', required: ['relationship', 'anonymityRequested'], additionalProperties: false, properties: {
            name: { type: 'string', maxLength: 200 }, phone: { type: 'string', maxLength: 40 }, relationship: { type: 'string', maxLength: 200 }, anonymityRequested: { type: 'boolean' },
          } },
          channel: { enum: [...CONTACT_CHANNELS] },
          childId: { type: 'string', format: 'uuid', description: 'A child the front door already knows; or give child' },
          child: { type: 'object', required: ['firstName', 'dateOfBirth'], additionalProperties: false, properties: {
            firstName: { type: 'string', maxLength: 100 }, lastName: { type: 'string', maxLength: 100 },
            dateOfBirth: { type: 'string', description: 'YYYY-MM-DD, or "not-known"' }, address: { type: 'string', maxLength: 200 }, postcode: { type: 'string' },
            confirmNew: { type: 'boolean', description: 'The front door has seen the likely existing records and this is a different child' },
          } },
          worries: { type: 'string', maxLength: 5000 },
          immediateDanger: { type: 'boolean', description: 'If true, call 999 now' },
        },
      }) },
      responses: {
        201: { description: 'Recorded', ...json({ type: 'object', properties: { contact: { type: 'object', properties: {
          id: { type: 'string', format: 'uuid' }, reference: { type: 'string' }, childId: { type: 'string', format: 'uuid' }, referrerType: { const: 'public' },
          anonymityRequested: { type: 'boolean' }, immediateDanger: { type: 'boolean' } } } } }) },
        400: errorResponse('Bad input, naming the field'), 401: errorResponse('Not signed in'), 403: errorResponse('Not a front-door role'),
        404: errorResponse('No such child, or not one the front door knows'), 409: errorResponse('The front door may already know this child'),
      },
    },
  },
};
