// Children's records over HTTP: search, add (after checking for likely existing records), view, edit, and the
// people around the child; the same operations under /api/v1. Routes parse, authorise, call and render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../platform/db/pool.ts';
import { clocksForChild } from '../clocks/case.ts';
import { can } from '../platform/access/policy.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, type FormErrors } from '../platform/http/forms.ts';
import {
  addZodErrors, childToForm, fieldAnchor, formValues, hiddenFields, readChildForm, readDateParts, str, type FormValues,
} from './forms.ts';
import {
  addHouseholdAdult, addOtherName, addProfessional, auditedSearch, createChild, linkSibling, updateChild, viewChild, type Actor, type ChildPage,
} from './operations.ts';
import { isUuid, type ChildSearchResult } from './search.ts';
import {
  childChangesSchema, FLAG_LABELS, householdAdultSchema, newChildSchema, otherNameSchema, professionalSchema,
  searchQuerySchema, SEN_LABELS, SEX_LABELS, siblingLinkFormSchema, siblingLinkSchema, STATUS_FLAGS,
} from './validation.ts';

const VIEWS = 'people/views';
type IdParams = { Params: { id: string } };

function actorOf(req: FastifyRequest): Actor {
  return { principal: req.principal!, audit: auditContext(req) };
}

/** What the pages offer: the front door sees the children it knows but does not edit them or raise concerns. */
const mayOf = (req: FastifyRequest) => ({
  edit: can(req.principal, 'children:edit'), raiseConcern: can(req.principal, 'concerns:raise'), chronology: can(req.principal, 'chronology:view'),
});

function notFound(reply: FastifyReply) {
  return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
}
const notFoundJson = (reply: FastifyReply) => reply.code(404).send({ error: 'Not Found', message: 'No such child, or you do not have access to their record' });

const displayName = (c: { firstName: string; lastName: string; knownAs?: string | null }) =>
  `${c.firstName} ${c.lastName}${c.knownAs && c.knownAs !== c.firstName ? ` (known as ${c.knownAs})` : ''}`;

/** Labels and options shared by the child's form templates. */
const FORM_OPTIONS = {
  sexes: Object.entries(SEX_LABELS).map(([value, text]) => ({ value, text })),
  senStatuses: Object.entries(SEN_LABELS).map(([value, text]) => ({ value, text })),
  flags: STATUS_FLAGS.map((value) => ({ value, text: FLAG_LABELS[value] })),
};

/** The child's page for the API, without which organisations know the child or its partnership (the HTML page shows neither). */
function apiChildPage(page: ChildPage) {
  const { organisationIds: _organisationIds, partnershipId: _partnershipId, ...child } = page.child;
  return { ...page, child };
}

function searchForm(raw: FormValues) {
  const errors = noErrors();
  const dob = readDateParts(raw, 'dateOfBirth');
  if (dob.error) addError(errors, 'dateOfBirth-day', dob.error);
  const candidate = { name: str(raw, 'name'), dateOfBirth: dob.value, postcode: str(raw, 'postcode'), nhsNumber: str(raw, 'nhsNumber') };
  const parsed = searchQuerySchema.safeParse(candidate);
  if (!parsed.success) addZodErrors(errors, parsed.error);
  const q = parsed.success ? parsed.data : null;
  const given = !!(q && (q.name || q.dateOfBirth || q.postcode || q.nhsNumber));
  return { errors, query: errors.summary.length ? null : q, given };
}

/**
 * Where the new-child form goes back to when it was opened from another form: only the concern form's own
 * pages, so a crafted link cannot send the user (and the new child's id) anywhere else.
 */
function safeReturnTo(value: unknown): string | null {
  return typeof value === 'string' && /^\/concerns\/new\/[A-Za-z0-9/_-]+(\?[A-Za-z0-9=&_-]*)?$/.test(value) && !value.includes('//')
    ? value : null;
}

/** The page to go back to, with this child chosen (and "change" kept, so choosing goes back to check your answers). */
function returnWithChild(returnTo: string, childId: string): string {
  const url = new URL(returnTo, 'http://localhost');
  const params = new URLSearchParams({ childId });
  if (url.searchParams.get('change') === '1') params.set('change', '1');
  return `${url.pathname}?${params.toString()}`;
}

export function peopleRoutes(app: FastifyInstance, db: Db) {
  // ---- pages ----

  app.get('/children', { config: { access: 'children:view' } }, async (req, reply) => {
    const raw = formValues(req.query);
    const searched = Object.values(raw).some((v) => String(v).trim() !== '');
    const { errors, query, given } = searchForm(raw);
    if (searched && !given && !errors.summary.length) addError(errors, 'name', 'Enter a name, date of birth, postcode or NHS number');
    let results: ChildSearchResult[] | null = null;
    if (query && given) results = await auditedSearch(db, actorOf(req), query);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/search.njk`, {
      title: results ? 'Search results – find a child' : 'Find a child', values: raw, errors, results, may: mayOf(req),
    });
  });

  app.get('/children/new', { config: { access: 'children:edit' } }, async (req, reply) => {
    const returnTo = safeReturnTo((req.query as { returnTo?: unknown }).returnTo);
    return reply.view(`${VIEWS}/new.njk`, { title: 'Add a child', values: { otherKind: 'alias' }, errors: noErrors(), returnTo, ...FORM_OPTIONS });
  });

  app.post('/children/new', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const returnTo = safeReturnTo(values.returnTo);
    const { input, errors } = readChildForm(values, true);
    const parsed = newChildSchema().safeParse(input);
    if (!parsed.success) addZodErrors(errors, parsed.error);
    if (!parsed.success || errors.summary.length) {
      return reply.code(400).view(`${VIEWS}/new.njk`, { title: 'Add a child', values, errors, returnTo, ...FORM_OPTIONS });
    }
    const result = await createChild(db, actorOf(req), parsed.data);
    if (!result.created) {
      return reply.view(`${VIEWS}/matches.njk`, {
        title: 'Is this a child you already have a record for?',
        // From the concern form, using an existing record chooses it there, as creating one would.
        matches: result.matches.map((m) => ({ ...m, useHref: returnTo ? returnWithChild(returnTo, m.id) : `/children/${m.id}` })),
        fields: hiddenFields(values, ['confirmNew', 'returnTo']), returnTo, newName: `${parsed.data.firstName} ${parsed.data.lastName}`,
      });
    }
    return reply.redirect(returnTo ? returnWithChild(returnTo, result.id) : `/children/${result.id}?created=1`, 303);
  });

  app.get<IdParams>('/children/:id', { config: { access: 'children:view' } }, async (req, reply) => {
    const page = await viewChild(db, actorOf(req), req.params.id);
    if (!page) return notFound(reply);
    const clocks = await clocksForChild(db, req.principal!, page.child.id);
    const flash = (req.query as Record<string, string>) ?? {};
    return reply.view(`${VIEWS}/show.njk`, {
      title: displayName(page.child), ...page, flash, clocks, may: mayOf(req),
      sexLabel: page.child.sex ? SEX_LABELS[page.child.sex as keyof typeof SEX_LABELS] : null,
      senLabel: page.child.senStatus ? SEN_LABELS[page.child.senStatus as keyof typeof SEN_LABELS] : null,
      flags: STATUS_FLAGS.filter((f) => page.child[f]).map((f) => FLAG_LABELS[f]),
      nhsNumber: page.child.nhsNumber?.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3') ?? null,
    });
  });

  app.get<IdParams>('/children/:id/edit', { config: { access: 'children:edit' } }, async (req, reply) => {
    const page = await viewChild(db, actorOf(req), req.params.id, 'child.view-for-edit');
    if (!page) return notFound(reply);
    return reply.view(`${VIEWS}/edit.njk`, {
      title: `Change ${page.child.firstName} ${page.child.lastName}’s details`, child: page.child, values: childToForm(page.child), errors: noErrors(), ...FORM_OPTIONS,
    });
  });

  app.post<IdParams>('/children/:id/edit', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const { input, errors } = readChildForm(values, false);
    const parsed = childChangesSchema().safeParse(input);
    if (!parsed.success) addZodErrors(errors, parsed.error);
    // updateChild also refuses a change that would leave the child with neither date (it knows the record).
    const result = parsed.success && !errors.summary.length ? await updateChild(db, actorOf(req), req.params.id, parsed.data) : undefined;
    if (result === null) return notFound(reply);
    if (result && 'field' in result) addError(errors, fieldAnchor(result.field.split('.')), result.message);
    if (!result || 'field' in result) {
      const page = await viewChild(db, actorOf(req), req.params.id, 'child.view-for-edit');
      if (!page) return notFound(reply);
      return reply.code(400).view(`${VIEWS}/edit.njk`, { title: `Change ${page.child.firstName} ${page.child.lastName}’s details`, child: page.child, values, errors, ...FORM_OPTIONS });
    }
    return reply.redirect(`/children/${req.params.id}?updated=${result.changed.length}`, 303);
  });

  const withChild = async (req: FastifyRequest<IdParams>, reply: FastifyReply, render: (page: NonNullable<Awaited<ReturnType<typeof viewChild>>>) => unknown) => {
    const page = await viewChild(db, actorOf(req), req.params.id, 'child.view-for-edit');
    if (!page) return notFound(reply);
    return render(page);
  };

  // Household: add an adult, or find another child's record and link it as a sibling.
  // `sibling`: a refused link's search and answers, so the results and what was typed come back with the error.
  const householdPage = async (req: FastifyRequest<IdParams>, reply: FastifyReply, values: FormValues, errors: FormErrors, status = 200, sibling?: FormValues) =>
    withChild(req, reply, async (page) => {
      const siblingName = str(sibling ?? formValues(req.query), 'siblingName').trim();
      const found = siblingName ? (await auditedSearch(db, actorOf(req), { name: siblingName, limit: 10 }, 'child.search'))
        .filter((r) => r.id !== page.child.id && !page.siblings.some((s) => s.childId === r.id)) : null;
      return reply.code(status).view(`${VIEWS}/household-new.njk`, {
        title: `Add someone to ${page.child.firstName} ${page.child.lastName}’s household`, child: page.child, values, errors, siblingName, found,
        siblingValues: sibling ?? {},
      });
    });

  app.get<IdParams>('/children/:id/household/new', { config: { access: 'children:edit' } }, async (req, reply) =>
    householdPage(req, reply, { livesWithChild: 'yes' }, noErrors()));

  app.post<IdParams>('/children/:id/household', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const errors = noErrors();
    const dob = readDateParts(values, 'personDateOfBirth');
    if (dob.error) addError(errors, 'personDateOfBirth-day', dob.error);
    const yn = (v: string) => (v === 'yes' ? true : v === 'no' ? false : undefined);
    const parsed = householdAdultSchema.safeParse({
      firstName: str(values, 'firstName'), lastName: str(values, 'lastName'), dateOfBirth: dob.value,
      relationship: str(values, 'relationship'), parentalResponsibility: yn(str(values, 'parentalResponsibility')),
      livesWithChild: yn(str(values, 'livesWithChild')), significantAdult: str(values, 'significantAdult') === 'yes',
      phone: str(values, 'phone'), address: str(values, 'address'), notes: str(values, 'notes'),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) addError(errors, issue.path[0] === 'dateOfBirth' ? 'personDateOfBirth-day' : String(issue.path[0]), issue.message);
    }
    if (!parsed.success || errors.summary.length) return householdPage(req, reply, values, errors, 400);
    const done = await addHouseholdAdult(db, actorOf(req), req.params.id, parsed.data);
    if (!done) return notFound(reply);
    return reply.redirect(`/children/${req.params.id}?added=household#household`, 303);
  });

  app.post<IdParams>('/children/:id/siblings', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const relatedChildId = str(values, 'relatedChildId');
    const yn = (v: string) => (v === 'yes' ? true : v === 'no' ? false : undefined);
    // The page asks whether they live with the child: nothing is assumed.
    const parsed = siblingLinkFormSchema.safeParse({
      relatedChildId, relationship: str(values, 'relationship'), livesWithChild: yn(str(values, 'livesWithChild')),
    });
    if (!parsed.success) {
      // Each found child has its own form, so a field's id carries the child's id.
      const errors = noErrors();
      for (const issue of parsed.error.issues) {
        const f = String(issue.path[0]);
        addError(errors, f === 'relatedChildId' || !isUuid(relatedChildId) ? 'siblingName' : `${f}-${relatedChildId}`, issue.message);
      }
      return householdPage(req, reply, {}, errors, 400, values);
    }
    const result = await linkSibling(db, actorOf(req), req.params.id, parsed.data);
    if (result === 'not-found') return notFound(reply);
    if (result !== 'linked') {
      const text = result === 'same-child' ? 'A child cannot be linked to their own record'
        : result === 'already-linked' ? 'These children are already linked' : 'Choose a child whose record you can see';
      return householdPage(req, reply, {}, addError(noErrors(), 'siblingName', text), 400, values);
    }
    return reply.redirect(`/children/${req.params.id}?added=sibling#household`, 303);
  });

  app.get<IdParams>('/children/:id/professionals/new', { config: { access: 'children:edit' } }, async (req, reply) =>
    withChild(req, reply, (page) => reply.view(`${VIEWS}/professional-new.njk`, {
      title: `Add a professional working with ${page.child.firstName} ${page.child.lastName}`, child: page.child, values: {}, errors: noErrors(),
    })));

  app.post<IdParams>('/children/:id/professionals', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const parsed = professionalSchema.safeParse({
      name: str(values, 'name'), role: str(values, 'role'), organisation: str(values, 'organisation'), phone: str(values, 'phone'), email: str(values, 'email'),
    });
    if (!parsed.success) {
      return withChild(req, reply, (page) => reply.code(400).view(`${VIEWS}/professional-new.njk`, {
        title: `Add a professional working with ${page.child.firstName} ${page.child.lastName}`, child: page.child, values, errors: addZodErrors(noErrors(), parsed.error),
      }));
    }
    if (!(await addProfessional(db, actorOf(req), req.params.id, parsed.data))) return notFound(reply);
    return reply.redirect(`/children/${req.params.id}?added=professional#professionals`, 303);
  });

  app.get<IdParams>('/children/:id/names/new', { config: { access: 'children:edit' } }, async (req, reply) =>
    withChild(req, reply, (page) => reply.view(`${VIEWS}/name-new.njk`, {
      title: `Add another name for ${page.child.firstName} ${page.child.lastName}`, child: page.child, values: { kind: 'alias' }, errors: noErrors(),
    })));

  app.post<IdParams>('/children/:id/names', { config: { access: 'children:edit' } }, async (req, reply) => {
    const values = formValues(req.body);
    const parsed = otherNameSchema.safeParse({ kind: str(values, 'kind'), firstName: str(values, 'firstName'), lastName: str(values, 'lastName') });
    if (!parsed.success) {
      return withChild(req, reply, (page) => reply.code(400).view(`${VIEWS}/name-new.njk`, {
        title: `Add another name for ${page.child.firstName} ${page.child.lastName}`, child: page.child, values, errors: addZodErrors(noErrors(), parsed.error),
      }));
    }
    if (!(await addOtherName(db, actorOf(req), req.params.id, parsed.data))) return notFound(reply);
    return reply.redirect(`/children/${req.params.id}?added=name#names`, 303);
  });

  // ---- API ----

  app.get('/api/v1/children', { config: { access: 'children:view' } }, async (req, reply) => {
    const parsed = searchQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const q = parsed.data;
    if (!q.name && !q.dateOfBirth && !q.postcode && !q.nhsNumber) {
      return reply.code(400).send({ error: 'Bad Request', field: 'name', message: 'name: give a name, dateOfBirth, postcode or nhsNumber to search by' });
    }
    return { results: await auditedSearch(db, actorOf(req), q) };
  });

  app.post('/api/v1/children', { config: { access: 'children:edit' } }, async (req, reply) => {
    const parsed = newChildSchema().safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const result = await createChild(db, actorOf(req), parsed.data);
    if (!result.created) {
      return reply.code(409).send({
        error: 'Conflict', message: 'Likely existing records found: use one of them, or send again with confirmNew: true', matches: result.matches,
      });
    }
    const page = await viewChild(db, actorOf(req), result.id);
    return reply.code(201).header('location', `/api/v1/children/${result.id}`).send(page && apiChildPage(page));
  });

  app.get<IdParams>('/api/v1/children/:id', { config: { access: 'children:view' } }, async (req, reply) => {
    const page = await viewChild(db, actorOf(req), req.params.id);
    return page ? apiChildPage(page) : notFoundJson(reply);
  });

  app.patch<IdParams>('/api/v1/children/:id', { config: { access: 'children:edit' } }, async (req, reply) => {
    if (!isUuid(req.params.id)) return notFoundJson(reply);
    const parsed = childChangesSchema().safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const result = await updateChild(db, actorOf(req), req.params.id, parsed.data);
    if (!result) return notFoundJson(reply);
    if ('field' in result) return reply.code(400).send({ error: 'Bad Request', field: result.field, message: `${result.field}: ${result.message}` });
    const page = await viewChild(db, actorOf(req), req.params.id);
    return { changed: result.changed, ...(page && apiChildPage(page)) };
  });

  app.post<IdParams>('/api/v1/children/:id/household', { config: { access: 'children:edit' } }, async (req, reply) => {
    if (!isUuid(req.params.id)) return notFoundJson(reply);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body && typeof body === 'object' && 'relatedChildId' in body) {
      const parsed = siblingLinkSchema.safeParse(body);
      if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
      const result = await linkSibling(db, actorOf(req), req.params.id, parsed.data);
      if (result === 'not-found') return notFoundJson(reply);
      if (result !== 'linked') {
        return reply.code(result === 'already-linked' ? 409 : 400).send({
          error: result === 'already-linked' ? 'Conflict' : 'Bad Request', field: 'relatedChildId',
          message: `relatedChildId: ${result === 'same-child' ? 'a child cannot be linked to their own record' : result === 'already-linked' ? 'these children are already linked' : 'no such child, or you cannot see their record'}`,
        });
      }
      return reply.code(201).send({ linked: true, relatedChildId: parsed.data.relatedChildId });
    }
    const parsed = householdAdultSchema.safeParse(body);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const done = await addHouseholdAdult(db, actorOf(req), req.params.id, parsed.data);
    if (!done) return notFoundJson(reply);
    return reply.code(201).send(done);
  });

  app.post<IdParams>('/api/v1/children/:id/professionals', { config: { access: 'children:edit' } }, async (req, reply) => {
    if (!isUuid(req.params.id)) return notFoundJson(reply);
    const parsed = professionalSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    if (!(await addProfessional(db, actorOf(req), req.params.id, parsed.data))) return notFoundJson(reply);
    return reply.code(201).send({ added: true });
  });
}

// ---- OpenAPI 3.1 fragment ----

const jsonBody = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });
const jsonResponse = (description: string, schema?: unknown) => ({ description, ...(schema ? { content: { 'application/json': { schema } } } : {}) });
const problem = { type: 'object', properties: { error: { type: 'string' }, field: { type: ['string', 'null'] }, message: { type: 'string' } } };
const STD = {
  400: jsonResponse('Invalid input; `field` names the first field at fault (e.g. `nhsNumber` with a failing check digit)', problem),
  401: jsonResponse('Not signed in', problem),
  403: jsonResponse('Signed in without this permission, or missing x-csrf-token', problem),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const notVisible = jsonResponse('No such child, or the record is not visible to your organisation', problem);
const text = { type: ['string', 'null'] };
const date = { type: ['string', 'null'], format: 'date' };
const addressInput = {
  type: ['object', 'null'], required: ['line1'],
  properties: { line1: { type: 'string' }, line2: text, town: text, postcode: { type: ['string', 'null'], description: 'UK postcode, normalised to e.g. "ME4 4TR"' }, fromDate: { ...date, description: 'today or earlier; on PATCH not before the current address’s fromDate' } },
};
const childFields = {
  firstName: { type: 'string' }, middleNames: text, lastName: { type: 'string' }, knownAs: text,
  dateOfBirth: date, expectedDueDate: { ...date, description: 'for an unborn child, instead of dateOfBirth' },
  sex: { type: ['string', 'null'], enum: ['female', 'male', 'not_known', 'not_stated', null] }, gender: text, ethnicity: text,
  firstLanguage: text, religion: text, interpreterNeeded: { type: 'boolean' }, communicationNeeds: text,
  senStatus: { type: ['string', 'null'], enum: ['none', 'sen_support', 'ehcp', 'not_known', null] }, disability: text, schoolOrSetting: text,
  nhsNumber: { type: ['string', 'null'], description: '10 digits with a valid modulus 11 check digit; spaces and hyphens allowed' },
  upn: { type: ['string', 'null'], description: 'unique pupil number: check letter then 12 characters (DfE specification)' },
  ...Object.fromEntries(STATUS_FLAGS.map((f) => [f, { type: 'boolean' }])),
  address: { ...addressInput, description: 'the current address; on PATCH a new address, the previous one is kept in the history' },
};

/** Schemas written out in full: the assembled document has no shared components beyond Error. */
const schemas = {
  NewChild: {
    type: 'object', required: ['firstName', 'lastName'],
    description: 'Give either a date of birth or, for an unborn child, an expected due date: one is required, not both',
    oneOf: [
      { required: ['dateOfBirth'], properties: { dateOfBirth: { type: 'string' }, expectedDueDate: { type: 'null' } } },
      { required: ['expectedDueDate'], properties: { expectedDueDate: { type: 'string' }, dateOfBirth: { type: 'null' } } },
    ],
    properties: {
      ...childFields,
      otherNames: { type: 'array', items: { type: 'object', properties: { kind: { enum: ['alias', 'previous'] }, firstName: { type: 'string' }, lastName: { type: 'string' } } } },
      confirmNew: { type: 'boolean', description: 'true when likely existing records have been seen and this is a different child' },
    },
  },
  ChildChanges: { type: 'object', additionalProperties: false, properties: childFields },
  ChildSearchResult: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' }, firstName: { type: 'string' }, lastName: { type: 'string' }, knownAs: text,
      dateOfBirth: date, expectedDueDate: date, postcode: text, score: { type: 'integer', minimum: 0, maximum: 100 },
    },
  },
  ChildPage: {
    type: 'object', description: 'the record, household members, siblings (names only where visible) and professionals',
    properties: {
      child: {
        type: 'object', description: 'the child’s record; which other organisations know the child is not shown',
        properties: {
          id: { type: 'string', format: 'uuid' }, ...Object.fromEntries(Object.entries(childFields).filter(([k]) => k !== 'address')),
          names: { type: 'array', items: { type: 'object' } }, addresses: { type: 'array', items: { type: 'object' } },
          createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      household: { type: 'array', items: { type: 'object', properties: {
        memberId: { type: 'integer' }, personId: { type: 'string', format: 'uuid' }, firstName: { type: 'string' }, lastName: { type: 'string' },
        dateOfBirth: date, phone: text, address: text, notes: text, relationship: { type: 'string' },
        parentalResponsibility: { type: 'boolean' }, livesWithChild: { type: 'boolean' }, significantAdult: { type: 'boolean' },
      } } }, siblings: { type: 'array', items: { type: 'object' } }, professionals: { type: 'array', items: { type: 'object' } } },
  },
};

const ref = (name: keyof typeof schemas) => schemas[name];

export const peopleOpenApiPaths = {
  '/api/v1/children': {
    get: {
      summary: 'Find children your organisation knows, by name (tolerant of misspellings, variants, hyphens and order), date of birth, postcode (full, its outward code like "ME4", or outward code and sector like "ME4 4") or NHS number',
      parameters: ['name', 'dateOfBirth', 'postcode', 'nhsNumber', 'limit'].map((name) => ({ name, in: 'query', required: false, schema: name === 'limit' ? { type: 'integer', minimum: 1, maximum: 100 } : name === 'dateOfBirth' ? { type: 'string', format: 'date', description: 'from 1900-01-01 to a year ahead (a date ahead finds an unborn child by expected due date)' } : { type: 'string' } })),
      responses: { 200: jsonResponse('Matches, best first', { type: 'object', properties: { results: { type: 'array', items: ref('ChildSearchResult') } } }), ...STD },
    },
    post: {
      summary: 'Create a child’s record, known to your organisation',
      requestBody: jsonBody(ref('NewChild')),
      responses: {
        201: jsonResponse('Created', ref('ChildPage')),
        409: jsonResponse('Likely existing records; send again with confirmNew: true if this is a different child', { type: 'object', properties: { matches: { type: 'array', items: ref('ChildSearchResult') } } }),
        ...STD,
      },
    },
  },
  '/api/v1/children/{id}': {
    get: { summary: 'A child’s record, household and professionals (audited)', parameters: [idParam], responses: { 200: jsonResponse('The record', ref('ChildPage')), 404: notVisible, ...STD } },
    patch: {
      summary: 'Change a child’s record; the chronology records which fields changed',
      parameters: [idParam], requestBody: jsonBody(ref('ChildChanges')),
      responses: { 200: jsonResponse('Changed', ref('ChildPage')), 404: notVisible, ...STD },
    },
  },
  '/api/v1/children/{id}/household': {
    post: {
      summary: 'Add a household member or significant adult, or link another child’s record as a sibling (with relatedChildId)',
      parameters: [idParam],
      requestBody: jsonBody({
        oneOf: [
          { type: 'object', required: ['firstName', 'lastName', 'relationship', 'parentalResponsibility', 'livesWithChild'], properties: {
            firstName: { type: 'string' }, lastName: { type: 'string' }, dateOfBirth: { ...date, description: 'today or earlier, within the last 120 years' }, relationship: { type: 'string' },
            parentalResponsibility: { type: 'boolean' }, livesWithChild: { type: 'boolean' }, significantAdult: { type: 'boolean' },
            phone: text, address: text, notes: text } },
          { type: 'object', required: ['relatedChildId'], properties: { relatedChildId: { type: 'string', format: 'uuid' }, relationship: { type: 'string' }, livesWithChild: { type: 'boolean' } } },
        ],
      }),
      responses: { 201: jsonResponse('Added or linked'), 404: notVisible, 409: jsonResponse('Already linked', problem), ...STD },
    },
  },
  '/api/v1/children/{id}/professionals': {
    post: {
      summary: 'Add a professional involved with the child', parameters: [idParam],
      requestBody: jsonBody({ type: 'object', required: ['name', 'role'], properties: { name: { type: 'string' }, role: { type: 'string' }, organisation: text, phone: text, email: text } }),
      responses: { 201: jsonResponse('Added'), 404: notVisible, ...STD },
    },
  },
};
