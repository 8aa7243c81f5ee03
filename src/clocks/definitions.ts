// Loads the clock definition files, validates them and resolves each partnership's set against its base.
// A broken file stops the service from starting rather than letting a deadline be computed wrongly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  definitionFileSchema, isPartnershipSet, resolveSet, type BaseSet, type ClockDefinition, type DefinitionFile,
  type PartnershipSet, type ResolvedSet,
} from './schema.ts';

export const DEFINITIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'definitions');
export const DEFAULT_SET = 'default';

export interface DefinitionProblem { file: string; path: string; message: string }

export class ClockDefinitionsError extends Error {
  readonly problems: DefinitionProblem[];
  constructor(problems: DefinitionProblem[]) {
    super(`clock definitions are invalid: ${problems.map((p) => `${p.file}${p.path ? ` ${p.path}` : ''}: ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}

const pathText = (p: readonly PropertyKey[]) => p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('').replace(/^\./, '');

/** Parse and validate file contents; returns every problem found rather than the first. */
export function parseDefinitionFiles(files: { name: string; text: string }[]): { sets: ResolvedSet[]; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const parsed: { name: string; data: DefinitionFile }[] = [];
  for (const f of files) {
    let raw: unknown;
    try {
      raw = parse(f.text);
    } catch (error) {
      problems.push({ file: f.name, path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    const r = definitionFileSchema.safeParse(raw);
    if (!r.success) {
      // The union's own message is vague; report the schema the file meant to follow.
      const meant = raw && typeof raw === 'object' && 'extends' in raw ? 'partnership' : 'base';
      const detail = (meant === 'partnership' ? definitionFileSchema.options[0] : definitionFileSchema.options[1]).safeParse(raw);
      for (const issue of (detail.success ? r.error : detail.error).issues) problems.push({ file: f.name, path: pathText(issue.path), message: issue.message });
      continue;
    }
    if (r.data.id !== f.name.replace(/\.ya?ml$/, '')) problems.push({ file: f.name, path: 'id', message: `must be "${f.name.replace(/\.ya?ml$/, '')}", the file's name` });
    parsed.push({ name: f.name, data: r.data });
  }
  const bases = new Map(parsed.filter((p) => !isPartnershipSet(p.data)).map((p) => [p.data.id, p as { name: string; data: BaseSet }]));
  const sets: ResolvedSet[] = [];
  for (const p of parsed) {
    let base: BaseSet | undefined;
    let own: PartnershipSet | null = null;
    if (isPartnershipSet(p.data)) {
      own = p.data;
      base = bases.get(own.extends)?.data;
      if (!base) {
        problems.push({ file: p.name, path: 'extends', message: `extends "${own.extends}", which is not a base set` });
        continue;
      }
    } else {
      base = p.data;
    }
    const { set, issues } = resolveSet(base, own);
    for (const i of issues) problems.push({ file: p.name, path: pathText(i.path), message: i.message });
    sets.push(set);
  }
  if (!sets.some((s) => s.id === DEFAULT_SET) && !problems.length) problems.push({ file: `${DEFAULT_SET}.yaml`, path: '', message: 'the default set is missing' });
  return { sets, problems };
}

export function readDefinitionFiles(dir = DEFINITIONS_DIR) {
  return readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort().map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

export interface ClockCatalogue {
  sets: ResolvedSet[];
  get(setId: string): ResolvedSet | undefined;
  /** The set for a partnership: one naming its slug, else one naming its threshold framework, else the default. */
  forPartnership(p: { slug: string; frameworkId?: string | null }): ResolvedSet;
  definition(set: ResolvedSet, id: string): ClockDefinition | undefined;
}

export function createCatalogue(sets: ResolvedSet[]): ClockCatalogue {
  const byId = new Map(sets.map((s) => [s.id, s]));
  const fallback = byId.get(DEFAULT_SET);
  if (!fallback) throw new ClockDefinitionsError([{ file: `${DEFAULT_SET}.yaml`, path: '', message: 'the default set is missing' }]);
  return {
    sets: [fallback, ...sets.filter((s) => s !== fallback)],
    get: (id) => byId.get(id),
    forPartnership({ slug, frameworkId }) {
      return sets.find((s) => s.appliesTo.partnerships.includes(slug))
        ?? (frameworkId ? sets.find((s) => s.appliesTo.frameworks.includes(frameworkId)) : undefined)
        ?? fallback;
    },
    definition: (set, id) => set.clocks.find((c) => c.id === id),
  };
}

let shipped: ClockCatalogue | null = null;

/** The definitions shipped in src/clocks/definitions, loaded once. */
export function shippedCatalogue(): ClockCatalogue {
  if (!shipped) {
    const { sets, problems } = parseDefinitionFiles(readDefinitionFiles());
    if (problems.length) throw new ClockDefinitionsError(problems);
    shipped = createCatalogue(sets);
  }
  return shipped;
}
