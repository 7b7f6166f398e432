/** Each Jest worker gets its own database, cloned from the migrated template. */
import { Client } from 'pg';
import { createDb, type Knex } from '../../server/src/db/knex';

const PREFIX = () => process.env.TEST_DB_PREFIX ?? 'kidsclub_test';
const TEMPLATE_DB = () => `${PREFIX()}_template`;
/** TEST_PG_DURABLE=1 keeps full durability (to measure what giving it up saves). */
export const durableTests = () => process.env.TEST_PG_DURABLE === '1';

/**
 * A test database gives up waiting for its commits to reach the disk (synchronous_commit = off:
 * a crash could lose the last commits of a database the next run drops anyway). Per database,
 * because CREATE DATABASE … TEMPLATE does not copy the template's settings, and on a server we
 * do not own (DATABASE_URL) fsync and full_page_writes are not ours to change.
 */
async function lessDurable(c: Client, name: string) {
  if (!durableTests()) await c.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
}

export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (npm test)');
  return url;
}

export async function workerDatabaseUrl(): Promise<string> {
  const name = `${PREFIX()}_w${process.env.JEST_WORKER_ID ?? '1'}`;
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB()}"`);
        await lessDurable(c, name);
      } catch (e) {
        if ((e as { code?: string }).code !== '42P04') throw e;
      }
    }
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, empty database of its own (for tests that need to own the whole database). */
export async function isolatedDatabaseUrl(label: string): Promise<string> {
  const name = `${PREFIX()}_${label}_${process.env.JEST_WORKER_ID ?? '1'}_${Date.now().toString(36)}`;
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB()}"`);
    await lessDurable(c, name);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function testDb(poolMax = 20): Promise<Knex> {
  return createDb(await workerDatabaseUrl(), poolMax);
}
