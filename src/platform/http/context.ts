// What every request carries once the guard has run, and the audit context derived from it.
import type { FastifyRequest } from 'fastify';
import type { Permission, Principal } from '../access/policy.ts';
import type { AuditContext } from '../audit/audit.ts';
import type { SessionUser } from '../auth/sessions.ts';

/** Every route says who may use it. "signing-in" routes need a session that may still lack its second factor. */
export type RouteAccess = 'public' | 'signing-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    session: SessionUser | null;
    principal: Principal | null;
    cspNonce: string;
  }
}

export function auditContext(req: FastifyRequest): AuditContext {
  return {
    userId: req.session?.userId ?? null,
    role: req.session?.role ?? null,
    organisationId: req.session?.organisationId ?? null,
    ip: req.ip ?? null,
    requestId: req.id,
  };
}

export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || (req.headers.accept ?? '').startsWith('application/json');
}
