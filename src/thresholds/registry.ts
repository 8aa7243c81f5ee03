// Threshold frameworks by id and version, kept in PostgreSQL. The shipped files are loaded at start-up;
// a system admin can load a new version at any time. Versions are immutable, so they are cached in memory;
// only "which version is current" is asked of the database, so every instance agrees at once.
import { createHash } from 'node:crypto';
import type { Queryable } from '../platform/db/pool.ts';
import type { Framework } from './schema.ts';
import { loadShippedFrameworks } from './validate.ts';

export interface FrameworkSummary {
  id: string;
  name: string;
  version: string;
  publisher: string;
  levels: { id: string; rank: number; name: string }[];
}

export interface FrameworkVersionInfo {
  version: string;
  loadedAt: Date;
  source: string;
  current: boolean;
}

export interface FrameworkRegistry {
  /** The current version of every framework. */
  list(): Promise<FrameworkSummary[]>;
  /** A framework at a version (the current one when no version is given); null when unknown. */
  get(id: string, version?: string): Promise<Framework | null>;
  /** Every version of a framework, newest first. */
  versions(id: string): Promise<FrameworkVersionInfo[]>;
}

export class FrameworkVersionExistsError extends Error {
  constructor(readonly frameworkId: string, readonly version: string) {
    super(`Version ${version} of ${frameworkId} is already loaded with different content: give the new version its own version number`);
  }
}

const contentHash = (f: Framework) => createHash('sha256').update(JSON.stringify(f)).digest('hex');

export function summarise(f: Framework): FrameworkSummary {
  return {
    id: f.id, name: f.name, version: f.version, publisher: f.publisher,
    levels: [...f.levels].sort((a, b) => a.rank - b.rank).map((l) => ({ id: l.id, rank: l.rank, name: l.name })),
  };
}

/**
 * Store a validated framework version. Loading the same content again is a no-op; the same version
 * number with different content is refused, because stored assessments refer to that version's words.
 */
export async function storeFrameworkVersion(
  db: Queryable, framework: Framework, opts: { source: string; loadedBy?: string | null },
): Promise<'loaded' | 'unchanged'> {
  const hash = contentHash(framework);
  const inserted = await db.query(
    `INSERT INTO framework_versions (framework_id, version, name, content, content_hash, loaded_by, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (framework_id, version) DO NOTHING`,
    [framework.id, framework.version, framework.name, JSON.stringify(framework), hash, opts.loadedBy ?? null, opts.source],
  );
  if (inserted.rowCount) return 'loaded';
  const existing = await db.query<{ content_hash: string }>(
    'SELECT content_hash FROM framework_versions WHERE framework_id = $1 AND version = $2', [framework.id, framework.version]);
  if (existing.rows[0]?.content_hash === hash) return 'unchanged';
  throw new FrameworkVersionExistsError(framework.id, framework.version);
}

/** Load the shipped framework files into the database (at start-up). */
export async function loadShippedIntoDatabase(db: Queryable): Promise<string[]> {
  const loaded: string[] = [];
  for (const f of await loadShippedFrameworks()) {
    if ((await storeFrameworkVersion(db, f, { source: `shipped: src/thresholds/frameworks/${f.id}.yaml` })) === 'loaded') {
      loaded.push(`${f.id}@${f.version}`);
    }
  }
  return loaded;
}

export function createFrameworkRegistry(db: Queryable): FrameworkRegistry {
  const cache = new Map<string, Framework>();
  const key = (id: string, version: string) => `${id}\u0000${version}`;

  async function get(id: string, version?: string): Promise<Framework | null> {
    if (version !== undefined) {
      const hit = cache.get(key(id, version));
      if (hit) return hit;
    }
    const { rows } = await db.query<{ version: string; content: Framework }>(
      version === undefined
        ? 'SELECT version, content FROM framework_versions WHERE framework_id = $1 ORDER BY loaded_at DESC, version DESC LIMIT 1'
        : 'SELECT version, content FROM framework_versions WHERE framework_id = $1 AND version = $2',
      version === undefined ? [id] : [id, version],
    );
    const row = rows[0];
    if (!row) return null;
    const cached = cache.get(key(id, row.version));
    if (cached) return cached;
    cache.set(key(id, row.version), row.content);
    return row.content;
  }

  return {
    get,
    async list() {
      const { rows } = await db.query<{ framework_id: string; version: string }>(
        `SELECT DISTINCT ON (framework_id) framework_id, version FROM framework_versions
          ORDER BY framework_id, loaded_at DESC, version DESC`,
      );
      const frameworks = await Promise.all(rows.map((r) => get(r.framework_id, r.version)));
      return frameworks.filter((f): f is Framework => f !== null).map(summarise);
    },
    async versions(id) {
      const { rows } = await db.query<{ version: string; loaded_at: Date; source: string }>(
        'SELECT version, loaded_at, source FROM framework_versions WHERE framework_id = $1 ORDER BY loaded_at DESC, version DESC',
        [id],
      );
      return rows.map((r, i) => ({ version: r.version, loadedAt: r.loaded_at, source: r.source, current: i === 0 }));
    },
  };
}
