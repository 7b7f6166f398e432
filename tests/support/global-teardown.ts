/**
 * Once per `jest` run: drop every database this run created (the template, each worker's copy,
 * isolated ones), then stop the embedded server if this run started it.
 */
import { Client } from 'pg';

export default async function globalTeardown() {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  const prefix = process.env.TEST_DB_PREFIX ?? 'kidsclub_test';
  if (adminUrl && !process.env.TEST_KEEP_DATABASES) {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const dbs = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%' ORDER BY datname LIKE '%\\_template' ", [prefix]);
      for (const { datname } of dbs.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  }
  const pg = (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void> } }).__EMBEDDED_PG__;
  if (pg) await pg.stop();
}
