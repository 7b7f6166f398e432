/**
 * A wall display (DESIGN §14): paired once with an admin's code, it reads rooms and alerts and
 * hears their events — never check-ins (children's names), never a family's name, and a revoked
 * display is signed out at once.
 */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, caughtUp, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import type { AlertEvent } from '../../contracts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('pair a display, read rooms and alerts, hear room and alert events only (no names); revoking it ends it', async () => {
  const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 1 }] });
  const created = await t.api().post('/api/displays').set(bearer(site.tokens.admin)).send({ name: 'Lobby TV' });
  expect(created.status).toBe(201);
  const paired = await t.api().post('/api/displays/pair').send({ pairingCode: created.body.pairingCode });
  expect(paired.status).toBe(200);
  const token = paired.body.token as string;
  expect(token).toMatch(/^d_/);
  expect((await t.api().post('/api/displays/pair').send({ pairingCode: created.body.pairingCode })).status).toBe(400); // single use
  expect((await t.api().get('/api/display/me').set(bearer(token))).body.display.name).toBe('Lobby TV');
  expect((await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(token))).status).toBe(200);
  expect((await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(token))).status).toBe(403);

  const tv = t.socket(token);
  await connected(tv);
  const names: string[] = [];
  tv.onAny((n) => names.push(n));
  const raised: AlertEvent[] = [];
  tv.on('alert.raised', (a: AlertEvent) => raised.push(a));
  for (const last of ['First', 'Quill']) {
    const f = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zora', months: 24 }], { lastName: last });
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  }
  await caughtUp(t, tv, site.siteId, { displayId: created.body.display.id });
  expect(names).toContain('room.updated');
  expect(names).not.toContain('checkin.created');
  const full = raised.find((a) => a.kind === 'room_full')!;
  expect(full.message).toBe('A child was turned away: every Toddlers room is full — open a new room');
  const listed = (await t.api().get(`/api/alerts?serviceId=${site.serviceId}`).set(bearer(token))).body.alerts as AlertEvent[];
  expect(JSON.stringify(listed)).not.toContain('Quill');
  expect(JSON.stringify(names)).not.toContain('Zora');
  // staff still see the family
  const staffList = (await t.api().get(`/api/alerts?serviceId=${site.serviceId}`).set(bearer(site.tokens.staff))).body.alerts as AlertEvent[];
  expect(staffList.find((a) => a.kind === 'room_full')!.message).toContain('Quill family');

  const ended = nextEvent(tv, 'session.ended');
  expect((await t.api().delete(`/api/displays/${created.body.display.id}`).set(bearer(site.tokens.admin))).status).toBe(204);
  await ended;
  expect((await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(token))).status).toBe(401);
});
