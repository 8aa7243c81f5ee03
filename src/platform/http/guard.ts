// Every request passes here: security headers, the session, the route's declared access, and CSRF.
// A route without a declared access is refused at start-up, so nothing is reachable by accident.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../access/policy.ts';
import { SECOND_FACTOR_ROLES } from '../access/roles.ts';
import { loadSession, SESSION_COOKIE, timedOutSession } from '../auth/sessions.ts';
import { deleteDraft, loadDraft, saveDraft } from '../drafts/drafts.ts';
import type { Db } from '../db/pool.ts';
import { wantsJson, type RouteAccess } from './context.ts';

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access, for the access-matrix test and documentation. */
    routeCatalogue: RouteEntry[];
  }
}

export const PRE_SESSION_CSRF_COOKIE = 'continuum_csrf';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function secondFactorRequired(session: { role: string; totpEnrolled: boolean }): boolean {
  return SECOND_FACTOR_ROLES.has(session.role as never) || session.totpEnrolled;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

function submittedCsrf(req: FastifyRequest): string {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : '';
}

export function preSessionCsrf(req: FastifyRequest): string {
  return req.cookies[PRE_SESSION_CSRF_COOKIE] ?? '';
}

/** Posts that are not work to keep after a timeout: signing in or out, and the timeout dialog's own "stay signed in". */
function keepsWork(access: RouteAccess, routeUrl: string | undefined): boolean {
  return access !== 'public' && access !== 'signing-in' && routeUrl !== '/session/extend';
}

const SIGN_IN_NEEDED = { error: 'Unauthorized', message: 'Sign in to use this service' } as const;

function signInRedirect(req: FastifyRequest, reply: FastifyReply, reason?: string) {
  if (wantsJson(req)) return reply.code(401).send(SIGN_IN_NEEDED);
  const params = new URLSearchParams({ returnTo: req.url });
  if (reason) params.set(reason, '1');
  return reply.redirect(`/sign-in?${params.toString()}`, 303);
}

export function registerGuard(app: FastifyInstance, db: Db, opts: { idleMinutes: number; secureCookies: boolean }) {
  app.decorateRequest('session', null);
  app.decorateRequest('principal', null);
  app.decorateRequest('cspNonce', '');

  const catalogue: RouteEntry[] = [];
  app.decorate('routeCatalogue', catalogue);
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access`);
    }
    for (const method of [route.method].flat()) catalogue.push({ method: String(method), url: route.url, access: route.config.access });
  });

  app.addHook('onRequest', async (req, reply) => {
    // Only pages run scripts, so only they get a nonce; a JSON answer's policy allows no inline script at all.
    req.cspNonce = wantsJson(req) ? '' : randomBytes(16).toString('base64');
    reply.header(
      'content-security-policy',
      [
        "default-src 'self'",
        req.cspNonce ? `script-src 'self' 'nonce-${req.cspNonce}'` : "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (req.url.startsWith('/assets/') || req.url.startsWith('/static/')) return;
    // Pages that show records must not be kept by the browser or shared caches.
    reply.header('cache-control', 'no-store');

    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const access = req.routeOptions.config?.access;
      // Public pages show who is signed in but do not keep a session alive on their own.
      req.session = await loadSession(db, token, opts.idleMinutes, access !== undefined && access !== 'public');
      if (req.session && (req.session.secondFactorDone || !secondFactorRequired(req.session))) {
        req.principal = {
          userId: req.session.userId,
          role: req.session.role,
          organisationId: req.session.organisationId,
          partnershipId: req.session.partnershipId,
        };
      }
    }
    if (!req.session && !req.cookies[PRE_SESSION_CSRF_COOKIE]) {
      const value = randomBytes(24).toString('base64url');
      req.cookies[PRE_SESSION_CSRF_COOKIE] = value;
      reply.setCookie(PRE_SESSION_CSRF_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies });
    }
  });

  app.addHook('preHandler', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access) {
      // Only the not-found handler has no declared access (onRoute refuses any other such route).
      if (req.is404) return;
      return reply.code(403).send({ error: 'Forbidden' });
    }

    // The API promises 401 to anonymous callers whatever they send, so that comes before the CSRF check
    // (which would otherwise answer 403 to a form body or none). Pages are unaffected: they keep their
    // CSRF page and the timed-out-session draft saving below.
    if (!req.session && req.url.startsWith('/api/') && access !== 'public' && access !== 'signing-in') {
      return reply.code(401).send(SIGN_IN_NEEDED);
    }

    if (UNSAFE_METHODS.has(req.method)) {
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      const expected = req.session ? req.session.csrfToken : preSessionCsrf(req);
      // A JSON body cannot be sent cross-site without CORS, so anonymous JSON calls carry no CSRF risk.
      const exempt = !req.session && isJson;
      if (!exempt && !sameToken(submittedCsrf(req), expected)) {
        const token = req.cookies[SESSION_COOKIE];
        if (!req.session && token && !isJson) {
          // The session timed out while the user was typing: keep what they sent, then ask them to sign in.
          // Only for a session that had completed sign-in, and a form carrying that session's own token: a
          // password alone, or another site, must not be able to put a form in front of the user.
          const old = await timedOutSession(db, token);
          if (old && (old.secondFactorDone || !secondFactorRequired(old)) && sameToken(submittedCsrf(req), old.csrfToken)) {
            const { _csrf, ...fields } = (req.body ?? {}) as Record<string, unknown>;
            // One kept form a user: a sign-out or a "stay signed in" is never kept, and a form with no fields
            // (a button alone) only when nothing else is kept.
            const hasFields = Object.keys(fields).some((k) => !k.startsWith('_'));
            if (keepsWork(access, req.routeOptions.url) && (hasFields || !(await loadDraft(db, old.userId, 'resume')))) {
              await saveDraft(db, old.userId, 'resume', { action: req.url, fields });
              return signInRedirect(req, reply, 'timedOut');
            }
            if (wantsJson(req)) return reply.code(401).send(SIGN_IN_NEEDED);
            return reply.redirect('/sign-in?timedOut=1', 303);
          }
        }
        if (wantsJson(req)) return reply.code(403).send({ error: 'Forbidden', message: 'Missing or invalid CSRF token' });
        return reply.code(403).view('views/errors/csrf.njk', { title: 'Your form could not be sent' });
      }
    }

    if (access === 'public') return;
    if (!req.session) return signInRedirect(req, reply);
    if (access === 'signing-in') return;
    if (!req.principal) {
      if (wantsJson(req)) return reply.code(401).send({ error: 'Unauthorized', message: 'Complete the second factor to continue' });
      return reply.redirect(req.session.totpEnrolled ? '/sign-in/two-factor' : '/sign-in/set-up-two-factor', 303);
    }
    if (!can(req.principal, access)) {
      if (wantsJson(req)) return reply.code(403).send({ error: 'Forbidden', message: 'You do not have access to this' });
      return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
    }
    // The kept form is being sent from the resume page and will be handled now: offering it again at a later
    // sign-in would bring back old answers over newer ones.
    if (UNSAFE_METHODS.has(req.method) && (req.body as Record<string, unknown> | undefined)?._resumed === '1') {
      await deleteDraft(db, req.session.userId, 'resume');
    }
  });
}
