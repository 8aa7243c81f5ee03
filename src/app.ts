// Build the Fastify app from its parts, in a visible order: plugins → guard → views → routes → errors.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { can, type Permission } from './platform/access/policy.ts';
import { ROLE_LABELS } from './platform/access/roles.ts';
import { auditRoutes } from './platform/audit/routes.ts';
import { concernRecordRoutes, concernsRecordOpenApiPaths } from './concerns/record-routes.ts';
import { notificationsOpenApiPaths } from './platform/notify/routes.ts';
import { triageOpenApiPaths, triageRoutes } from './concerns/triage-routes.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { calendarRoutes } from './platform/calendar/routes.ts';
import { clockRoutes, clocksOpenApiPaths } from './clocks/routes.ts';
import type { Db } from './platform/db/pool.ts';
import { draftRoutes } from './platform/drafts/routes.ts';
import { peopleOpenApiPaths, peopleRoutes } from './people/routes.ts';
import { sharingOpenApiPaths, sharingRoutes } from './sharing/routes.ts';
import { referralRoutes, referralsOpenApiPaths } from './referrals/routes.ts';
import { wantsJson } from './platform/http/context.ts';
import { preSessionCsrf, registerGuard } from './platform/http/guard.ts';
import { openApiRoutes } from './platform/http/openapi.ts';
import { registerTextCleaning } from './platform/http/text.ts';
import { createViews, GOVUK_DIST } from './platform/http/views.ts';
import { frameworkAdminRoutes } from './thresholds/admin-routes.ts';
import { createFrameworkRegistry } from './thresholds/registry.ts';
import { thresholdOpenApiPaths, thresholdRoutes } from './thresholds/routes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

declare module 'fastify' {
  interface FastifyReply {
    view(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

export interface AppOptions {
  config: Config;
  db: Db;
  logger?: FastifyServerOptions['logger'];
}

const NAVIGATION: { href: string; text: string; permission: Permission | 'public' }[] = [
  { href: '/', text: 'Home', permission: 'home:view' },
  { href: '/children', text: 'Children', permission: 'children:view' },
  { href: '/concerns', text: 'Concerns', permission: 'concerns:raise' },
  { href: '/triage', text: 'Triage', permission: 'concerns:triage' },
  { href: '/tasks', text: 'Tasks', permission: 'tasks:own' },
  { href: '/allegations', text: 'Allegations (LADO)', permission: 'allegations:view' },
  { href: '/clocks', text: 'Clocks', permission: 'clocks:view' },
  { href: '/notifications', text: 'Notifications', permission: 'notifications:own' },
  { href: '/thresholds', text: 'Thresholds of need', permission: 'public' },
  { href: '/sharing', text: 'Information sharing', permission: 'sharing:view-log' },
  { href: '/referrals', text: 'Referrals', permission: 'referrals:make' },
  { href: '/front-door/referrals', text: 'Referrals received', permission: 'referrals:receive' },
  { href: '/audit', text: 'Audit log', permission: 'audit:read' },
  { href: '/admin/frameworks', text: 'Frameworks', permission: 'frameworks:manage' },
  { href: '/account', text: 'Your account', permission: 'account:manage' },
];

/** Logs carry method, path and status — never query strings, bodies, cookies or names. */
export const logSerializers = {
  req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] ?? '' }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  err: (err: Error & { code?: string; statusCode?: number }) => ({
    type: err.constructor?.name ?? 'Error',
    code: err.code,
    statusCode: err.statusCode,
    message: err.statusCode && err.statusCode < 500 ? err.message : 'omitted',
    // The message of a database error can quote the values involved, so only the stack frames are logged.
    stack: (err.stack ?? '').split('\n').slice(1, 8).join('\n'),
  }),
};

export async function buildApp({ config, db, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, serializers: logSerializers },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  });
  await app.register(cookie);
  await app.register(formbody);
  registerTextCleaning(app);
  await app.register(fastifyStatic, { root: path.join(ROOT, 'public'), serve: false });

  const frameworks = createFrameworkRegistry(db);
  registerGuard(app, db, { idleMinutes: config.sessionIdleMinutes, secureCookies: config.secureCookies });

  const views = createViews();
  app.decorateReply('view', function view(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const req = this.request;
    const s = req.session;
    const html = views.render(template, {
      cspNonce: req.cspNonce,
      csrfToken: s ? s.csrfToken : preSessionCsrf(req),
      currentUser: s && req.principal ? { ...s, roleLabel: ROLE_LABELS[s.role] } : null,
      idleSeconds: s && req.principal ? Math.max(0, Math.floor((s.idleExpiresAt.getTime() - Date.now()) / 1000)) : null, // left, not the full timeout: public pages do not extend it
      navigation: NAVIGATION.filter((n) => (n.permission === 'public' ? true : can(req.principal, n.permission))).map((n) => ({
        href: n.href, text: n.text, active: n.href === '/' ? req.url === '/' : req.url.startsWith(n.href),
      })),
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  // Static files: GOV.UK Frontend's assets and Continuum's own, both public.
  const sendFrom = (root: string) => async (req: { params: unknown }, reply: FastifyReply) => {
    const file = (req.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=3600').sendFile(file, root);
  };
  app.get('/assets/govuk-frontend.min.css', { config: { access: 'public' } }, (_req, reply) => reply.sendFile('govuk/govuk-frontend.min.css', GOVUK_DIST));
  app.get('/assets/govuk-frontend.min.js', { config: { access: 'public' } }, (_req, reply) => reply.sendFile('govuk/govuk-frontend.min.js', GOVUK_DIST));
  app.get('/assets/*', { config: { access: 'public' } }, sendFrom(path.join(GOVUK_DIST, 'govuk/assets')));
  app.get('/static/*', { config: { access: 'public' } }, sendFrom(path.join(ROOT, 'public')));

  app.get('/health', { config: { access: 'public' } }, async () => {
    await db.query('SELECT 1');
    return { status: 'ok' };
  });

  app.get('/', { config: { access: 'home:view' } }, async (req, reply) => {
    const links = [
      { href: '/concerns/new', text: 'Record a concern', hint: 'Worried about a child? Write down what you saw and heard.', permission: 'concerns:raise' as const },
      { href: '/children', text: 'Find a child', hint: 'Search by name, date of birth, postcode or NHS number, or add a child.', permission: 'children:view' as const },
      { href: '/front-door/referrals', text: 'Referrals received', hint: 'Acknowledge, decide on and give feedback on referrals sent to your front door.', permission: 'referrals:receive' as const },
      { href: '/thresholds', text: 'Thresholds of need', hint: 'Look up the level of need and what to do.', permission: 'public' as const },
      { href: '/audit', text: 'Audit log', hint: 'Who read or changed what, and when.', permission: 'audit:read' as const },
      { href: '/account', text: 'Your account', hint: 'Your authenticator app and where you are signed in.', permission: 'account:manage' as const },
    ].filter((l) => l.permission === 'public' || can(req.principal, l.permission));
    return reply.view('views/home.njk', { title: 'Home', links });
  });
  app.get('/accessibility', { config: { access: 'public' } }, async (_req, reply) => reply.view('views/accessibility.njk', { title: 'Accessibility statement' }));

  authRoutes(app, db, { idleMinutes: config.sessionIdleMinutes, secureCookies: config.secureCookies });
  draftRoutes(app, db);
  auditRoutes(app, db);
  concernRecordRoutes(app, db, config);
  calendarRoutes(app);
  frameworkAdminRoutes(app, db, frameworks);
  thresholdRoutes(app, frameworks);
  peopleRoutes(app, db);
  triageRoutes(app, db, frameworks, { patterns: config.patterns, publicUrl: config.publicUrl });
  clockRoutes(app, db);
  sharingRoutes(app, db);
  referralRoutes(app, db);
  // Each domain's /api/v1 paths, documented in one OpenAPI document.
  openApiRoutes(app, [thresholdOpenApiPaths, peopleOpenApiPaths, concernsRecordOpenApiPaths, notificationsOpenApiPaths, triageOpenApiPaths, clocksOpenApiPaths, sharingOpenApiPaths, referralsOpenApiPaths]);

  app.setNotFoundHandler((req, reply) => {
    if (wantsJson(req)) return reply.code(404).send({ error: 'Not Found', message: 'No such resource' });
    return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: error }, 'request failed');
    if (wantsJson(req)) {
      return reply.code(status).send(status === 500
        ? { error: 'Internal Server Error', message: 'Something went wrong. Nothing was saved by this request.' }
        : { error: 'Bad Request', message: status === 413 ? 'The request is too large' : 'The request could not be read', field: null });
    }
    if (status === 500) return reply.code(500).view('views/errors/500.njk', { title: 'Sorry, there is a problem with the service' });
    return reply.code(status).view('views/errors/csrf.njk', { title: 'Your form could not be sent' });
  });

  return app;
}
