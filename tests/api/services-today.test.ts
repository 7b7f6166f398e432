/** Pickup outlives check-in (DESIGN §4): today's services with children in stay served after the window closes. */
import { buildHousehold, buildSite, kioskToken, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/**
 * "Today" is the campus's date: a campus whose clock reads about midday now, so the services these
 * tests make (a few hours either side of now) fall on its today at whatever hour the suite runs
 * (near a campus's midnight, a service starting soon belongs to tomorrow).
 */
const middayZone = () => {
  const offset = Math.max(-12, Math.min(14, 12 - new Date().getUTCHours()));
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

test("a closed window with children in: still today's service, verified and checked out by code; gone when the last child is out", async () => {
  const site = await buildSite(t.db, { timezone: middayZone() });
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 30 }]);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  // an empty service of today whose window closed is not listed
  const [empty] = await t
    .db('services')
    .insert({
      site_id: site.siteId,
      name: 'Early',
      starts_at: new Date(Date.now() - 3 * 3600_000),
      checkin_opens_at: new Date(Date.now() - 4 * 3600_000),
      checkin_closes_at: new Date(Date.now() - 2 * 3600_000),
      service_date: (await t.db('services').where({ id: site.serviceId }).first()).service_date,
    })
    .returning('id');
  await t
    .db('services')
    .where({ id: site.serviceId })
    .update({ checkin_opens_at: new Date(Date.now() - 3 * 3600_000), checkin_closes_at: new Date(Date.now() - 60_000) });

  const current = await t.api().get('/api/services/current').set(bearer(site.tokens.volunteer));
  expect(current.body.services).toEqual([]); // kiosks' check-in keeps its meaning
  const today = await t.api().get('/api/services/today').set(bearer(site.tokens.volunteer));
  expect(today.status).toBe(200);
  expect(today.body.services).toEqual([expect.objectContaining({ id: site.serviceId, checkinOpen: false, childrenIn: 2 })]);
  expect(today.body.services.map((s: { id: string }) => s.id)).not.toContain(empty.id);
  // a pickup kiosk sees it too; a check-in kiosk has no business here
  expect(
    (
      await t
        .api()
        .get('/api/services/today')
        .set(bearer(await kioskToken(t.db, site.siteId, 'pickup')))
    ).status,
  ).toBe(200);
  expect((await t.api().get('/api/services/today').set(bearer(site.tokens.kiosk))).status).toBe(403);

  const v = await t
    .api()
    .post('/api/pickups/verify')
    .set(bearer(site.tokens.volunteer))
    .send({ securityCode: ci.body.securityCode, serviceId: site.serviceId });
  expect(v.status).toBe(200);
  const roster = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.volunteer));
  expect(roster.body.checkins).toHaveLength(2);
  const ids = ci.body.checkins.map((c: { id: string }) => c.id);
  expect(
    (
      await t
        .api()
        .post('/api/checkouts')
        .set(bearer(site.tokens.volunteer))
        .send({ checkinIds: [ids[0]], securityCode: ci.body.securityCode, pickupPersonId: fam.guardianId })
    ).status,
  ).toBe(200);
  expect((await t.api().get('/api/services/today').set(bearer(site.tokens.volunteer))).body.services[0].childrenIn).toBe(1);
  expect(
    (
      await t
        .api()
        .post('/api/checkouts')
        .set(bearer(site.tokens.volunteer))
        .send({ checkinIds: [ids[1]], securityCode: ci.body.securityCode, pickupPersonId: fam.guardianId })
    ).status,
  ).toBe(200);
  expect((await t.api().get('/api/services/today').set(bearer(site.tokens.volunteer))).body.services).toEqual([]);
});

test("yesterday's service with a child never checked out is not today's; an open window is listed with checkinOpen", async () => {
  const site = await buildSite(t.db, { timezone: middayZone() });
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const open = await t.api().get('/api/services/today').set(bearer(site.tokens.staff));
  expect(open.body.services).toEqual([expect.objectContaining({ id: site.serviceId, checkinOpen: true, childrenIn: 1 })]);
  await t
    .db('services')
    .where({ id: site.serviceId })
    .update({
      service_date: t.db.raw('service_date - 1'),
      checkin_opens_at: new Date(Date.now() - 30 * 3600_000),
      checkin_closes_at: new Date(Date.now() - 26 * 3600_000),
    });
  expect((await t.api().get('/api/services/today').set(bearer(site.tokens.staff))).body.services).toEqual([]);
  // another site's staff never see it
  const other = await buildSite(t.db, { timezone: middayZone() });
  expect(JSON.stringify((await t.api().get('/api/services/today').set(bearer(other.tokens.staff))).body)).not.toContain(site.serviceId);
});
