// Sign-in with email and password, then the second factor (enrol by QR code, or a code or recovery code),
// session extension, sign-out and the user's own account page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLE_LABELS } from '../access/roles.ts';
import { recordAudit } from '../audit/audit.ts';
import { withTransaction, type Db } from '../db/pool.ts';
import { loadDraft } from '../drafts/drafts.ts';
import { auditContext, wantsJson } from '../http/context.ts';
import { addError, noErrors, zodFormErrors } from '../http/forms.ts';
import { secondFactorRequired } from '../http/guard.ts';
import {
  acceptTotp, checkTotp, clearSignInFailures, newRecoveryCodes, newTotpSecret, remainingRecoveryCodes,
  startSignInAttempt, storeRecoveryCodes, totpEnrolment, useRecoveryCode, verifyPassword, withdrawSignInAttempt,
} from './credentials.ts';
import {
  completeSecondFactor, createSession, listUserSessions, revokeSession, revokeUserSessions, SESSION_COOKIE,
} from './sessions.ts';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').email('Enter an email address in the correct format, like name@example.org'),
  password: z.string().min(1, 'Enter your password'),
});
const codeForm = z.object({ code: z.string().trim().min(1, 'Enter the 6-digit code from your authenticator app') });

/**
 * Only local paths, so a crafted link cannot send someone to another site after sign-in; and printable ASCII
 * only, as anything else cannot go in a Location header.
 */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(value) && !value.startsWith('/sign-in') ? value : '/';
}

export function authRoutes(app: FastifyInstance, db: Db, opts: { idleMinutes: number; secureCookies: boolean }) {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, secure: opts.secureCookies, sameSite: 'lax' });

  const afterSignIn = async (req: FastifyRequest, reply: FastifyReply, userId: string, returnTo: string) => {
    const resume = await loadDraft(db, userId, 'resume');
    return reply.redirect(resume ? '/resume' : returnTo, 303);
  };

  const renderSignIn = (reply: FastifyReply, req: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const q = req.query as Record<string, string | undefined>;
    return reply.view('platform/auth/views/sign-in.njk', {
      title: 'Sign in to Continuum',
      returnTo: safeReturnTo(q.returnTo),
      timedOut: q.timedOut === '1',
      signedOut: q.signedOut === '1',
      values: {},
      errors: noErrors(),
      ...extra,
    });
  };

  app.get('/sign-in', { config: { access: 'public' } }, async (req, reply) => {
    if (req.principal) return reply.redirect('/', 303);
    return renderSignIn(reply, req);
  });

  app.post('/sign-in', { config: { access: 'public' } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const values = { email: typeof body.email === 'string' ? body.email : '' };
    const parsed = signInForm.safeParse(body);
    if (!parsed.success) return reply.code(400).view('platform/auth/views/sign-in.njk', { title: 'Sign in to Continuum', returnTo, values, errors: zodFormErrors(parsed.error) });

    const emailLower = parsed.data.email.toLowerCase();
    const throttle = await startSignInAttempt(db, emailLower, req.ip);
    if (throttle.locked) {
      const errors = addError(noErrors(), 'email',
        `You have tried to sign in too many times. Wait ${throttle.retryAfterMinutes} minute${throttle.retryAfterMinutes === 1 ? '' : 's'} and try again, or ask your administrator to help.`);
      await withTransaction(db, (tx) => recordAudit(tx, auditContext(req), { action: 'auth.sign-in.locked-out' }));
      return reply.code(429).view('platform/auth/views/sign-in.njk', { title: 'Sign in to Continuum', returnTo, values, errors });
    }

    const { rows } = await db.query<{ id: string; password_hash: string; role: string; organisation_id: string; totp_enrolled: boolean }>(
      `SELECT id, password_hash, role, organisation_id, totp_enrolled_at IS NOT NULL AS totp_enrolled
         FROM users WHERE lower(email) = $1 AND active`,
      [emailLower],
    );
    const user = rows[0];
    const ok = await verifyPassword(user?.password_hash ?? null, parsed.data.password);
    if (!user || !ok) {
      // The attempt was already counted as a failure.
      await withTransaction(db, (tx) =>
        recordAudit(tx, { ...auditContext(req), userId: user?.id ?? null, role: user?.role ?? null, organisationId: user?.organisation_id ?? null },
          { action: 'auth.sign-in.failed' }));
      const errors = addError(noErrors(), 'email', 'The email address or password is not right. Check them and try again.');
      return reply.code(401).view('platform/auth/views/sign-in.njk', { title: 'Sign in to Continuum', returnTo, values, errors });
    }

    const needsSecondFactor = secondFactorRequired({ role: user.role, totpEnrolled: user.totp_enrolled });
    const token = await withTransaction(db, async (tx) => {
      // Earlier failures stand until the second factor is done too, so re-entering the password cannot reset its limit.
      if (needsSecondFactor) await withdrawSignInAttempt(tx, throttle.attemptId!);
      else await clearSignInFailures(tx, emailLower);
      const t = await createSession(tx, user.id, { ip: req.ip, idleMinutes: opts.idleMinutes, secondFactorDone: !needsSecondFactor });
      await recordAudit(tx, { ...auditContext(req), userId: user.id, role: user.role, organisationId: user.organisation_id },
        { action: needsSecondFactor ? 'auth.password.accepted' : 'auth.sign-in' });
      return t;
    });
    setSessionCookie(reply, token);
    if (!needsSecondFactor) return afterSignIn(req, reply, user.id, returnTo);
    const next = user.totp_enrolled ? '/sign-in/two-factor' : '/sign-in/set-up-two-factor';
    return reply.redirect(`${next}?returnTo=${encodeURIComponent(returnTo)}`, 303);
  });

  // ---- second factor: enter a code ----
  app.get('/sign-in/two-factor', { config: { access: 'signing-in' } }, async (req, reply) => {
    const s = req.session!;
    if (req.principal) return reply.redirect('/', 303);
    if (!s.totpEnrolled) return reply.redirect('/sign-in/set-up-two-factor', 303);
    return reply.view('platform/auth/views/two-factor.njk', {
      title: 'Enter your security code', returnTo: safeReturnTo((req.query as Record<string, string>).returnTo), errors: noErrors(),
    });
  });

  app.post('/sign-in/two-factor', { config: { access: 'signing-in' } }, async (req, reply) => {
    const s = req.session!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const view = (errors: ReturnType<typeof noErrors>, code: number) =>
      reply.code(code).view('platform/auth/views/two-factor.njk', { title: 'Enter your security code', returnTo, errors });
    if (req.principal) return reply.redirect(returnTo, 303);
    const parsed = codeForm.safeParse(body);
    if (!parsed.success) return view(zodFormErrors(parsed.error), 400);

    const emailLower = s.email.toLowerCase();
    const throttle = await startSignInAttempt(db, emailLower, req.ip);
    if (throttle.locked) {
      return view(addError(noErrors(), 'code', `You have entered too many wrong codes. Wait ${throttle.retryAfterMinutes} minutes and try again.`), 429);
    }
    const { rows } = await db.query<{ totp_secret: string }>('SELECT totp_secret FROM users WHERE id = $1', [s.userId]);
    const secret = rows[0]?.totp_secret;
    const code = parsed.data.code;
    const isRecovery = /[a-z]/i.test(code);
    const ok = secret ? (isRecovery ? await useRecoveryCode(db, s.userId, code) : await acceptTotp(db, s.userId, secret, code)) : false;
    if (!ok) {
      // The attempt was already counted as a failure.
      await withTransaction(db, (tx) => recordAudit(tx, auditContext(req), { action: 'auth.second-factor.failed' }));
      return view(addError(noErrors(), 'code', 'The code is not right or has already been used. Enter the latest code from your authenticator app, or a recovery code.'), 401);
    }
    const token = await withTransaction(db, async (tx) => {
      await clearSignInFailures(tx, emailLower);
      await recordAudit(tx, auditContext(req), { action: 'auth.sign-in', details: { secondFactor: isRecovery ? 'recovery-code' : 'totp' } });
      return completeSecondFactor(tx, s.sessionId);
    });
    setSessionCookie(reply, token);
    return afterSignIn(req, reply, s.userId, returnTo);
  });

  // ---- second factor: enrolment ----
  app.get('/sign-in/set-up-two-factor', { config: { access: 'signing-in' } }, async (req, reply) => {
    const s = req.session!;
    if (s.totpEnrolled) return reply.redirect(req.principal ? '/account' : '/sign-in/two-factor', 303);
    let secret = s.pendingTotpSecret;
    if (!secret) {
      secret = newTotpSecret();
      await db.query('UPDATE sessions SET pending_totp_secret = $2 WHERE id = $1', [s.sessionId, secret]);
    }
    return reply.view('platform/auth/views/set-up-two-factor.njk', {
      title: 'Set up your authenticator app', enrolment: await totpEnrolment(secret, s.email),
      returnTo: safeReturnTo((req.query as Record<string, string>).returnTo), errors: noErrors(),
    });
  });

  app.post('/sign-in/set-up-two-factor', { config: { access: 'signing-in' } }, async (req, reply) => {
    const s = req.session!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    if (s.totpEnrolled) return reply.redirect('/', 303);
    const secret = s.pendingTotpSecret;
    if (!secret) return reply.redirect('/sign-in/set-up-two-factor', 303);
    const parsed = codeForm.safeParse(body);
    const step = parsed.success ? checkTotp(secret, parsed.data.code) : null;
    if (step === null) {
      const errors = parsed.success ? addError(noErrors(), 'code', 'The code is not right. Enter the 6-digit code your authenticator app shows now.') : zodFormErrors(parsed.error);
      return reply.code(400).view('platform/auth/views/set-up-two-factor.njk', {
        title: 'Set up your authenticator app', enrolment: await totpEnrolment(secret, s.email), returnTo, errors,
      });
    }
    const codes = newRecoveryCodes();
    const token = await withTransaction(db, async (tx) => {
      await tx.query('UPDATE users SET totp_secret = $2, totp_enrolled_at = now(), totp_last_step = $3 WHERE id = $1', [s.userId, secret, step]);
      await storeRecoveryCodes(tx, s.userId, codes);
      await recordAudit(tx, auditContext(req), { action: 'auth.second-factor.enrolled' });
      await recordAudit(tx, auditContext(req), { action: 'auth.sign-in', details: { secondFactor: 'totp' } });
      return completeSecondFactor(tx, s.sessionId);
    });
    setSessionCookie(reply, token);
    return reply.view('platform/auth/views/recovery-codes.njk', { title: 'Save your recovery codes', codes, returnTo });
  });

  // ---- session ----
  app.post('/session/extend', { config: { access: 'home:view' } }, async (req, reply) => {
    // Reaching here has already pushed the inactivity deadline back (the guard touches the session).
    if (wantsJson(req)) return { idleSeconds: opts.idleMinutes * 60 };
    return reply.redirect(safeReturnTo(req.headers.referer ? new URL(req.headers.referer, 'http://x').pathname : '/'), 303);
  });

  app.post('/sign-out', { config: { access: 'signing-in' } }, async (req, reply) => {
    await withTransaction(db, async (tx) => {
      await revokeSession(tx, req.session!.sessionId);
      await recordAudit(tx, auditContext(req), { action: 'auth.sign-out' });
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?signedOut=1', 303);
  });

  // ---- the user's own account ----
  app.get('/account', { config: { access: 'account:manage' } }, async (req, reply) => {
    const s = req.session!;
    return reply.view('platform/auth/views/account.njk', {
      title: 'Your account',
      roleLabel: ROLE_LABELS[s.role],
      sessions: await listUserSessions(db, s.userId),
      currentSessionId: s.sessionId,
      recoveryCodesLeft: await remainingRecoveryCodes(db, s.userId),
      revoked: (req.query as Record<string, string>).revoked,
    });
  });

  app.post('/account/sign-out-other-sessions', { config: { access: 'account:manage' } }, async (req, reply) => {
    const n = await withTransaction(db, async (tx) => {
      const count = await revokeUserSessions(tx, req.session!.userId, req.session!.sessionId);
      await recordAudit(tx, auditContext(req), { action: 'auth.sessions.revoked', details: { count } });
      return count;
    });
    return reply.redirect(`/account?revoked=${n}`, 303);
  });
}
