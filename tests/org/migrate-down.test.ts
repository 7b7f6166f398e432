/**
 * Migrations go all the way down and up again on a database with data in it (`npm run migrate --
 * down`), and the organisation migration carries existing data forward: every site its own
 * organisation, every login still working.
 */
import { isolatedDatabaseUrl } from '../support/db';
import { createDb, type Knex } from '../../server/src/db/knex';
import { MIGRATIONS_DIR, migrateLatest, migrateRollbackAll } from '../../server/src/db/migrate';
import { seedDemo, DEMO_PASSWORD } from '../../server/src/db/seed-demo';
import { startTestApp } from '../support/harness';

jest.setTimeout(120_000);
let db: Knex;
beforeAll(async () => {
  db = createDb(await isolatedDatabaseUrl('migrate'), 4);
});
afterAll(async () => {
  await db.destroy();
});

test('down to nothing, up again; old-schema data is carried into organisations and logins keep working', async () => {
  await migrateRollbackAll(db);
  expect((await db.raw("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex%'")).rows[0].n).toBe(0);
  // up to the last migration before organisations, and data the old way
  const cfg = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] };
  const all: string[] = (await db.migrate.list(cfg))[1].map((m: { file: string }) => m.file).sort();
  const firstOrg = all.findIndex((f) => f.startsWith('20261202000100'));
  for (let i = 0; i < firstOrg; i++) await db.migrate.up(cfg);
  await seedDemo(db);
  const [site] = await db('sites').insert({ name: 'Second old site' }).returning('id');
  expect(await db.schema.hasTable('organizations')).toBe(false);

  await migrateLatest(db);
  const orgs = await db('organizations').select('id');
  expect(orgs).toHaveLength(2); // one per existing site
  const sites = await db('sites').select('id', 'organization_id');
  expect(new Set(sites.map((s) => s.organization_id)).size).toBe(2);
  expect(await db('households').whereNull('organization_id').count('* as n')).toEqual([{ n: 0 }]);
  expect(await db('user_roles').orderBy('role').pluck('role')).toEqual(['admin', 'staff', 'volunteer']);
  expect(sites.map((s) => s.id)).toContain(site.id);

  const t = await startTestApp({ db });
  try {
    for (const [email, role] of [
      ['admin@demo.church', 'admin'],
      ['STAFF@demo.church', 'staff'],
      ['volunteer@demo.church', 'volunteer'],
    ]) {
      const r = await t.api().post('/api/auth/login').send({ email, password: DEMO_PASSWORD });
      expect({ email, status: r.status, role: r.body.user?.role }).toEqual({ email, status: 200, role });
    }
  } finally {
    await t.stop();
  }

  // and down again with that data, then up
  await migrateRollbackAll(db);
  await migrateLatest(db);
  expect(await db.schema.hasTable('user_roles')).toBe(true);
});
