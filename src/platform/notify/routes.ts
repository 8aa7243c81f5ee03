// The Notifications page, marking as read, the unread count in the navigation, and the JSON API.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.ts';
import { zodApiError } from '../http/forms.ts';
import { listNotifications, markRead, unreadCount } from './notify.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });
const NAV_LINK = /(href="\/notifications"[^>]*>\s*(?:<strong[^>]*>)?)Notifications(?=\s*<)/;
// Beyond this many unread, the navigation says "99+".
const NAV_COUNT_CAP = 99;

export function notificationRoutes(app: FastifyInstance, db: Db) {
  // Show how many are unread in the navigation of every signed-in page.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.principal || typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html') || !NAV_LINK.test(payload)) return payload;
    const n = await unreadCount(db, req.principal.userId, NAV_COUNT_CAP + 1);
    if (n === 0) return payload;
    return payload.replace(NAV_LINK, `$1Notifications (${n > NAV_COUNT_CAP ? `${NAV_COUNT_CAP}+` : n} unread)`);
  });

  app.get('/notifications', { config: { access: 'notifications:own' } }, async (req, reply) => {
    const items = await listNotifications(db, req.principal!.userId);
    return reply.view('platform/notify/views/notifications.njk', {
      title: 'Notifications', items, unread: items.filter((i) => !i.readAt).length, marked: (req.query as { marked?: string }).marked === '1',
    });
  });

  app.post('/notifications/:id/read', { config: { access: 'notifications:own' } }, async (req, reply) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) return reply.redirect('/notifications', 303);
    await markRead(db, req.principal!.userId, p.data.id);
    return reply.redirect('/notifications?marked=1', 303);
  });

  app.post('/notifications/read-all', { config: { access: 'notifications:own' } }, async (req, reply) => {
    await markRead(db, req.principal!.userId, null);
    return reply.redirect('/notifications?marked=1', 303);
  });

  app.get('/api/v1/notifications', { config: { access: 'notifications:own' } }, async (req) => {
    const items = await listNotifications(db, req.principal!.userId);
    return { unread: await unreadCount(db, req.principal!.userId), items };
  });

  app.post('/api/v1/notifications/:id/read', { config: { access: 'notifications:own' } }, async (req, reply) => {
    const p = idParam.safeParse(req.params);
    if (!p.success) return reply.code(400).send(zodApiError(p.error));
    const n = await markRead(db, req.principal!.userId, p.data.id);
    if (n === 0) return reply.code(404).send({ error: 'Not Found', message: 'No unread notification with that id' });
    return { id: p.data.id, read: true };
  });
}

const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, createdAt: { type: 'string', format: 'date-time' }, readAt: { type: ['string', 'null'], format: 'date-time' },
    kind: { type: 'string' }, text: { type: 'string' }, link: { type: ['string', 'null'] },
  },
};

export const notificationsOpenApiPaths = {
  '/api/v1/notifications': {
    get: {
      summary: 'Your notifications, newest first, with the unread count',
      responses: {
        200: { description: 'Notifications', content: { 'application/json': { schema: { type: 'object', properties: { unread: { type: 'integer' }, items: { type: 'array', items: notificationSchema } } } } } },
        401: { description: 'Not signed in' },
      },
    },
  },
  '/api/v1/notifications/{id}/read': {
    post: {
      summary: 'Mark one of your notifications as read',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { 200: { description: 'Marked as read' }, 400: { description: 'Bad id' }, 401: { description: 'Not signed in' }, 404: { description: 'No such unread notification of yours' } },
    },
  },
};
