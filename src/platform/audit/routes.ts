// The auditor's view of the audit log: filter by person, action, record and date.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTransaction, type Db } from '../db/pool.ts';
import { auditContext } from '../http/context.ts';
import { zodFormErrors, noErrors } from '../http/forms.ts';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { listAudit, recordAudit } from './audit.ts';

const PAGE_SIZE = 50;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date in the format YYYY-MM-DD').refine((s) => isValidIsoDate(s), 'Enter a real date');
const filterSchema = z.object({
  user: z.string().trim().max(200).optional().transform((v) => v || undefined),
  action: z.string().trim().max(100).optional().transform((v) => v || undefined),
  recordType: z.string().trim().max(100).optional().transform((v) => v || undefined),
  recordId: z.string().trim().max(200).optional().transform((v) => v || undefined),
  from: z.union([isoDate, z.literal('')]).optional().transform((v) => v || undefined),
  to: z.union([isoDate, z.literal('')]).optional().transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1),
});

export function auditRoutes(app: FastifyInstance, db: Db) {
  app.get('/audit', { config: { access: 'audit:read' } }, async (req, reply) => {
    const raw = (req.query ?? {}) as Record<string, string>;
    const parsed = filterSchema.safeParse(raw);
    if (!parsed.success) {
      return reply.code(400).view('platform/audit/views/list.njk', { title: 'Audit log', values: raw, rows: [], errors: zodFormErrors(parsed.error) });
    }
    const f = parsed.data;
    let userId: string | undefined;
    if (f.user) {
      const u = await db.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [f.user]);
      userId = u.rows[0]?.id ?? '00000000-0000-0000-0000-000000000000';
    }
    const result = await withTransaction(db, async (tx) => {
      const list = await listAudit(tx, { ...f, userId, limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE });
      await recordAudit(tx, auditContext(req), { action: 'audit.list', details: { page: f.page, results: list.rows.length } });
      return list;
    });
    const query = new URLSearchParams(Object.entries(raw).filter(([k, v]) => k !== 'page' && v) as [string, string][]).toString();
    return reply.view('platform/audit/views/list.njk', {
      title: 'Audit log', values: raw, rows: result.rows, page: f.page, hasMore: result.hasMore, query, errors: noErrors(),
    });
  });
}
