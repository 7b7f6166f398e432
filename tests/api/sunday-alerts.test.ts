/**
 * Sunday operations (DESIGN §14): an alert names the family a child was turned away from, and a
 * standing alert clears when a suitable room opens — the overflow room that takes the group's
 * children counts.
 */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const checkIn = async (site: Awaited<ReturnType<typeof buildSite>>, lastName?: string) => {
  const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }], lastName ? { lastName } : {});
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { refused: { reason: string }[] };
};
const standing = (serviceId: string) =>
  t.db('alerts').where({ service_id: serviceId }).whereNull('cleared_at').orderBy('kind').select('kind', 'age_group', 'message');

test('a child turned away: the room_full alert names the family', async () => {
  const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 1 }] });
  await checkIn(site);
  const refused = await checkIn(site, 'Quill');
  expect(refused.refused).toEqual([expect.objectContaining({ reason: 'room_full' })]);
  const full = (await standing(site.serviceId)).find((a) => a.kind === 'room_full');
  expect(full?.message).toBe('A child of the Quill family was turned away: every Toddlers room is full — open a new room');
});

test('opening an overflow room that takes the group clears "Toddlers is full" and the refusal alert; a closed one of another age does not', async () => {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 2, sortOrder: 1 },
      { name: 'Big kids overflow', kind: 'overflow', minGrade: 3, maxGrade: 5, capacity: 5, open: false, sortOrder: 8 },
      { name: 'Overflow', kind: 'overflow', minAgeMonths: 12, maxAgeMonths: 71, capacity: 5, open: false, sortOrder: 9 },
    ],
  });
  await checkIn(site);
  await checkIn(site);
  await checkIn(site, 'Turned'); // refused: every Toddlers room is full
  expect((await standing(site.serviceId)).map((a) => [a.kind, a.age_group, a.message])).toEqual([
    ['open_room', 'Toddlers', 'Open a new Toddlers room — Toddlers is full'],
    ['room_full', 'Toddlers', 'A child of the Turned family was turned away: every Toddlers room is full — open a new room'],
  ]);
  // an overflow room for other ages is no space for Toddlers
  let r = await t.api().patch(`/api/services/${site.serviceId}/rooms/${site.rooms['Big kids overflow']}`).set(bearer(site.tokens.staff)).send({ open: true });
  expect(r.status).toBe(200);
  expect(await standing(site.serviceId)).toHaveLength(2);
  r = await t.api().patch(`/api/services/${site.serviceId}/rooms/${site.rooms.Overflow}`).set(bearer(site.tokens.staff)).send({ open: true });
  expect(r.status).toBe(200);
  expect(await standing(site.serviceId)).toEqual([]);
  // the overflow room then fills: the group's alert comes back (judged with the overflow room's space)
  for (let i = 0; i < 5; i++) await checkIn(site);
  expect((await standing(site.serviceId)).map((a) => [a.kind, a.age_group])).toEqual(expect.arrayContaining([['open_room', 'Toddlers']]));
});
