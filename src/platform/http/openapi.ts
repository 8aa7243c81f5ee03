// The OpenAPI document for /api/v1, assembled from each domain's `paths` fragment.
import type { FastifyInstance } from 'fastify';

export type OpenApiPaths = Record<string, Record<string, unknown>>;

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
export const errorResponse = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) });

/** Paths of the platform itself: health, drafts, the working-day calendar, threshold frameworks. */
export const platformOpenApiPaths: OpenApiPaths = {
  '/health': {
    get: { summary: 'Service health after a database round trip', security: [], responses: { 200: { description: 'Healthy', ...json({ type: 'object', properties: { status: { const: 'ok' } } }) } } },
  },
  '/api/v1/drafts/{key}': {
    parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9:._-]{0,99}$' } }],
    get: { summary: "Read one of the signed-in user's drafts", responses: { 200: { description: 'The draft' }, 404: errorResponse('No such draft'), 401: errorResponse('Not signed in') } },
    put: {
      summary: 'Save fields of a draft as the user types: the fields sent are merged into the saved draft, and the others kept',
      requestBody: { required: true, ...json({ type: 'object', required: ['data'], properties: { data: { type: 'object' } } }) },
      responses: { 200: { description: 'Saved' }, 400: errorResponse('Bad input, naming the field'), 401: errorResponse('Not signed in') },
    },
  },
  '/api/v1/calendar/working-days/add': {
    get: {
      summary: 'Add working days (England and Wales bank holidays and weekends excluded)', security: [],
      parameters: [
        { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
        { name: 'days', in: 'query', required: true, schema: { type: 'integer', minimum: 0, maximum: 10000 } },
      ],
      responses: { 200: { description: 'The date', ...json({ type: 'object', properties: { date: { type: 'string', format: 'date' } } }) }, 400: errorResponse('Bad parameter, named in `field`') },
    },
  },
  '/api/v1/calendar/working-days/between': {
    get: {
      summary: 'Count working days after `from` up to and including `to`', security: [],
      parameters: [
        { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
      ],
      responses: { 200: { description: 'The count', ...json({ type: 'object', properties: { workingDays: { type: 'integer' } } }) }, 400: errorResponse('Bad parameter, named in `field`') },
    },
  },
  '/api/v1/frameworks': {
    get: { summary: 'Threshold-of-need frameworks (current versions)', security: [], responses: { 200: { description: 'Frameworks with their levels' } } },
  },
  '/api/v1/frameworks/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'version', in: 'query', schema: { type: 'string' } }],
    get: { summary: 'One framework: levels, domains, indicators with citations, rules', security: [], responses: { 200: { description: 'The framework' }, 404: errorResponse('Unknown framework or version') } },
  },
  '/api/v1/frameworks/{id}/assess': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      summary: 'Suggest a level of need with every reason cited', security: [],
      requestBody: { required: true, ...json({
        type: 'object', required: ['indicators', 'child'],
        properties: {
          indicators: { type: 'array', items: { type: 'string' } },
          child: { type: 'object', properties: { ageInMonths: { type: 'integer', minimum: 0 }, unborn: { type: 'boolean' } } },
          immediateDanger: { type: 'boolean' },
          version: { type: 'string' },
        },
      }) },
      responses: { 200: { description: 'Suggested level, reasons, advice and response' }, 400: errorResponse('Bad input, naming the field'), 404: errorResponse('Unknown framework') },
    },
  },
};

export function buildOpenApiDocument(fragments: OpenApiPaths[]) {
  const paths: OpenApiPaths = {};
  for (const fragment of fragments) {
    for (const [path, item] of Object.entries(fragment)) paths[path] = { ...(paths[path] ?? {}), ...item };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Continuum API',
      version: '1',
      description: 'Safeguarding records and threshold decision support. Endpoints that show or change records need a signed-in session (cookie) and, for writes, the session\'s CSRF token in the x-csrf-token header; anonymous callers get 401. Every call that shows a named child or adult is audited.',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'continuum_session' } },
      schemas: {
        Error: {
          type: 'object', required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: ['string', 'null'], description: 'The field or parameter at fault' } },
        },
      },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}

export function openApiRoutes(app: FastifyInstance, fragments: OpenApiPaths[]) {
  const document = buildOpenApiDocument([platformOpenApiPaths, ...fragments]);
  app.get('/api/v1/openapi.json', { config: { access: 'public' } }, async () => document);
}
