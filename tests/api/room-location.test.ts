/**
 * Where a room is (#30, DESIGN §21): an admin gives a room its directions text, the check-in's
 * answer carries it beside each child's room (and on a replay of the same request), and a text
 * longer than 80 characters is a 400 naming `location`.
 */
import { MAX_ROOM_LOCATION_LENGTH } from '../../contracts';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const WHERE = 'Upstairs, second door on the left (the blue door)';

test('a room keeps its location: set on create, changed, cleared with an empty text, listed', async () => {
  const site = await buildSite(t.db);
  const admin = bearer(site.tokens.admin);
  const created = await t
    .api()
    .post('/api/rooms')
    .set(admin)
    .send({ name: 'Babies B', maxAgeMonths: 17, location: `  ${WHERE} ` });
  expect(created.status).toBe(201);
  expect(created.body.room.location).toBe(WHERE); // trimmed
  const plain = await t.api().post('/api/rooms').set(admin).send({ name: 'Babies C', maxAgeMonths: 17 });
  expect(plain.body.room.location).toBeNull();

  const moved = await t.api().patch(`/api/rooms/${created.body.room.id}`).set(admin).send({ location: 'Ground floor, by the café' });
  expect(moved.status).toBe(200);
  expect(moved.body.room.location).toBe('Ground floor, by the café');
  const listed = await t.api().get('/api/rooms').set(admin);
  expect(listed.body.rooms.find((r: { id: string }) => r.id === created.body.room.id).location).toBe('Ground floor, by the café');

  const cleared = await t.api().patch(`/api/rooms/${created.body.room.id}`).set(admin).send({ location: '   ' });
  expect(cleared.body.room.location).toBeNull();
  const nulled = await t.api().patch(`/api/rooms/${plain.body.room.id}`).set(admin).send({ location: null });
  expect(nulled.status).toBe(200);
  expect(nulled.body.room.location).toBeNull();
});

test('a location over 80 characters, or not a text, is a 400 naming `location`; nothing changes', async () => {
  const site = await buildSite(t.db);
  const admin = bearer(site.tokens.admin);
  const long = 'x'.repeat(MAX_ROOM_LOCATION_LENGTH + 1);
  const c = await t.api().post('/api/rooms').set(admin).send({ name: 'Far away', location: long });
  expect(c.status).toBe(400);
  expect(c.body.error.field).toBe('location');
  expect(c.body.error.message).toMatch(/location/);
  expect(await t.db('rooms').where({ site_id: site.siteId, name: 'Far away' }).first()).toBeUndefined();

  const p = await t.api().patch(`/api/rooms/${site.rooms.Toddlers}`).set(admin).send({ location: long });
  expect(p.status).toBe(400);
  expect(p.body.error.field).toBe('location');
  const n = await t.api().patch(`/api/rooms/${site.rooms.Toddlers}`).set(admin).send({ location: 42 });
  expect(n.status).toBe(400);
  expect(n.body.error.field).toBe('location');
  expect((await t.db('rooms').select('location').where({ id: site.rooms.Toddlers }).first()).location).toBeNull();

  // exactly 80 fits
  const fits = await t
    .api()
    .patch(`/api/rooms/${site.rooms.Toddlers}`)
    .set(admin)
    .send({ location: 'y'.repeat(MAX_ROOM_LOCATION_LENGTH) });
  expect(fits.status).toBe(200);
});

test("the check-in's answer carries each child's room location (null for a room without one), and so does a replay", async () => {
  const site = await buildSite(t.db);
  const admin = bearer(site.tokens.admin);
  expect((await t.api().patch(`/api/rooms/${site.rooms.Toddlers}`).set(admin).send({ location: WHERE })).status).toBe(200);
  const fam = await buildHousehold(t.db, site.siteId, [
    { months: 24, firstName: 'Tia' },
    { months: 48, firstName: 'Pia' },
  ]);
  const body = { serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() };
  const r = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(body);
  expect(r.status).toBe(201);
  const byName = Object.fromEntries(r.body.checkins.map((c: { firstName: string; roomName: string; roomLocation: string | null }) => [c.firstName, c]));
  expect(byName.Tia).toEqual(expect.objectContaining({ roomName: 'Toddlers', roomLocation: WHERE }));
  expect(byName.Pia).toEqual(expect.objectContaining({ roomName: 'Preschool', roomLocation: null }));

  const again = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(body);
  expect(again.status).toBeLessThan(300);
  expect(again.body.checkins).toEqual(r.body.checkins);
});
