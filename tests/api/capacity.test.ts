import { buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const checkIn = (site: BuiltSite, householdId: string, childIds: string[], token = site.tokens.kiosk) =>
  t.api().post('/api/checkins').set(bearer(token)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const patch = (site: BuiltSite, roomId: string, body: object, token = site.tokens.staff) =>
  t.api().patch(`/api/services/${site.serviceId}/rooms/${roomId}`).set(bearer(token)).send(body);
const rooms = async (site: BuiltSite) => (await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as any[];
const room = async (site: BuiltSite, name: string) => (await rooms(site)).find((r) => r.name === name);
const alerts = async (site: BuiltSite) =>
  (await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(site.tokens.staff))).body.alerts as any[];

describe('limits and staff controls', () => {
  test('the ratio limits a room until volunteers arrive; staff override the ratio (audited, named) but never the capacity', async () => {
    const site = await buildSite(t.db, {
      settings: { ratioEnforcement: 'enforce', twoAdultRule: false },
      rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 6, ratio: 2, volunteers: 1 }],
    });
    expect(await room(site, 'Toddlers')).toEqual(expect.objectContaining({ capacity: 6, volunteers: 1, ratio: 2, limit: 2, headcount: 0, status: 'open' }));
    const kids = await Promise.all(Array.from({ length: 8 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    const first = [];
    for (const k of kids.slice(0, 3)) first.push((await checkIn(site, k.householdId, k.childIds)).body);
    expect(first.map((r) => r.checkins.length)).toEqual([1, 1, 0]);
    expect(first[2].refused[0].reason).toBe('waiting_for_volunteers');
    expect(await room(site, 'Toddlers')).toEqual(expect.objectContaining({ headcount: 2, limit: 2, status: 'full' }));

    const over = await patch(site, site.rooms.Toddlers!, { ratioOverride: true });
    expect(over.status).toBe(200);
    expect(over.body.room).toEqual(expect.objectContaining({ limit: 6, ratioOverride: true }));
    const audit = await t.db('audit_log').where({ entity_id: site.rooms.Toddlers, action: 'room.ratio_override' }).first();
    expect(audit.actor_id).toBe(site.userIds.staff);
    expect(audit.details.by).toBe('Test staff');
    for (const k of kids.slice(3)) await checkIn(site, k.householdId, k.childIds);
    expect(await room(site, 'Toddlers')).toEqual(expect.objectContaining({ headcount: 6, limit: 6, status: 'full' }));
    // capacity is never passed, and cannot be set below the children present
    const below = await patch(site, site.rooms.Toddlers!, { capacity: 5 });
    expect(below.status).toBe(409);
    expect(below.body.error.code).toBe('capacity_below_headcount');
    const volunteersUp = await patch(site, site.rooms.Toddlers!, { volunteers: 10, reason: 'counted in the room', ratioOverride: false });
    expect(volunteersUp.body.room.limit).toBe(6);
  });

  test('site without ratio enforcement: limit is capacity', async () => {
    const site = await buildSite(t.db, {
      settings: { ratioEnforcement: 'off' },
      rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 6, ratio: 2, volunteers: 1 }],
    });
    expect((await room(site, 'Toddlers')).limit).toBe(6);
  });

  test('closing a room stops check-ins to it; volunteers cannot change rooms', async () => {
    const site = await buildSite(t.db);
    expect((await patch(site, site.rooms.Toddlers!, { open: false }, site.tokens.volunteer)).status).toBe(403);
    expect((await patch(site, site.rooms.Toddlers!, { open: false })).body.room.status).toBe('closed');
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await checkIn(site, fam.householdId, fam.childIds);
    expect(r.body.checkins[0].roomName).toBe('Overflow');
  });

  test('balance strategy spreads children; fill_in_order fills the first room first', async () => {
    const spec = [
      { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 1 },
      { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 2 },
    ];
    const balanced = await buildSite(t.db, { settings: { strategy: 'balance' }, rooms: spec });
    const ordered = await buildSite(t.db, { settings: { strategy: 'fill_in_order' }, rooms: spec });
    for (const site of [balanced, ordered]) {
      for (let i = 0; i < 4; i++) {
        const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
        await checkIn(site, f.householdId, f.childIds);
      }
    }
    expect((await rooms(balanced)).map((r) => r.headcount)).toEqual([2, 2]);
    expect((await rooms(ordered)).map((r) => r.headcount)).toEqual([4, 0]);
  });

  test('siblings in the same age group stay together', async () => {
    const site = await buildSite(t.db, {
      settings: { strategy: 'balance' },
      rooms: [
        { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 1 },
        { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 2 },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const twins = await buildHousehold(t.db, site.siteId, [{ months: 20 }, { months: 20 }, { months: 30 }]);
      const r = await checkIn(site, twins.householdId, twins.childIds);
      expect(new Set(r.body.checkins.map((c: { roomId: string }) => c.roomId)).size).toBe(1);
    }
  });

  test('move a child to another room, under the same rules', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10 },
        { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 1 },
      ],
    });
    const a = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const b = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const ra = await checkIn(site, a.householdId, a.childIds);
    const rb = await checkIn(site, b.householdId, b.childIds);
    const move = (id: string, roomId: string, token = site.tokens.staff) => t.api().post(`/api/checkins/${id}/move`).set(bearer(token)).send({ roomId });
    expect((await move(ra.body.checkins[0].id, site.rooms.T2!, site.tokens.volunteer)).status).toBe(403);
    expect((await move(ra.body.checkins[0].id, site.rooms.T2!)).status).toBe(200);
    const full = await move(rb.body.checkins[0].id, site.rooms.T2!);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('room_full');
    expect((await rooms(site)).map((r) => r.headcount)).toEqual([1, 1]);
    const wrongAge = await t
      .db('rooms')
      .insert({ site_id: site.siteId, name: 'Nursery', age_group: 'Nursery', min_age_months: 0, max_age_months: 17, default_capacity: 10 })
      .returning('id');
    await t.db('service_rooms').insert({ service_id: site.serviceId, room_id: wrongAge[0].id, open: true, capacity: 10 });
    const notEligible = await move(rb.body.checkins[0].id, wrongAge[0].id);
    expect(notEligible.status).toBe(409);
    expect(notEligible.body.error.code).toBe('not_eligible');
    expect(await t.db('audit_log').where({ action: 'checkin.move', entity_id: ra.body.checkins[0].id }).first()).toBeTruthy();
  });
});

describe('open-a-new-room alerts', () => {
  test('raised once when every room of the group passes the threshold, cleared when a room opens, acknowledged by staff', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10 },
        { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, open: false },
      ],
    });
    for (let i = 0; i < 7; i++) {
      const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
      await checkIn(site, f.householdId, f.childIds);
    }
    // those arrived half an hour ago: no arrival rate to project from, only the threshold
    await t
      .db('checkins')
      .where({ service_id: site.serviceId })
      .update({ checked_in_at: t.db.raw("now() - interval '30 minutes'") });
    await t.db('alerts').where({ service_id: site.serviceId }).del();
    const more = async () => {
      const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
      await checkIn(site, f.householdId, f.childIds);
    };
    await more(); // 8 of 10 = the 80 % threshold
    let list = (await alerts(site)).filter((a) => a.kind === 'open_room');
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual(expect.objectContaining({ ageGroup: 'Toddlers', clearedAt: null }));
    expect(list[0].message).toMatch(/^Open a new Toddlers room/);
    await more(); // still the same standing condition: not raised twice
    expect((await alerts(site)).filter((a) => a.kind === 'open_room')).toHaveLength(1);

    const ack = await t.api().post(`/api/alerts/${list[0].id}/ack`).set(bearer(site.tokens.staff));
    expect(ack.status).toBe(200);
    expect(ack.body.alert.acknowledgedAt).not.toBeNull();
    expect((await t.api().post(`/api/alerts/${list[0].id}/ack`).set(bearer(site.tokens.volunteer))).status).toBe(403);

    await patch(site, site.rooms.T2!, { open: true });
    list = (await alerts(site)).filter((a) => a.kind === 'open_room');
    expect(list).toHaveLength(1);
    expect(list[0].clearedAt).not.toBeNull();
  });

  test('the arrival rate projects the group full within 10 minutes', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 40 }] });
    // 12 arrivals in the last 10 minutes with 28 seats left → 1.2/min → ~24 min: no alert yet
    for (let i = 0; i < 12; i++) {
      const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
      await checkIn(site, f.householdId, f.childIds);
    }
    expect((await alerts(site)).filter((a) => a.kind === 'open_room')).toEqual([]);
    // staff lower the capacity to 20: 8 seats at 1.2/min → ~7 min
    await patch(site, site.rooms.Toddlers!, { capacity: 20 });
    const list = (await alerts(site)).filter((a) => a.kind === 'open_room');
    expect(list).toHaveLength(1);
    expect(list[0].projectedMinutes).toBe(7);
    expect(list[0].message).toBe('Open a new Toddlers room — full in ~7 min at the current rate');
  });

  test('a refused child raises one room_full alert; checkouts clear it', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 1 }] });
    const fams = await Promise.all([1, 2, 3].map(() => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    const results = [];
    for (const f of fams) results.push((await checkIn(site, f.householdId, f.childIds)).body);
    const full = (await alerts(site)).filter((a) => a.kind === 'room_full');
    expect(full).toHaveLength(1);
    expect(full[0].clearedAt).toBeNull();
    const c = results[0].checkins[0];
    await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [c.id], securityCode: results[0].securityCode, pickupPersonId: fams[0]!.guardianId });
    expect((await alerts(site)).filter((a) => a.kind === 'room_full' && a.clearedAt == null)).toEqual([]);
  });

  test('300 simultaneous check-ins from 10 kiosks over 3 rooms of 10 and an overflow of 5 admit exactly 35, with one alert per condition', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'A', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 1 },
        { name: 'B', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 2 },
        { name: 'C', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 3 },
        { name: 'Overflow', kind: 'overflow', minAgeMonths: 0, maxAgeMonths: 71, capacity: 5, sortOrder: 0 },
      ],
    });
    const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 9 }, () => kioskToken(t.db, site.siteId))))];
    const fams = await Promise.all(Array.from({ length: 300 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    const results = await Promise.all(fams.map((f, i) => checkIn(site, f.householdId, f.childIds, kiosks[i % 10])));
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    expect(results.filter((r) => r.body.checkins.length === 1)).toHaveLength(35);
    const refusals = results.flatMap((r) => r.body.refused);
    expect(refusals).toHaveLength(265);
    expect(refusals.every((x: { reason: string }) => x.reason === 'room_full')).toBe(true);
    for (const r of await rooms(site)) expect(r.headcount).toBe(r.limit);
    const all = await alerts(site);
    const perCondition = new Map<string, number>();
    for (const a of all) perCondition.set(`${a.kind}:${a.ageGroup}`, (perCondition.get(`${a.kind}:${a.ageGroup}`) ?? 0) + 1);
    expect(Object.fromEntries(perCondition)).toEqual({ 'open_room:Toddlers': 1, 'open_room:Overflow': 1, 'room_full:Toddlers': 1 });
  });
});
