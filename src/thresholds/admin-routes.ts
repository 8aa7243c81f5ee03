// A system administrator loads a new version of a partnership's threshold framework — no code change.
// Old versions stay readable; assessments name the version they used.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../platform/audit/audit.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, type FormErrors } from '../platform/http/forms.ts';
import { FrameworkVersionExistsError, storeFrameworkVersion, type FrameworkRegistry } from './registry.ts';
import { validateFrameworkText } from './validate.ts';

const MAX_FRAMEWORK_CHARS = 2_000_000;
// Not trimmed: the text is parsed as pasted, so line numbers in errors match it and indented YAML stays valid.
const loadForm = z.object({
  content: z
    .string()
    .max(MAX_FRAMEWORK_CHARS, 'The framework is too long: it must be under 2 MB')
    .refine((s) => s.trim() !== '', 'Paste the framework file (YAML or JSON)'),
});

export function frameworkAdminRoutes(app: FastifyInstance, db: Db, frameworks: FrameworkRegistry) {
  const page = async (errors: FormErrors, content = '', loaded?: string) => {
    const list = await frameworks.list();
    const versions = await Promise.all(list.map(async (f) => ({ ...f, versions: await frameworks.versions(f.id) })));
    return { title: 'Threshold frameworks', frameworks: versions, errors, content, loaded };
  };

  app.get('/admin/frameworks', { config: { access: 'frameworks:manage' } }, async (req, reply) => {
    const loaded = (req.query as Record<string, string | undefined>).loaded;
    return reply.view('thresholds/views/admin.njk', await page(noErrors(), '', loaded));
  });

  app.post('/admin/frameworks', { config: { access: 'frameworks:manage' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const content = typeof body.content === 'string' ? body.content : '';
    const parsed = loadForm.safeParse({ content });
    if (!parsed.success) {
      return reply.code(400).view('thresholds/views/admin.njk', await page(addError(noErrors(), 'content', parsed.error.issues[0]!.message), content));
    }
    const result = validateFrameworkText(parsed.data.content, 'pasted framework');
    if (!result.ok) {
      const errors = noErrors();
      // Every problem is listed, each with where it is, so the file can be corrected in one go.
      const messages = result.errors.slice(0, 20).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}${e.line ? ` (line ${e.line})` : ''}`);
      errors.fields.content = { text: `The framework has ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}` };
      for (const m of messages) errors.summary.push({ text: m, href: '#content' });
      return reply.code(400).view('thresholds/views/admin.njk', await page(errors, content));
    }
    const f = result.framework;
    try {
      const outcome = await withTransaction(db, async (tx) => {
        const stored = await storeFrameworkVersion(tx, f, { source: 'loaded by a system administrator', loadedBy: req.session!.userId });
        await recordAudit(tx, auditContext(req), {
          action: 'framework.load', recordType: 'framework', recordId: `${f.id}@${f.version}`, details: { outcome: stored },
        });
        return stored;
      });
      return reply.redirect(`/admin/frameworks?loaded=${encodeURIComponent(`${f.name} version ${f.version}${outcome === 'unchanged' ? ' (already loaded, unchanged)' : ''}`)}`, 303);
    } catch (error) {
      if (error instanceof FrameworkVersionExistsError) {
        return reply.code(400).view('thresholds/views/admin.njk', await page(addError(noErrors(), 'content', error.message), content));
      }
      throw error;
    }
  });
}
