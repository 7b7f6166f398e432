/** Live room state carries a version (CONVENTIONS habit 15): it grows with every change, in commit order. */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, caughtUp, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import type { RoomUpdatedEvent, ServiceRoom } from '../../contracts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('PATCH answers, room.updated events and GET carry one growing version per room', async () => {
  const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 10 }] });
  const id = site.rooms.Toddlers!;
  const staff = t.socket(site.tokens.staff);
  await connected(staff);
  const seen: number[] = [];
  staff.on('room.updated', (e: RoomUpdatedEvent) => {
    if (e.room.id === id) seen.push(e.room.version);
  });

  const first = (await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms.find(
    (r: ServiceRoom) => r.id === id,
  ) as ServiceRoom;
  expect(typeof first.version).toBe('number');
  const patched = nextEvent<RoomUpdatedEvent>(staff, 'room.updated');
  const p = await t
    .api()
    .patch(`/api/services/${site.serviceId}/rooms/${id}`)
    .set(bearer(site.tokens.staff))
    .send({ volunteers: 3, reason: 'counted in the room' });
  expect(p.body.room.version).toBeGreaterThan(first.version);
  expect((await patched).room.version).toBe(p.body.room.version);

  const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  const co = await t
    .api()
    .post('/api/checkouts')
    .set(bearer(site.tokens.staff))
    .send({
      checkinIds: [ci.body.checkins[0].id],
      securityCode: ci.body.securityCode,
      pickedUpBy: `Pat ${(await t.db('guardians').where({ id: f.guardianId }).first()).last_name}`,
    });
  expect(co.status).toBeLessThan(300);
  await caughtUp(t, staff, site.siteId);
  expect(seen.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  const last = (await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms.find(
    (r: ServiceRoom) => r.id === id,
  ) as ServiceRoom;
  expect(last.version).toBe(seen[seen.length - 1]);
  expect(last.headcount).toBe(0);
});
