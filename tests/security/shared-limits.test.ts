/**
 * One rate-limit mechanism, counted where every instance sees it (CONVENTIONS 21): two app
 * instances on one database give one limit, not two — for a limit on requests (family look-ups
 * per kiosk) and for one on failures only (wrong codes at the door).
 */
import { buildSite, kioskToken } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { VERIFY_FAILURES_PER_WINDOW } from '../../server/src/pickup/pickup.routes';

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await startTestApp({ env: { KIOSK_LOOKUPS_PER_MINUTE: '4' } });
  b = await startTestApp({ db: a.db, env: { KIOSK_LOOKUPS_PER_MINUTE: '4' } });
});
afterAll(async () => {
  await b.stop();
  await a.stop();
});

test('family look-ups: 4 a minute per kiosk, whichever instance answers', async () => {
  const site = await buildSite(a.db);
  const look = (t: TestApp) => t.api().get('/api/households?phone=0123').set(bearer(site.tokens.kiosk));
  const statuses = [];
  for (const t of [a, b, a, b, a, b]) statuses.push((await look(t)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  const refused = await look(a);
  expect(refused.body.error.code).toBe('rate_limited');
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
});

test('wrong codes at the door: one count for the door across both instances', async () => {
  const site = await buildSite(a.db);
  const door = await kioskToken(a.db, site.siteId, 'pickup');
  const statuses = [];
  for (let i = 0; i < VERIFY_FAILURES_PER_WINDOW + 2; i++)
    statuses.push((await (i % 2 ? b : a).api().post('/api/pickups/verify').set(bearer(door)).send({ securityCode: 'ZZZZ', serviceId: site.serviceId })).status);
  expect(statuses).toEqual([...Array(VERIFY_FAILURES_PER_WINDOW).fill(404), 429, 429]);
});
