// Resume a form that was sent after the session timed out, and let scripts save drafts as the user types
// (each save merges its fields into the draft).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.ts';
import { zodApiError } from '../http/forms.ts';
import { deleteDraft, loadDraft, mergeDraft } from './drafts.ts';

const formKey = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,99}$/, 'must be letters, digits and : . _ -');
const draftBody = z.object({ data: z.record(z.string(), z.unknown()) });

/** Hidden inputs to re-send what the user typed, flattening repeated fields. */
function asHiddenFields(fields: Record<string, unknown>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ name, value: String(v) });
    }
  }
  return out;
}

export function draftRoutes(app: FastifyInstance, db: Db) {
  app.get('/resume', { config: { access: 'drafts:own' } }, async (req, reply) => {
    const draft = await loadDraft(db, req.session!.userId, 'resume');
    if (!draft) return reply.redirect('/', 303);
    const action = typeof draft.data.action === 'string' && draft.data.action.startsWith('/') ? draft.data.action : '/';
    return reply.view('platform/drafts/views/resume.njk', {
      title: 'Your work was kept',
      action,
      fields: asHiddenFields((draft.data.fields ?? {}) as Record<string, unknown>),
      savedAt: draft.updatedAt,
    });
  });

  app.post('/resume/discard', { config: { access: 'drafts:own' } }, async (req, reply) => {
    await deleteDraft(db, req.session!.userId, 'resume');
    return reply.redirect('/', 303);
  });

  app.get('/api/v1/drafts/:key', { config: { access: 'drafts:own' } }, async (req, reply) => {
    const key = formKey.safeParse((req.params as { key: string }).key);
    if (!key.success) return reply.code(400).send(zodApiError(key.error, 'key'));
    const draft = await loadDraft(db, req.session!.userId, key.data);
    if (!draft) return reply.code(404).send({ error: 'Not Found', message: 'No draft with that key' });
    return { key: key.data, data: draft.data, updatedAt: draft.updatedAt };
  });

  app.put('/api/v1/drafts/:key', { config: { access: 'drafts:own' } }, async (req, reply) => {
    const key = formKey.safeParse((req.params as { key: string }).key);
    if (!key.success) return reply.code(400).send(zodApiError(key.error, 'key'));
    const body = draftBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send(zodApiError(body.error));
    // Merged, not replaced: a page sends only its own fields, and another tab may have saved the others.
    await mergeDraft(db, req.session!.userId, key.data, body.data.data);
    return { key: key.data, saved: true };
  });
}
