// Translating a level between threshold frameworks (e.g. a child moving from Medway to Dudley). The mapping
// is data (crosswalk.yaml) and deliberately one-to-many where the frameworks do not line up: a translation
// returns every plausible level and the caveats, never a single false equivalent.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Framework } from './schema.ts';
import { formatPath, readDataFile, toFileErrors, zodIssues, type FileError, type Issue, type PathSegment } from './files.ts';
import { FrameworkValidationError } from './validate.ts';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'must be lower-case letters, digits, dots and hyphens');
const yearMonth = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD');

export const crosswalkSourceSchema = z
  .object({
    /** Id of the framework whose source document is cited. */
    framework: slug,
    section: z.string().min(1),
    page: z.string().optional(),
    lines: z.string().regex(/^\d+(-\d+)?$/, 'must be a line number or range like 410-418').optional(),
  })
  .strict();

export const crosswalkCaveatSchema = z
  .object({
    text: z.string().min(1),
    /** Shown only for translations from or to one of these frameworks; always shown when absent. */
    about: z.array(slug).min(1).optional(),
    sources: z.array(crosswalkSourceSchema).min(1),
  })
  .strict();

export const crosswalkSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    version: z.string().min(1),
    updated: yearMonth.optional(),
    frameworks: z
      .array(
        z
          .object({
            id: slug,
            name: z.string().min(1),
            document: z.string().min(1),
            /** Every level id of the framework, lowest rank first. */
            levels: z.array(slug).min(2),
          })
          .strict(),
      )
      .min(2),
    /** Shown with every translation. */
    caveats: z.array(crosswalkCaveatSchema).min(1),
    /** Lowest need first. A level may sit in more than one band. */
    bands: z
      .array(
        z
          .object({
            id: slug,
            name: z.string().min(1),
            description: z.string().min(1),
            /** Framework id → the level ids of that framework in this band. */
            levels: z.record(z.string(), z.array(slug).min(1)),
            caveats: z.array(crosswalkCaveatSchema).default([]),
          })
          .strict(),
      )
      .min(1),
    /** Caveats about one framework (or one of its levels), shown when translating from or to it. */
    levelNotes: z
      .array(
        z
          .object({
            framework: slug,
            level: slug.optional(),
            text: z.string().min(1),
            sources: z.array(crosswalkSourceSchema).min(1),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type Crosswalk = z.infer<typeof crosswalkSchema>;
export type CrosswalkResult = { ok: true; crosswalk: Crosswalk } | { ok: false; errors: FileError[] };

function crossCheckCrosswalk(cw: Crosswalk): Issue[] {
  const out: Issue[] = [];
  const frameworks = new Map<string, { index: number; levels: string[] }>();
  cw.frameworks.forEach((fw, i) => {
    const first = frameworks.get(fw.id);
    if (first) out.push({ path: ['frameworks', i, 'id'], message: `duplicate framework id "${fw.id}" (already used at frameworks[${first.index}])` });
    else frameworks.set(fw.id, { index: i, levels: fw.levels });
    fw.levels.forEach((l, j) => {
      if (fw.levels.indexOf(l) !== j) out.push({ path: ['frameworks', i, 'levels', j], message: `duplicate level "${l}"` });
    });
  });
  const fwIds = () => [...frameworks.keys()].join(', ');

  const checkSources = (sources: Crosswalk['caveats'][number]['sources'], base: PathSegment[]) => {
    sources.forEach((s, k) => {
      if (!frameworks.has(s.framework)) {
        out.push({ path: [...base, k, 'framework'], message: `unknown framework "${s.framework}": frameworks are ${fwIds()}` });
      }
    });
  };
  const checkCaveats = (caveats: Crosswalk['caveats'], base: PathSegment[]) => {
    caveats.forEach((c, i) => {
      checkSources(c.sources, [...base, i, 'sources']);
      c.about?.forEach((id, k) => {
        if (!frameworks.has(id)) out.push({ path: [...base, i, 'about', k], message: `unknown framework "${id}": frameworks are ${fwIds()}` });
      });
    });
  };
  checkCaveats(cw.caveats, ['caveats']);

  const bandIds = new Map<string, number>();
  const covered = new Map<string, Set<string>>([...frameworks.keys()].map((id) => [id, new Set<string>()]));
  // For the ordering check: the previous band's lowest and highest position, per framework.
  const previous = new Map<string, { min: number; max: number; band: number }>();
  cw.bands.forEach((band, b) => {
    const first = bandIds.get(band.id);
    if (first !== undefined) out.push({ path: ['bands', b, 'id'], message: `duplicate band id "${band.id}" (already used at bands[${first}])` });
    else bandIds.set(band.id, b);
    checkCaveats(band.caveats, ['bands', b, 'caveats']);
    for (const [fwId, levels] of Object.entries(band.levels)) {
      const fw = frameworks.get(fwId);
      if (!fw) {
        out.push({ path: ['bands', b, 'levels', fwId], message: `unknown framework "${fwId}": frameworks are ${fwIds()}` });
        continue;
      }
      const positions: number[] = [];
      levels.forEach((l, k) => {
        const pos = fw.levels.indexOf(l);
        if (pos < 0) {
          out.push({ path: ['bands', b, 'levels', fwId, k], message: `unknown level "${l}" of framework "${fwId}": its levels are ${fw.levels.join(', ')}` });
        } else if (levels.indexOf(l) !== k) {
          out.push({ path: ['bands', b, 'levels', fwId, k], message: `duplicate level "${l}"` });
        } else {
          positions.push(pos);
          covered.get(fwId)?.add(l);
        }
      });
      if (positions.length === 0) continue;
      const min = Math.min(...positions);
      const max = Math.max(...positions);
      const prev = previous.get(fwId);
      if (prev && (min < prev.min || max < prev.max)) {
        out.push({
          path: ['bands', b, 'levels', fwId],
          message: `bands must go from lowest to highest need: ${fwId} levels here are lower than in bands[${prev.band}]`,
        });
      }
      previous.set(fwId, { min, max, band: b });
    }
    for (const fwId of frameworks.keys()) {
      if (!(fwId in band.levels)) {
        out.push({ path: ['bands', b, 'levels'], message: `no levels given for framework "${fwId}"` });
      }
    }
  });

  cw.frameworks.forEach((fw, i) => {
    fw.levels.forEach((l, j) => {
      if (!covered.get(fw.id)?.has(l)) {
        out.push({ path: ['frameworks', i, 'levels', j], message: `level "${l}" is in no band, so it cannot be translated` });
      }
    });
  });

  cw.levelNotes.forEach((note, i) => {
    const fw = frameworks.get(note.framework);
    if (!fw) {
      out.push({ path: ['levelNotes', i, 'framework'], message: `unknown framework "${note.framework}": frameworks are ${fwIds()}` });
    } else if (note.level !== undefined && !fw.levels.includes(note.level)) {
      out.push({ path: ['levelNotes', i, 'level'], message: `unknown level "${note.level}" of framework "${note.framework}": its levels are ${fw.levels.join(', ')}` });
    }
    checkSources(note.sources, ['levelNotes', i, 'sources']);
  });
  return out;
}

function validate(data: unknown): { ok: true; crosswalk: Crosswalk } | { ok: false; issues: Issue[] } {
  const parsed = crosswalkSchema.safeParse(data);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error.issues, data) };
  const issues = crossCheckCrosswalk(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, crosswalk: parsed.data };
}

export function validateCrosswalk(data: unknown, file: string): CrosswalkResult {
  const result = validate(data);
  return result.ok ? result : { ok: false, errors: toFileErrors(result.issues, file) };
}

/** Reads and validates a cross-walk file (.yaml/.yml/.json). Never throws for a bad or missing file. */
export async function loadCrosswalkFile(path: string): Promise<CrosswalkResult> {
  const read = await readDataFile(path);
  if (!read.ok) return read;
  const result = validate(read.data);
  return result.ok ? result : { ok: false, errors: toFileErrors(result.issues, path, read.lineOf) };
}

export const SHIPPED_CROSSWALK_FILE = fileURLToPath(new URL('./crosswalk.yaml', import.meta.url));

/**
 * Checks the cross-walk's view of each framework against the framework files themselves: same level ids,
 * in rank order. Frameworks the cross-walk does not mention, or that are not given, are not checked.
 */
export function checkCrosswalkAgainstFrameworks(cw: Crosswalk, frameworks: readonly Framework[], file: string): FileError[] {
  const errors: FileError[] = [];
  cw.frameworks.forEach((entry, i) => {
    const fw = frameworks.find((f) => f.id === entry.id);
    if (!fw) return;
    const actual = [...fw.levels].sort((a, b) => a.rank - b.rank).map((l) => l.id);
    if (actual.join(',') !== entry.levels.join(',')) {
      errors.push({
        file,
        path: formatPath(['frameworks', i, 'levels']),
        message: `does not match framework "${fw.id}": the cross-walk lists ${entry.levels.join(', ')}; the framework's levels by rank are ${actual.join(', ')}`,
      });
    }
  });
  return errors;
}

/** Loads the shipped cross-walk, checked against the given frameworks; throws listing every error. */
export async function loadShippedCrosswalk(frameworks: readonly Framework[] = []): Promise<Crosswalk> {
  const result = await loadCrosswalkFile(SHIPPED_CROSSWALK_FILE);
  if (!result.ok) throw new FrameworkValidationError(result.errors);
  const errors = checkCrosswalkAgainstFrameworks(result.crosswalk, frameworks, SHIPPED_CROSSWALK_FILE);
  if (errors.length > 0) throw new FrameworkValidationError(errors);
  return result.crosswalk;
}

export class CrosswalkLookupError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly kind: 'framework' | 'level',
    readonly id: string,
    message: string,
  ) {
    super(message);
    this.name = 'CrosswalkLookupError';
  }
}

export interface BandRef {
  id: string;
  name: string;
}

export interface Translation {
  from: { framework: string; level: string };
  to: string;
  /** Every level of the target framework that the source level can correspond to, lowest first. */
  levels: string[];
  /** The most serious band the source level belongs to (safeguarding reads a span at its upper end). */
  band: BandRef;
  /** Every band the source level belongs to, lowest first. */
  bands: BandRef[];
  /** Why the translation is approximate, each with its citation. */
  caveats: string[];
}

function cite(cw: Crosswalk, sources: Crosswalk['caveats'][number]['sources']): string {
  return sources
    .map((s) => {
      const name = cw.frameworks.find((f) => f.id === s.framework)?.name ?? s.framework;
      const where = [s.page ? `page ${s.page}` : '', s.lines ? `${s.lines.includes('-') ? 'lines' : 'line'} ${s.lines}` : ''].filter(Boolean).join(', ');
      return `${name}, “${s.section}”${where ? `, ${where}` : ''}`;
    })
    .join('; ');
}

function withCitation(cw: Crosswalk, caveat: { text: string; sources: Crosswalk['caveats'][number]['sources'] }): string {
  return `${caveat.text.trim()} (Source: ${cite(cw, caveat.sources)}.)`;
}

/** Translates a level of one framework into the corresponding level(s) of another. Throws on unknown ids. */
export function translateLevel(cw: Crosswalk, fromFramework: string, levelId: string, toFramework: string): Translation {
  const from = cw.frameworks.find((f) => f.id === fromFramework);
  const to = cw.frameworks.find((f) => f.id === toFramework);
  const known = cw.frameworks.map((f) => f.id).join(', ');
  if (!from) throw new CrosswalkLookupError('framework', fromFramework, `unknown framework "${fromFramework}": known frameworks are ${known}`);
  if (!to) throw new CrosswalkLookupError('framework', toFramework, `unknown framework "${toFramework}": known frameworks are ${known}`);
  if (!from.levels.includes(levelId)) {
    throw new CrosswalkLookupError('level', levelId, `unknown level "${levelId}" of framework "${fromFramework}": its levels are ${from.levels.join(', ')}`);
  }

  const matched = cw.bands.filter((b) => b.levels[fromFramework]?.includes(levelId));
  const top = matched[matched.length - 1];
  if (!top) throw new Error(`cross-walk "${cw.id}": level "${levelId}" of "${fromFramework}" is in no band; validate it first`);
  const targets = new Set(matched.flatMap((b) => b.levels[toFramework] ?? []));
  const levels = to.levels.filter((l) => targets.has(l));

  const caveats: string[] = [];
  const add = (text: string) => {
    if (!caveats.includes(text)) caveats.push(text);
  };
  if (levels.length > 1) {
    add(
      `${from.name} ${levelId} corresponds to ${levels.length} levels of ${to.name}: ${levels.join(', ')}. ` +
        `The receiving area's own threshold and professional judgement decide which applies.`,
    );
  }
  for (const note of cw.levelNotes) {
    const aboutFrom = note.framework === fromFramework && (note.level === undefined || note.level === levelId);
    const aboutTo = note.framework === toFramework && (note.level === undefined || levels.includes(note.level));
    if (aboutFrom || aboutTo) add(withCitation(cw, note));
  }
  for (const band of matched) {
    for (const c of band.caveats) {
      if (!c.about || c.about.includes(fromFramework) || c.about.includes(toFramework)) add(withCitation(cw, c));
    }
  }
  for (const c of cw.caveats) {
    if (!c.about || c.about.includes(fromFramework) || c.about.includes(toFramework)) add(withCitation(cw, c));
  }

  return {
    from: { framework: fromFramework, level: levelId },
    to: toFramework,
    levels,
    band: { id: top.id, name: top.name },
    bands: matched.map((b) => ({ id: b.id, name: b.name })),
    caveats,
  };
}
