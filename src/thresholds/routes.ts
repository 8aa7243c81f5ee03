// The threshold explorer and its JSON API. Public, no sign-in: the frameworks are published documents and
// nothing here stores or shows personal data. Each route parses, calls pure code, and renders.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderAssessmentPdf } from './assessment-pdf.ts';
import { CrosswalkLookupError, loadShippedCrosswalk, translateLevel, type Crosswalk } from './crosswalk.ts';
import { assess, ThresholdInputError } from './engine.ts';
import {
  apiEngineError,
  apiZodError,
  assessBodySchema,
  assessChecklist,
  assessmentApiResponse,
  assessQuery,
  browseIndicators,
  browseQuerySchema,
  checkAssessForm,
  citationText,
  crosswalkQuerySchema,
  crosswalkTable,
  formatSourceDate,
  frameworkApiDetail,
  JUDGEMENT_NOTE,
  levelName,
  readAssessForm,
  resultView,
  sortedLevels,
  youngChildRules,
  type AssessFormValues,
} from './explorer.ts';
import type { FrameworkRegistry } from './registry.ts';
import type { Framework } from './schema.ts';
import { noErrors, type FormErrors } from '../platform/http/forms.ts';
import { errorResponse, type OpenApiPaths } from '../platform/http/openapi.ts';

const PUBLIC = { access: 'public' as const };
const VIEWS = 'thresholds/views';

type IdParams = { Params: { id: string } };

function notFoundJson(reply: FastifyReply, message: string) {
  return reply.code(404).send({ error: 'Not Found', message });
}

function notFoundPage(reply: FastifyReply) {
  return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
}

const versionParam = (query: unknown): string | undefined => {
  const v = (query as Record<string, unknown> | undefined)?.version;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

const missingMessage = (id: string, version?: string) =>
  version === undefined ? `No threshold framework "${id}"` : `Threshold framework "${id}" has no version "${version}"`;

/** The threshold paths the platform's OpenAPI document does not already describe. */
export const thresholdOpenApiPaths: OpenApiPaths = {
  '/api/v1/frameworks/{id}/crosswalk': {
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'to', in: 'query', required: true, schema: { type: 'string' }, description: 'Id of the framework to translate to' },
      { name: 'level', in: 'query', required: true, schema: { type: 'string' }, description: 'Id of a level of framework `id`' },
    ],
    get: {
      summary: 'Translate a level to the nearest level(s) of another framework, with the band and every caveat', security: [],
      responses: {
        200: { description: 'The translation: target levels (lowest first), band and caveats with citations' },
        400: errorResponse('Bad or unknown `to` or `level`, named in `field`'),
        404: errorResponse('Unknown framework, or one the cross-walk does not cover'),
      },
    },
  },
};

export function thresholdRoutes(app: FastifyInstance, frameworks: FrameworkRegistry) {
  // The cross-walk is shipped data; read it once, on first use.
  let crosswalk: Promise<Crosswalk> | null = null;
  const getCrosswalk = () => (crosswalk ??= loadShippedCrosswalk().catch((e: unknown) => {
    crosswalk = null;
    throw e;
  }));

  /** The current version of every other framework the cross-walk names, for level names. */
  async function crosswalkPartners(cw: Crosswalk, except: string): Promise<Map<string, Framework>> {
    const found = await Promise.all(cw.frameworks.filter((f) => f.id !== except).map((f) => frameworks.get(f.id)));
    return new Map(found.filter((f): f is Framework => f !== null).map((f) => [f.id, f]));
  }

  // ------------------------------------------------------------------------------------------------------
  // JSON API

  app.get('/api/v1/frameworks', { config: PUBLIC }, async () => {
    const list = await frameworks.list();
    return list.map((f) => ({ id: f.id, name: f.name, version: f.version, publisher: f.publisher, levels: f.levels }));
  });

  app.get<IdParams>('/api/v1/frameworks/:id', { config: PUBLIC }, async (req, reply) => {
    const version = versionParam(req.query);
    const fw = await frameworks.get(req.params.id, version);
    if (!fw) return notFoundJson(reply, missingMessage(req.params.id, version));
    return frameworkApiDetail(fw, await frameworks.versions(fw.id));
  });

  app.post<IdParams>('/api/v1/frameworks/:id/assess', {
    config: PUBLIC,
    // A body that is not JSON at all is still answered in the API's own error shape.
    errorHandler: (error: FastifyError, _req, reply) => {
      if (error.statusCode === 400 || error.statusCode === 415) {
        return reply.code(error.statusCode).send({
          error: error.statusCode === 400 ? 'Bad Request' : 'Unsupported Media Type',
          field: 'body',
          message: error.statusCode === 400 ? 'body: is not valid JSON' : 'body: send JSON with content-type application/json',
        });
      }
      throw error;
    },
  }, async (req, reply) => {
    if (!(await frameworks.get(req.params.id))) return notFoundJson(reply, missingMessage(req.params.id));
    const parsed = assessBodySchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(apiZodError(parsed.error));
    const { version, ...input } = parsed.data;
    const fw = await frameworks.get(req.params.id, version);
    if (!fw) return notFoundJson(reply, missingMessage(req.params.id, version));
    try {
      return assessmentApiResponse(fw, assess(fw, input));
    } catch (e) {
      if (e instanceof ThresholdInputError) return reply.code(400).send(apiEngineError(e, input));
      throw e;
    }
  });

  app.get<IdParams>('/api/v1/frameworks/:id/crosswalk', { config: PUBLIC }, async (req, reply) => {
    const fw = await frameworks.get(req.params.id);
    if (!fw) return notFoundJson(reply, missingMessage(req.params.id));
    const parsed = crosswalkQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return reply.code(400).send(apiZodError(parsed.error, 'query'));
    const { to, level } = parsed.data;
    const cw = await getCrosswalk();
    if (!cw.frameworks.some((f) => f.id === fw.id)) return notFoundJson(reply, `The cross-walk does not cover framework "${fw.id}"`);
    try {
      const t = translateLevel(cw, fw.id, level, to);
      const target = await frameworks.get(to);
      const ref = (f: Framework | null, id: string) => {
        const l = f?.levels.find((x) => x.id === id);
        return l ? { id: l.id, rank: l.rank, name: l.name } : { id, rank: null, name: id };
      };
      return {
        from: { framework: { id: fw.id, name: fw.name, version: fw.version }, level: ref(fw, level) },
        to: {
          framework: { id: to, name: target?.name ?? cw.frameworks.find((f) => f.id === to)?.name ?? to, ...(target ? { version: target.version } : {}) },
          levels: t.levels.map((id) => ref(target, id)),
        },
        band: t.band,
        bands: t.bands,
        caveats: t.caveats,
        crosswalk: { id: cw.id, version: cw.version },
      };
    } catch (e) {
      if (e instanceof CrosswalkLookupError) {
        const field = e.kind === 'level' ? 'level' : 'to';
        return reply.code(400).send({ error: 'Bad Request', field, message: `${field}: ${e.message}` });
      }
      throw e;
    }
  });

  // ------------------------------------------------------------------------------------------------------
  // Pages

  app.get('/thresholds', { config: PUBLIC }, async (_req, reply) => {
    const list = await frameworks.list();
    const rows = (await Promise.all(list.map((s) => frameworks.get(s.id, s.version))))
      .filter((f): f is Framework => f !== null)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((f) => ({
        id: f.id, name: f.name, publisher: f.publisher, version: f.version,
        date: formatSourceDate(f.updated ?? f.published), levels: f.levels.length, indicators: f.indicators.length,
      }));
    return reply.view(`${VIEWS}/index.njk`, { title: 'Thresholds of need', frameworks: rows });
  });

  app.get<IdParams>('/thresholds/:id', { config: PUBLIC }, async (req, reply) => {
    const query = browseQuerySchema.parse(req.query ?? {});
    const fw = await frameworks.get(req.params.id, query.version || undefined);
    if (!fw) return notFoundPage(reply);
    const versions = await frameworks.versions(fw.id);
    const current = versions.find((v) => v.current);
    const oldVersion = current !== undefined && current.version !== fw.version;
    const browse = browseIndicators(fw, query);
    const cw = await getCrosswalk();
    const levels = sortedLevels(fw).map((l) => ({
      ...l, citation: citationText(l.source), indicatorCount: fw.indicators.filter((i) => i.level === l.id).length,
    }));
    const versionQuery = oldVersion ? `?version=${encodeURIComponent(fw.version)}` : '';
    return reply.code(browse.errors.summary.length ? 400 : 200).view(`${VIEWS}/framework.njk`, {
      title: oldVersion ? `${fw.name} (version ${fw.version})` : fw.name,
      fw: {
        id: fw.id, name: fw.name, publisher: fw.publisher, version: fw.version, source: fw.source,
        published: formatSourceDate(fw.published), updated: formatSourceDate(fw.updated), reviewDue: formatSourceDate(fw.reviewDue),
        immediateDanger: { instruction: fw.immediateDanger.instruction, citation: citationText(fw.immediateDanger.source) },
        indicatorCount: fw.indicators.length,
      },
      levels,
      domains: fw.domains.map((d) => ({ id: d.id, name: d.name })),
      versions: versions.map((v) => ({ version: v.version, loadedAt: v.loadedAt, current: v.current, selected: v.version === fw.version })),
      oldVersion,
      currentVersion: current?.version,
      versionQuery,
      values: query,
      filtered: Boolean(query.level || query.domain || query.q),
      groups: browse.groups,
      shown: browse.shown,
      crosswalk: crosswalkTable(cw, fw, await crosswalkPartners(cw, fw.id)),
      errors: browse.errors,
    });
  });

  async function assessPage(req: FastifyRequest<IdParams>, reply: FastifyReply, values: AssessFormValues, errors: FormErrors) {
    const fw = await frameworks.get(req.params.id, values.version || undefined);
    if (!fw) return notFoundPage(reply);
    const versions = await frameworks.versions(fw.id);
    const oldVersion = versions.some((v) => v.current && v.version !== fw.version);
    const checklist = assessChecklist(fw, values);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/assess.njk`, {
      title: `What level of need? ${fw.name}`,
      fw: { id: fw.id, name: fw.name, version: fw.version, immediateDanger: fw.immediateDanger.instruction },
      youngChildRules: youngChildRules(fw),
      oldVersion,
      versionQuery: oldVersion ? `?version=${encodeURIComponent(fw.version)}` : '',
      values,
      groups: checklist.groups,
      shown: checklist.shown,
      total: fw.indicators.length,
      carried: checklist.carried,
      clearFilterQuery: assessQuery(values),
      ticked: values.indicators.length,
      judgement: JUDGEMENT_NOTE,
      errors,
    });
  }

  app.get<IdParams>('/thresholds/:id/assess', { config: PUBLIC }, async (req, reply) =>
    assessPage(req, reply, readAssessForm(req.query), noErrors()));

  /** Reads and checks the answers; on a problem, shows the form again with the answers kept. */
  async function assessed(req: FastifyRequest<IdParams>, reply: FastifyReply) {
    const values = readAssessForm(req.query);
    const fw = await frameworks.get(req.params.id, values.version || undefined);
    if (!fw) return { done: notFoundPage(reply) };
    const checked = checkAssessForm(fw, values);
    if (!checked.ok) return { done: await assessPage(req, reply, values, checked.errors) };
    try {
      return { fw, values, result: resultView(fw, assess(fw, checked.input), checked.input) };
    } catch (e) {
      if (!(e instanceof ThresholdInputError)) throw e;
      const errors = noErrors();
      errors.fields.indicators = { text: e.message };
      errors.summary.push({ text: e.message, href: '#indicators' });
      return { done: await assessPage(req, reply, values, errors) };
    }
  }

  app.get<IdParams>('/thresholds/:id/assess/result', { config: PUBLIC }, async (req, reply) => {
    const a = await assessed(req, reply);
    if ('done' in a) return a.done;
    const { fw, values, result } = a;
    const query = assessQuery(values);
    const cw = await getCrosswalk();
    const partners = await crosswalkPartners(cw, fw.id);
    const elsewhere = crosswalkTable(cw, fw, partners).find((row) => row.level.id === result.level.id);
    return reply.view(`${VIEWS}/result.njk`, {
      title: `Suggested level: ${result.level.name}`,
      result,
      fw: { id: fw.id, name: fw.name, version: fw.version },
      elsewhere,
      pdfHref: `/thresholds/${encodeURIComponent(fw.id)}/assess.pdf?${query}`,
      changeHref: `/thresholds/${encodeURIComponent(fw.id)}/assess?${query}`,
      versionQuery: values.version ? `?version=${encodeURIComponent(values.version)}` : '',
      startAgainHref: `/thresholds/${encodeURIComponent(fw.id)}/assess${values.version ? `?version=${encodeURIComponent(values.version)}` : ''}`,
      levelName: (id: string) => levelName(fw, id),
      madeAt: new Date(),
    });
  });

  app.get<IdParams>('/thresholds/:id/assess.pdf', { config: PUBLIC }, async (req, reply) => {
    const a = await assessed(req, reply);
    if ('done' in a) return a.done;
    const pdf = await renderAssessmentPdf({ result: a.result });
    const file = `suggested-level-${a.fw.id}-${a.result.level.id}.pdf`.replace(/[^a-z0-9.-]/gi, '-');
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(pdf);
  });
}
