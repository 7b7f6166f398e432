/**
 * Once per `jest` run: find a PostgreSQL (DATABASE_URL, else an embedded one under
 * .data/test-pg), migrate a template database, and drop the previous run's worker databases.
 * Each worker then clones the template (tests/support/db.ts).
 */
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, portFree } from '../../server/src/db/embedded';
import { createDb } from '../../server/src/db/knex';
import { migrateLatest } from '../../server/src/db/migrate';
import { durableTests } from './db';

/** Several jest runs may share one server (developers in parallel): each prefix owns its databases. */
const PREFIX = process.env.TEST_DB_PREFIX ?? 'kidsclub_test';
export const TEMPLATE_DB = `${PREFIX}_template`;

async function pickPort(from: number): Promise<number> {
  for (let p = from; p < from + 50; p++) if (await portFree(p)) return p;
  throw new Error('no free port for the embedded test PostgreSQL');
}

export default async function globalSetup() {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const port = await pickPort(55432);
    const pg = await startEmbeddedPostgres({
      dir: path.resolve(__dirname, '../../.data/test-pg'),
      port,
      durable: durableTests(),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void> } }).__EMBEDDED_PG__ = pg;
    adminUrl = pg.url;
    process.stderr.write(`\n[tests] embedded PostgreSQL on port ${port} (set DATABASE_URL to use another server)\n`);
  } else {
    process.stderr.write(`\n[tests] PostgreSQL from DATABASE_URL\n`);
  }
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_DB_PREFIX = PREFIX;
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const old = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%'", [PREFIX]);
    for (const { datname } of old.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
    // on a server we do not own (DATABASE_URL) only this much durability can be given up, per
    // database (the migrations here; each clone sets it again: tests/support/db.ts)
    if (!durableTests()) await c.query(`ALTER DATABASE "${TEMPLATE_DB}" SET synchronous_commit = off`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${TEMPLATE_DB}`;
  const db = createDb(u.toString(), 2);
  try {
    const shown = await Promise.all(['fsync', 'synchronous_commit', 'full_page_writes'].map(async (s) => `${s}=${(await db.raw(`SHOW ${s}`)).rows[0][s]}`));
    process.stderr.write(`[tests] test databases: ${shown.join(' ')}\n`);
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}
