// `frameworks validate [FILE...]`: lets a partnership check a new framework version before loading it.
import { relative } from 'node:path';
import type { Framework } from './schema.ts';
import { readDataFile, type FileError } from './files.ts';
import { formatFileError, listShippedFrameworkFiles, loadFrameworkFile } from './validate.ts';
import { checkCrosswalkAgainstFrameworks, loadCrosswalkFile, SHIPPED_CROSSWALK_FILE, type Crosswalk } from './crosswalk.ts';

const USAGE = `usage: frameworks validate [FILE...]

  Validates threshold framework files (.yaml, .yml or .json) and cross-walk files.
  With no FILE, validates every shipped framework and the shipped cross-walk.
`;

/** Where output goes; tests pass their own so they need not patch process.stdout. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class Output {
  constructor(readonly io: CommandIo) {}
  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }
  err(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }
  report(errors: readonly FileError[]): void {
    for (const e of errors) this.err(formatFileError(e));
  }
}

/** A cross-walk file is recognised by its content (it has bands and no levels of its own). */
async function isCrosswalk(file: string): Promise<boolean> {
  const read = await readDataFile(file);
  if (!read.ok || read.data === null || typeof read.data !== 'object') return false;
  return 'bands' in read.data && !('levels' in read.data);
}

interface Outcome {
  ok: boolean;
  framework?: Framework;
  crosswalk?: Crosswalk;
}

async function validateOne(o: Output, file: string, shown: string): Promise<Outcome> {
  if (await isCrosswalk(file)) {
    const result = await loadCrosswalkFile(file);
    if (!result.ok) {
      o.report(result.errors.map((e) => ({ ...e, file: shown })));
      return { ok: false };
    }
    o.out(`${shown}: ok (cross-walk: ${result.crosswalk.bands.length} bands, ${result.crosswalk.frameworks.length} frameworks)`);
    return { ok: true, crosswalk: result.crosswalk };
  }
  const result = await loadFrameworkFile(file);
  if (!result.ok) {
    o.report(result.errors.map((e) => ({ ...e, file: shown })));
    return { ok: false };
  }
  const fw = result.framework;
  o.out(`${shown}: ok (${fw.indicators.length} indicators, ${fw.rules.length} rules)`);
  return { ok: true, framework: fw };
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

async function validateShipped(o: Output): Promise<number> {
  let failed = false;
  let files: string[];
  try {
    files = await listShippedFrameworkFiles();
  } catch (e) {
    o.err(`cannot list the shipped frameworks: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (files.length === 0) {
    o.err('no shipped framework files found');
    failed = true;
  }
  const frameworks: Framework[] = [];
  const idFile = new Map<string, string>();
  for (const file of files) {
    const shown = display(file);
    const outcome = await validateOne(o, file, shown);
    if (!outcome.ok || !outcome.framework) {
      failed = true;
      continue;
    }
    const other = idFile.get(outcome.framework.id);
    if (other !== undefined) {
      o.err(`${shown}: id: framework id "${outcome.framework.id}" is also used by ${other}`);
      failed = true;
      continue;
    }
    idFile.set(outcome.framework.id, shown);
    frameworks.push(outcome.framework);
  }

  const shownCw = display(SHIPPED_CROSSWALK_FILE);
  const cw = await loadCrosswalkFile(SHIPPED_CROSSWALK_FILE);
  if (!cw.ok) {
    o.report(cw.errors.map((e) => ({ ...e, file: shownCw })));
    return 1;
  }
  const mismatches = checkCrosswalkAgainstFrameworks(cw.crosswalk, frameworks, shownCw);
  cw.crosswalk.frameworks.forEach((f) => {
    if (idFile.has(f.id)) return;
    mismatches.push({
      file: shownCw,
      path: `frameworks[${cw.crosswalk.frameworks.indexOf(f)}].id`,
      message: `no valid shipped framework has the id "${f.id}"`,
    });
  });
  if (mismatches.length > 0) {
    o.report(mismatches);
    return 1;
  }
  o.out(`${shownCw}: ok (cross-walk: ${cw.crosswalk.bands.length} bands, ${cw.crosswalk.frameworks.length} frameworks)`);
  return failed ? 1 : 0;
}

export async function frameworksCommand(
  args: string[],
  streams: CommandIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const o = new Output(streams);
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    streams.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'validate') {
    o.err(command === undefined ? 'frameworks: missing command' : `frameworks: unknown command "${command}"`);
    streams.stderr.write(USAGE);
    return 2;
  }
  if (rest.length === 0) return validateShipped(o);
  let failed = false;
  for (const file of rest) {
    const outcome = await validateOne(o, file, file);
    if (!outcome.ok) failed = true;
  }
  return failed ? 1 : 0;
}
