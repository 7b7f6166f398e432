/**
 * Overload is not an outage (DESIGN §21): a request that could not get a database connection in
 * time answers 503 `busy` with Retry-After — the server is up, the kiosk retries on its own —
 * never `database_unavailable`, which means the database is down.
 */
import { buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 1 });
});
afterAll(async () => {
  await t.stop();
});

test('with the only pool connection held busy, a request answers 503 busy with Retry-After, and works again once it is free', async () => {
  const site = await buildSite(t.db);
  expect((await t.api().get('/api/services/current').set(bearer(site.tokens.staff))).status).toBe(200);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let holding!: () => void;
  const isHeld = new Promise<void>((r) => (holding = r));
  const tx = t.db.transaction(async (trx) => {
    await trx.raw('SELECT 1');
    holding();
    await held;
  });
  await isHeld;
  const r = await t.api().get('/api/services/current').set(bearer(site.tokens.staff));
  release();
  await tx;
  expect(r.status).toBe(503);
  expect(r.body.error.code).toBe('busy');
  expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  expect((await t.api().get('/api/services/current').set(bearer(site.tokens.staff))).status).toBe(200);
}, 30_000);
