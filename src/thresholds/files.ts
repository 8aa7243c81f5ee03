// Reading framework and cross-walk files, and turning schema issues into errors that name the exact place
// in the file: authors of these files are policy officers, so every message must say where and what.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

/** One problem in a data file. `path` is in dotted/bracket form (`indicators[12].level`), '' for the whole file. */
export interface FileError {
  file: string;
  path: string;
  message: string;
  /** 1-based line in the file, when known (YAML files). */
  line?: number;
}

export type PathSegment = string | number;

/** An error found while checking data, before it is tied to a file. */
export interface Issue {
  path: PathSegment[];
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

export type ParsedFile =
  | { ok: true; data: unknown; lineOf: (path: readonly PathSegment[]) => number | undefined }
  | { ok: false; errors: FileError[] };

const noLines = (): undefined => undefined;

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'cannot read file: no such file';
  if (code === 'EISDIR') return 'cannot read file: it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read file: permission denied';
  return `cannot read file: ${err instanceof Error ? err.message : String(err)}`;
}

/** Reads a .yaml/.yml or .json file; syntax errors come back as errors with line numbers, never thrown. */
export async function readDataFile(file: string): Promise<ParsedFile> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml' && ext !== '.json') {
    return {
      ok: false,
      errors: [{ file, path: '', message: `unsupported file type "${ext || '(none)'}": expected .yaml, .yml or .json` }],
    };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, errors: [{ file, path: '', message: readFailure(err) }] };
  }
  return ext === '.json' ? parseJson(text, file) : parseYaml(text, file);
}

/** Parses text that was typed or pasted rather than read from a file: JSON when it starts with "{", else YAML. */
export function parseDataText(text: string, name: string): ParsedFile {
  return text.trimStart().startsWith('{') ? parseJson(text, name) : parseYaml(text, name);
}

function parseJson(text: string, file: string): ParsedFile {
  try {
    return { ok: true, data: JSON.parse(text) as unknown, lineOf: noLines };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    let line: number | undefined;
    if (pos?.[1] !== undefined) line = text.slice(0, Number(pos[1])).split('\n').length;
    const where = line === undefined ? '' : ` at line ${line}`;
    return {
      ok: false,
      errors: [{ file, path: '', message: `JSON syntax error${where}: ${message}`, ...(line === undefined ? {} : { line }) }],
    };
  }
}

function parseYaml(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const start = e.linePos?.[0];
        // prettyErrors appends the position and a code excerpt; keep only the first sentence.
        const bare = e.message.split(/ at line \d+, column \d+/)[0]?.trim() ?? e.message;
        const where = start ? ` at line ${start.line}, column ${start.col}` : '';
        return {
          file,
          path: '',
          message: `YAML syntax error${where}: ${bare}`,
          ...(start ? { line: start.line } : {}),
        };
      }),
    };
  }
  return { ok: true, data: doc.toJS() as unknown, lineOf: (path) => yamlLine(doc, lineCounter, path) };
}

/** The line of the node at `path`, or of its nearest existing ancestor (for a missing field). */
function yamlLine(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node) {
      const range = (node as { range?: [number, number, number] | null }).range;
      if (range) {
        // A collection's range starts at its first entry; the key above it is a better place to point to.
        if ((isMap(node) || isSeq(node)) && n > 0) {
          const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
          if (isMap(parent)) {
            const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[n - 1]);
            const keyRange = (pair?.key as { range?: [number, number, number] } | null)?.range;
            if (keyRange) return lineCounter.linePos(keyRange[0]).line;
          }
        }
        return lineCounter.linePos(range[0]).line;
      }
    }
  }
  return undefined;
}

export function toFileErrors(
  issues: readonly Issue[],
  file: string,
  lineOf: (path: readonly PathSegment[]) => number | undefined = noLines,
): FileError[] {
  return issues.map((issue) => {
    const line = lineOf(issue.path);
    return { file, path: formatPath(issue.path), message: issue.message, ...(line === undefined ? {} : { line }) };
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

/**
 * Converts zod issues into precise, readable issues. `onUnion` gets a say on union failures (conditions),
 * whose default zod message ("Invalid input") would not tell an author what is wrong.
 */
export function zodIssues(
  issues: z.ZodError['issues'],
  data: unknown,
  onUnion?: (value: unknown, path: PathSegment[]) => Issue[] | undefined,
): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
    if (issue.code === 'invalid_union' && onUnion) {
      const diagnosed = onUnion(valueAt(data, path), path);
      if (diagnosed && diagnosed.length > 0) {
        out.push(...diagnosed);
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field "${key}"` });
      continue;
    }
    if (issue.code === 'invalid_type') {
      const value = valueAt(data, path);
      out.push({
        path,
        message:
          value === undefined
            ? `required field is missing (expected ${issue.expected})`
            : `expected ${issue.expected}, found ${describe(value)}`,
      });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
