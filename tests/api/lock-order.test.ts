/**
 * One global lock order for everything that writes alerts or room state (DESIGN §3, §15): two
 * overlapping services sharing the rooms of one age group, with checkouts, check-ins, moves and
 * staff room changes from both services at once, round after round. Each path used to refresh
 * the age group's alerts of its own service first and the other service's next, so two at once
 * could wait on each other in opposite orders: a PostgreSQL deadlock, a 503 for one parent.
 */
import { addService, buildHousehold, buildSite, key, kioskToken } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const ROUNDS = 12;

/** Two rooms of one age group, shared by two overlapping services; helpers to fill and empty them. */
async function twoServicesTwoRooms(capacity: number) {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 0, maxAgeMonths: 71, capacity, ratio: null, volunteers: 4, sortOrder: 1 },
      { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 0, maxAgeMonths: 71, capacity, ratio: null, volunteers: 4, sortOrder: 2 },
    ],
  });
  const s1 = site.serviceId;
  const s2 = await addService(t.db, site, { name: '10:30', startsInMinutes: 40 });
  const [roomA, roomB] = [site.rooms['Toddlers A']!, site.rooms['Toddlers B']!];
  const kiosks = [site.tokens.kiosk, await kioskToken(t.db, site.siteId)];
  const codes = new Map<string, { code: string; guardianId: string }>();
  let n = 0;
  /** a new family ready to check in (returns the request to send) */
  const checkIn = async (serviceId: string) => {
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: `K${++n}`, months: 30 }], { lastName: `Fam${n}` });
    return async () => {
      const r = await t
        .api()
        .post('/api/checkins')
        .set(bearer(kiosks[n % 2]!))
        .send({ serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      if (r.status === 201) codes.set(r.body.checkins[0].id, { code: r.body.securityCode, guardianId: fam.guardianId });
      return r;
    };
  };
  const open = (serviceId: string, roomId: string) =>
    t.db('checkins').where({ service_id: serviceId, room_id: roomId, status: 'checked_in' }).orderBy('checked_in_at').pluck('id') as Promise<string[]>;
  const checkout = (id: string) =>
    t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [id], securityCode: codes.get(id)!.code, pickupPersonId: codes.get(id)!.guardianId });
  const move = (id: string, roomId: string) => t.api().post(`/api/checkins/${id}/move`).set(bearer(site.tokens.staff)).send({ roomId });
  /** the first service's children back in room A, the second's in room B */
  const sortOut = async () => {
    for (const [s, from, to] of [
      [s2, roomA, roomB],
      [s1, roomB, roomA],
    ] as const)
      for (const id of await open(s, from)) expect((await move(id, to)).status).toBe(200);
  };
  return { site, s1, s2, roomA, roomB, checkIn, open, checkout, move, sortOut };
}

test('two checkouts at once from two overlapping services, in two rooms of one age group, each clearing both services’ alerts: no deadlock', async () => {
  // rooms of 10 (nearly full at 8) holding 8 each: the first service's children in A, the second's in B
  const { site, s1, s2, roomA, roomB, checkIn, open, checkout, sortOut } = await twoServicesTwoRooms(10);
  for (let i = 0; i < 16; i++) expect((await (await checkIn(i < 8 ? s1 : s2))()).status).toBe(201);
  await sortOut();
  for (let round = 0; round < ROUNDS; round++) {
    // every room of the group nearly full, nobody arriving lately: both services' "open a new room" stands,
    // and any checkout clears both (its own service's first, then the other's)
    await t
      .db('checkins')
      .whereIn('service_id', [s1, s2])
      .update({ checked_in_at: t.db.raw("now() - interval '30 minutes'") });
    await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at').update({ cleared_at: t.db.fn.now() });
    for (const serviceId of [s1, s2])
      await t.db('alerts').insert({
        organization_id: site.organizationId,
        site_id: site.siteId,
        service_id: serviceId,
        kind: 'open_room',
        age_group: 'Toddlers',
        room_ids: [roomA, roomB],
        message: 'Open a new Toddlers room — every Toddlers room is nearly full',
      });
    const [a, b] = [await open(s1, roomA), await open(s2, roomB)];
    expect([a.length, b.length]).toEqual([8, 8]);
    const answers = await Promise.all([checkout(a[0]!), checkout(b[0]!), checkout(a[1]!), checkout(b[1]!)]);
    expect({ round, statuses: answers.map((r) => r.status) }).toEqual({ round, statuses: [200, 200, 200, 200] });
    expect(await t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at')).toEqual([]);
    // back to 8 and 8
    for (let i = 0; i < 4; i++) expect((await (await checkIn(i < 2 ? s1 : s2))()).status).toBe(201);
    await sortOut();
  }
}, 120_000);

const STORM_ROUNDS = 12;

test('simultaneous cross-service checkouts, check-ins, moves and room changes: no deadlock, no 503, over many rounds', async () => {
  const { site, s1, s2, roomA, roomB, checkIn, open, checkout, move, sortOut } = await twoServicesTwoRooms(14);
  const roomChange = (serviceId: string, roomId: string, capacity: number) =>
    t.api().patch(`/api/services/${serviceId}/rooms/${roomId}`).set(bearer(site.tokens.staff)).send({ capacity });

  // both rooms filling up from both services: the age group's "open a new room" alert stands for each
  for (let i = 0; i < 16; i++) expect((await (await checkIn(i % 2 ? s2 : s1))()).status).toBe(201);
  await sortOut();

  const statuses: number[] = [];
  for (let round = 0; round < STORM_ROUNDS; round++) {
    const [a1, b2] = [await open(s1, roomA), await open(s2, roomB)];
    const ins = [await checkIn(s1), await checkIn(s2), await checkIn(s1), await checkIn(s2)];
    const answers = await Promise.all([
      checkout(a1[0]!),
      checkout(b2[0]!),
      checkout(a1[2]!),
      checkout(b2[2]!),
      ...ins.map((go) => go()),
      move(a1[1]!, roomB).then(() => move(a1[1]!, roomA)),
      move(b2[1]!, roomA).then(() => move(b2[1]!, roomB)),
      roomChange(s1, roomA, 14 + (round % 2)),
      roomChange(s2, roomB, 14 + (round % 2)),
    ]);
    statuses.push(...answers.map((r) => r.status));
    // the newcomers go back to their service's room for the next round
    await sortOut();
  }
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(await t.db('alerts').where({ site_id: site.siteId }).count<{ n: string }[]>('* as n')).not.toEqual([{ n: '0' }]);
}, 120_000);
