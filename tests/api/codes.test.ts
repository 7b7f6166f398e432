/** Codes are for families and staff (DESIGN §4): volunteers never read a code they were not handed. */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('rosters give the code to staff only; notification texts are masked for volunteers', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const code = ci.body.securityCode as string;
  const vol = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.volunteer));
  expect(vol.status).toBe(200);
  expect(vol.body.checkins[0]).not.toHaveProperty('securityCode');
  expect(JSON.stringify(vol.body)).not.toContain(code);
  const staff = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.staff));
  expect(staff.body.checkins[0].securityCode).toBe(code);

  const id = ci.body.checkins[0].id;
  const vn = await t.api().get(`/api/checkins/${id}/notifications`).set(bearer(site.tokens.volunteer));
  expect(vn.status).toBe(200);
  expect(vn.body.notifications.length).toBeGreaterThan(0);
  expect(JSON.stringify(vn.body)).not.toContain(code);
  expect(vn.body.notifications[0].body).toContain('••••');
  const sn = await t.api().get(`/api/checkins/${id}/notifications`).set(bearer(site.tokens.staff));
  expect(sn.body.notifications[0].body).toContain(code);
});
