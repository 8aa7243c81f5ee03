// Text as PostgreSQL can store it. A NUL character cannot go in a text or jsonb column: left in, any field that
// carried one (pasted from a damaged document, or sent on purpose) made the write a 500 instead of saving.
import type { FastifyInstance } from 'fastify';

/** The value with every NUL character removed from its strings, nested objects and arrays included. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '') : value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = withoutNul(value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) (value as Record<string, unknown>)[key] = withoutNul((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Every request's parsed body and query, before any route (or the guard, which may keep a form) reads them. */
export function registerTextCleaning(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (req.body !== undefined) req.body = withoutNul(req.body);
    withoutNul(req.query);
  });
}
