// Build the real app on a fresh test database.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp extends TestDatabase {
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<Config> = {}, database?: TestDatabase): Promise<TestApp> {
  const td = database ?? (await createTestDatabase());
  const config: Config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), databaseUrl: td.url, ...overrides };
  const app = await buildApp({ config, db: td.db, logger: false });
  await app.ready();
  return {
    ...td,
    app,
    config,
    async close() {
      await app.close();
      if (!database) await td.drop();
    },
  };
}
