// Working-day arithmetic over HTTP, without sign-in: bank holidays are public facts.
import type { FastifyInstance } from 'fastify';
import { addWorkingDaysEndpoint, workingDaysBetweenEndpoint } from './api.ts';

export function calendarRoutes(app: FastifyInstance) {
  const answer = (result: ReturnType<typeof addWorkingDaysEndpoint> | ReturnType<typeof workingDaysBetweenEndpoint>) =>
    result.ok ? { status: 200, body: result.body } : {
      status: 400,
      body: { error: 'Bad Request', field: result.field, message: `${result.field}: ${result.message}` },
    };

  app.get('/api/v1/calendar/working-days/add', { config: { access: 'public' } }, async (req, reply) => {
    const r = answer(addWorkingDaysEndpoint(req.query));
    return reply.code(r.status).send(r.body);
  });

  app.get('/api/v1/calendar/working-days/between', { config: { access: 'public' } }, async (req, reply) => {
    const r = answer(workingDaysBetweenEndpoint(req.query));
    return reply.code(r.status).send(r.body);
  });
}
