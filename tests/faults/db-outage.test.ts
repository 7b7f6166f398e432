/**
 * Database outage: a dedicated embedded PostgreSQL is really stopped under load and started
 * again. Requests must fail fast with 503 database_unavailable (no hang, no crash), /healthz must
 * say so, and the server must recover by itself.
 */
import path from 'node:path';
import fs from 'node:fs';
import { ensureDatabase, portFree } from '../../server/src/db/embedded';
import { startControlledPostgres } from '../support/processes';
import { createDb, type Knex } from '../../server/src/db/knex';
import { migrateLatest } from '../../server/src/db/migrate';
import { buildHousehold, buildSite, key, type BuiltSite, type BuiltHousehold } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(120_000);
const dir = path.resolve(__dirname, `../../.data/fault-pg-${process.env.TEST_DB_PREFIX ?? 'kidsclub_test'}`);
let pg: { url: string; stop(): Promise<void> };
let port: number;
let db: Knex;
let t: TestApp;
let site: BuiltSite;

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  port = 56100 + Math.floor(Math.random() * 200);
  while (!(await portFree(port))) port++;
  pg = await startControlledPostgres(dir, port);
  const url = await ensureDatabase(pg.url, 'kidsclub');
  db = createDb(url, 10);
  await migrateLatest(db);
  t = await startTestApp({ db });
  site = await buildSite(db, { rooms: [{ name: 'Toddlers', minAgeMonths: 0, maxAgeMonths: 71, capacity: 100 }] });
});
afterAll(async () => {
  await t?.stop();
  await db?.destroy();
  await pg?.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await p;
  return { value, ms: Date.now() - start };
}

test('requests fail fast with 503 while PostgreSQL is down, /healthz tells, and the server recovers by itself', async () => {
  const fams: BuiltHousehold[] = await Promise.all(Array.from({ length: 40 }, () => buildHousehold(db, site.siteId, [{ months: 24 }])));
  const checkIn = (f: BuiltHousehold, k = key()) =>
    t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: k });
  const ok = await checkIn(fams[0]!);
  expect(ok.status).toBe(201);
  expect((await t.api().get('/healthz')).body).toEqual({ status: 'ok', db: 'up' });

  // load in flight while the database stops
  const keys = fams.map(() => key());
  const inFlight = Promise.all(fams.slice(1, 20).map((f, i) => checkIn(f, keys[i + 1])));
  await pg.stop();
  const during = await inFlight;
  for (const r of during) expect([201, 503]).toContain(r.status);

  const down = await timed(checkIn(fams[20]!, keys[20]));
  expect(down.value.status).toBe(503);
  expect(down.value.body.error.code).toBe('database_unavailable');
  expect(down.ms).toBeLessThan(7000);
  const health = await timed(t.api().get('/healthz'));
  expect(health.value.status).toBe(503);
  expect(health.value.body.db).toBe('down');
  expect(health.ms).toBeLessThan(3000);
  const lookup = await t.api().get('/api/households').query({ phone: '1234' }).set(bearer(site.tokens.kiosk));
  expect(lookup.status).toBe(503);

  pg = await startControlledPostgres(dir, port);
  const deadline = Date.now() + 15_000;
  let healthy = false;
  while (Date.now() < deadline && !healthy) {
    healthy = (await t.api().get('/healthz')).status === 200;
    if (!healthy) await new Promise((r) => setTimeout(r, 250));
  }
  expect(healthy).toBe(true);
  // kiosks retry with their keys: every family ends up checked in exactly once
  const retried = await Promise.all(fams.slice(1, 21).map((f, i) => checkIn(f, keys[i + 1])));
  expect(retried.map((r) => r.status)).toEqual(retried.map(() => 201));
  const rows = await db('checkins').where({ service_id: site.serviceId }).select('child_id');
  expect(rows).toHaveLength(21);
  expect(new Set(rows.map((r) => r.child_id)).size).toBe(21);
});
