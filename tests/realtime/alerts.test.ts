import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import type { AlertEvent } from '../../contracts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('filling a room to the threshold delivers alert.raised to a staff socket; opening another room delivers alert.cleared', async () => {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 5 },
      { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 5, open: false },
    ],
  });
  const staff = t.socket(site.tokens.staff);
  await connected(staff);
  const raised = nextEvent<AlertEvent>(staff, 'alert.raised');
  for (let i = 0; i < 4; i++) {
    const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  }
  const alert = await raised;
  expect(alert).toEqual(expect.objectContaining({ kind: 'open_room', ageGroup: 'Toddlers', serviceId: site.serviceId }));
  const cleared = nextEvent<AlertEvent>(staff, 'alert.cleared');
  const r = await t.api().patch(`/api/services/${site.serviceId}/rooms/${site.rooms.T2}`).set(bearer(site.tokens.staff)).send({ open: true });
  expect(r.status).toBe(200);
  const c = await cleared;
  expect(c.id).toBe(alert.id);
  expect(c.clearedAt).not.toBeNull();
});

test('a standing alert is reworded when the room fills (alert.updated), never raised twice', async () => {
  const site = await buildSite(t.db, { rooms: [{ name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 3 }] });
  const staff = t.socket(site.tokens.staff);
  await connected(staff);
  const raisedIds: string[] = [];
  staff.on('alert.raised', (a) => raisedIds.push(a.id));
  const updated: AlertEvent[] = [];
  staff.on('alert.updated', (a) => updated.push(a));
  for (let i = 0; i < 3; i++) {
    const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  }
  // a marker: a room change sent after the check-ins reaches the socket after everything they sent
  // (one connection keeps the server's order), so nothing more can be on its way
  const marker = new Promise<void>((resolve) =>
    staff.on('room.updated', (e: { room: { volunteers: number } }) => {
      if (e.room.volunteers === 7) resolve();
    }),
  );
  await t
    .api()
    .patch(`/api/services/${site.serviceId}/rooms/${site.rooms.T1}`)
    .set(bearer(site.tokens.staff))
    .send({ volunteers: 7, reason: 'a marker change' });
  await marker;
  expect(raisedIds).toHaveLength(1);
  expect(updated.length).toBeGreaterThanOrEqual(1);
  expect(updated.every((u) => u.id === raisedIds[0])).toBe(true);
  expect(updated[updated.length - 1]!.message).toBe('Open a new Toddlers room — Toddlers is full');
  const stored = await t.db('alerts').where({ id: raisedIds[0] }).first();
  expect(stored.message).toBe('Open a new Toddlers room — Toddlers is full');
});
