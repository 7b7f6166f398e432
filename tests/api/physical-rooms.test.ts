/**
 * One room, one count (DESIGN §3, §4): a room's headcount is physical — the distinct children in
 * it that day across every service — and a family holds one code and pass for the day.
 */
import crypto from 'node:crypto';
import { addService, buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const NURSERY_ONLY = [{ name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 3, sortOrder: 1 }];
const post = (token: string, body: Record<string, unknown>) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(token))
    .send({ idempotencyKey: key(), ...body });
const physicalCount = async (roomId: string) =>
  Number((await t.db('checkins').where({ room_id: roomId, status: 'checked_in' }).countDistinct('child_id as n'))[0]!.n);

describe('physical headcount across overlapping services', () => {
  test('200 simultaneous check-ins over two overlapping services admit exactly 3 to a room of 3; a checkout from the first frees exactly one seat for the second', async () => {
    const site = await buildSite(t.db, { rooms: NURSERY_ONLY });
    const second = await addService(t.db, site, { name: '10:30' });
    const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 5 }, () => kioskToken(t.db, site.siteId))))];
    const fams = await Promise.all(
      Array.from({ length: 200 }, (_, i) => buildHousehold(t.db, site.siteId, [{ firstName: `Baby${i}`, months: 6 }], { lastName: `Fam${i}` })),
    );
    const results = await Promise.all(
      fams.map((f, i) => post(kiosks[i % kiosks.length]!, { serviceId: i % 2 ? second : site.serviceId, householdId: f.householdId, childIds: f.childIds })),
    );
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    const admitted = results.filter((r) => r.body.checkins.length === 1);
    expect(admitted).toHaveLength(3);
    expect(await physicalCount(site.rooms.Nursery!)).toBe(3);
    for (const r of results.filter((x) => x.body.checkins.length === 0)) expect(r.body.refused[0].reason).toBe('room_full');

    // both dashboards show the physical count
    for (const s of [site.serviceId, second]) {
      const rooms = await t.api().get(`/api/services/${s}/rooms`).set(bearer(site.tokens.staff));
      expect(rooms.body.rooms[0]).toMatchObject({ headcount: 3, status: 'full' });
    }

    // a checkout of a first-service child frees exactly one seat, which the second service can take
    const firstService = admitted.find((r) => r.body.checkins[0].serviceId === site.serviceId) ?? admitted[0]!;
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.staff))
      .send({
        checkinIds: [firstService.body.checkins[0].id],
        securityCode: firstService.body.securityCode,
        pickedUpBy: `Pat Fam${results.indexOf(firstService)}`,
      });
    expect(out.status).toBe(200);
    const waiting = fams.filter((_, i) => results[i]!.body.checkins.length === 0).slice(0, 20);
    const retry = await Promise.all(
      waiting.map((f, i) => post(kiosks[i % kiosks.length]!, { serviceId: second, householdId: f.householdId, childIds: f.childIds })),
    );
    expect(retry.filter((r) => r.body.checkins.length === 1)).toHaveLength(1);
    expect(await physicalCount(site.rooms.Nursery!)).toBe(3);
  });

  test('staff cannot set a capacity below the physical headcount, and a move into a room full from another service is refused', async () => {
    const site = await buildSite(t.db, { rooms: [...NURSERY_ONLY, { name: 'Nursery B', minAgeMonths: 0, maxAgeMonths: 17, capacity: 3, sortOrder: 2 }] });
    const second = await addService(t.db, site);
    const fams = await Promise.all(Array.from({ length: 4 }, (_, i) => buildHousehold(t.db, site.siteId, [{ firstName: `Kid${i}`, months: 6 }])));
    // three in Nursery through the first service, one in Nursery B through the second
    for (const f of fams.slice(0, 3))
      expect((await post(site.tokens.kiosk, { serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds })).body.checkins[0].roomName).toBe(
        'Nursery',
      );
    const late = await post(site.tokens.kiosk, { serviceId: second, householdId: fams[3]!.householdId, childIds: fams[3]!.childIds });
    expect(late.body.checkins[0].roomName).toBe('Nursery B');
    const patch = await t.api().patch(`/api/services/${second}/rooms/${site.rooms.Nursery}`).set(bearer(site.tokens.staff)).send({ capacity: 2 });
    expect(patch.status).toBe(409);
    expect(patch.body.error.code).toBe('capacity_below_headcount');
    const move = await t.api().post(`/api/checkins/${late.body.checkins[0].id}/move`).set(bearer(site.tokens.staff)).send({ roomId: site.rooms.Nursery });
    expect(move.status).toBe(409);
    expect(move.body.error.code).toBe('room_full');
  });
});

describe('one family, one code per day', () => {
  async function family(
    site: BuiltSite,
    children = [
      { firstName: 'Ava', months: 6 },
      { firstName: 'Ben', months: 8 },
    ],
  ) {
    return buildHousehold(t.db, site.siteId, children, { lastName: `Ng${crypto.randomInt(1e6)}` });
  }

  test('a late sibling, a child placed after a refusal and a second service all get the code and pass the family holds', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 2, sortOrder: 1 }] });
    const second = await addService(t.db, site, { rooms: { Nursery: { capacity: 4 } } });
    const filler = await buildHousehold(t.db, site.siteId, [{ months: 6 }]);
    expect(
      (await post(site.tokens.kiosk, { serviceId: site.serviceId, householdId: filler.householdId, childIds: filler.childIds })).body.checkins,
    ).toHaveLength(1);
    const fam = await family(site, [
      { firstName: 'Ava', months: 6 },
      { firstName: 'Ben', months: 8 },
      { firstName: 'Cal', months: 9 },
    ]);

    const first = await post(site.tokens.kiosk, { serviceId: site.serviceId, householdId: fam.householdId, childIds: [fam.childIds[0], fam.childIds[1]] });
    expect(first.body.checkins.map((c: { firstName: string }) => c.firstName)).toEqual(['Ava']);
    expect(first.body.refused).toMatchObject([{ childId: fam.childIds[1], reason: 'room_full' }]);
    const code = first.body.securityCode as string;
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ2456789]{4}$/);

    // Ben, refused by the full 9:00 room, goes to the 10:30 service (its Nursery takes 4); the
    // parent shows the tag at the kiosk (a kiosk is never handed the day's code without it, DESIGN §16)
    const afterRefusal = await post(site.tokens.kiosk, { serviceId: second, householdId: fam.householdId, childIds: [fam.childIds[1]], proof: code });
    expect(afterRefusal.body.checkins).toHaveLength(1);
    // the late sibling
    const late = await post(site.tokens.kiosk, { serviceId: second, householdId: fam.householdId, childIds: [fam.childIds[2]], proof: first.body.pickupUrl });
    expect(late.body.checkins).toHaveLength(1);
    for (const r of [afterRefusal, late]) {
      expect(r.body).toMatchObject({ securityCode: code, batchId: first.body.batchId, pickupUrl: first.body.pickupUrl, joined: true });
    }
    expect(first.body.joined).toBe(false);
    const batches = await t.db('checkin_batches').where({ household_id: fam.householdId });
    expect(batches).toHaveLength(1);
    expect(await t.db('pickup_passes').where({ batch_id: first.body.batchId })).toHaveLength(1);
    expect(new Set((await t.db('checkins').where({ household_id: fam.householdId })).map((c) => c.security_code))).toEqual(new Set([code]));

    // the parent's texts: the first says checked in, the later ones who was added, with the same code
    const texts = (await t.db('notifications').where({ batch_id: first.body.batchId, kind: 'checkin_receipt' }).orderBy('created_at').orderBy('id')).map(
      (n) => n.body as string,
    );
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('Ava (Nursery) checked in');
    expect(texts.slice(1).join(' ')).toMatch(/Ben \(Nursery\) added/);
    expect(texts.slice(1).join(' ')).toMatch(/Cal \(Nursery\) added/);
    for (const x of texts) expect(x).toContain(code);

    // one code picks up all three: the door sees every child of the family today
    const verify = await t.api().post('/api/pickups/verify').set(bearer(site.tokens.staff)).send({ securityCode: code, serviceId: second });
    expect(verify.status).toBe(200);
    expect(verify.body.checkins.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Ava', 'Ben', 'Cal']);
  });

  test('a child still checked in is refused a second open check-in in another service; staff can add it on purpose; picked up, the child can come back for an evening event', async () => {
    const site = await buildSite(t.db);
    const second = await addService(t.db, site);
    const fam = await family(site, [{ firstName: 'Dot', months: 24 }]);
    const first = await post(site.tokens.kiosk, { serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds });
    expect(first.body.checkins).toHaveLength(1);
    const again = await post(site.tokens.kiosk, { serviceId: second, householdId: fam.householdId, childIds: fam.childIds });
    expect(again.status).toBe(201);
    expect(again.body.checkins).toEqual([]);
    expect(again.body.refused).toMatchObject([{ childId: fam.childIds[0], reason: 'already_checked_in', serviceId: second }]);
    expect(again.body.securityCode).toBeNull();

    // the kiosk cannot extend a stay; staff can, and the child keeps its room (no second seat taken)
    expect((await post(site.tokens.kiosk, { serviceId: second, householdId: fam.householdId, childIds: fam.childIds, extendStay: true })).status).toBe(403);
    const extended = await post(site.tokens.staff, { serviceId: second, householdId: fam.householdId, childIds: fam.childIds, extendStay: true });
    expect(extended.body.checkins).toMatchObject([{ serviceId: second, roomId: first.body.checkins[0].roomId }]);
    expect(extended.body.securityCode).toBe(first.body.securityCode);
    expect(await physicalCount(first.body.checkins[0].roomId)).toBe(1);

    // picked up (both placements), then back for the evening: the same code, the pass alive again
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.staff))
      .send({
        checkinIds: [first.body.checkins[0].id, extended.body.checkins[0].id],
        securityCode: first.body.securityCode,
        pickedUpBy: await t
          .db('guardians')
          .where({ household_id: fam.householdId })
          .first()
          .then((g) => `${g.first_name} ${g.last_name}`),
      });
    expect(out.status).toBe(200);
    const evening = await addService(t.db, site, { name: 'Evening' });
    const back = await post(site.tokens.kiosk, { serviceId: evening, householdId: fam.householdId, childIds: fam.childIds, proof: first.body.securityCode });
    expect(back.body.checkins).toHaveLength(1);
    expect(back.body.securityCode).toBe(first.body.securityCode);
    expect((await t.db('pickup_passes').where({ batch_id: first.body.batchId }).first()).revoked_at).toBeNull();
  });

  test('several services in one pass: both placements in one request, one code, capacity held in both rooms', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 2, sortOrder: 1 }] });
    const second = await addService(t.db, site, { name: '10:30' });
    const fam = await family(site);
    const both = await post(site.tokens.kiosk, { serviceIds: [site.serviceId, second], householdId: fam.householdId, childIds: fam.childIds });
    expect(both.status).toBe(201);
    expect(both.body.checkins).toHaveLength(4);
    expect(new Set(both.body.checkins.map((c: { serviceId: string }) => c.serviceId))).toEqual(new Set([site.serviceId, second]));
    // two children in a room of two: staying for both services does not count them twice
    expect(await physicalCount(site.rooms.Nursery!)).toBe(2);
    const other = await family(site, [{ firstName: 'Eli', months: 6 }]);
    for (const s of [site.serviceId, second]) {
      const r = await post(site.tokens.kiosk, { serviceId: s, householdId: other.householdId, childIds: other.childIds });
      expect(r.body.refused).toMatchObject([{ reason: 'room_full' }]);
    }
    const receipt = (await t.db('notifications').where({ batch_id: both.body.batchId, kind: 'checkin_receipt' }))[0]!.body as string;
    expect(receipt).toMatch(/Ava \(Nursery \d+:\d\d [AP]M, Nursery \d+:\d\d [AP]M\)/);
    // a room already full keeps the second service's placement out too
    const siteB = await buildSite(t.db, { rooms: [{ name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 1, sortOrder: 1 }] });
    const secondB = await addService(t.db, siteB, { rooms: { Nursery: { capacity: 1 } } });
    const filler = await buildHousehold(t.db, siteB.siteId, [{ months: 6 }]);
    await post(siteB.tokens.kiosk, { serviceId: secondB, householdId: filler.householdId, childIds: filler.childIds });
    const famB = await family(siteB, [{ firstName: 'Fin', months: 6 }]);
    const refused = await post(siteB.tokens.kiosk, { serviceIds: [siteB.serviceId, secondB], householdId: famB.householdId, childIds: famB.childIds });
    expect(refused.body.checkins).toEqual([]);
    expect(refused.body.refused.map((r: { reason: string }) => r.reason)).toEqual(['room_full', 'room_full']);
  });

  test('services of another day or another site cannot be combined; both forms of the body are validated', async () => {
    const site = await buildSite(t.db);
    const other = await buildSite(t.db);
    const fam = await family(site, [{ firstName: 'Gus', months: 24 }]);
    expect(
      (await post(site.tokens.kiosk, { serviceIds: [site.serviceId, other.serviceId], householdId: fam.householdId, childIds: fam.childIds })).status,
    ).toBe(404);
    const tomorrow = await addService(t.db, site);
    await t
      .db('services')
      .where({ id: tomorrow })
      .update({ service_date: t.db.raw('service_date + 1') });
    const r = await post(site.tokens.kiosk, { serviceIds: [site.serviceId, tomorrow], householdId: fam.householdId, childIds: fam.childIds });
    expect([r.status, r.body.error?.field]).toEqual([400, 'serviceIds']);
    const none = await post(site.tokens.kiosk, { householdId: fam.householdId, childIds: fam.childIds });
    expect([none.status, none.body.error?.field]).toEqual([400, 'serviceId']);
    const dup = await post(site.tokens.kiosk, { serviceIds: [site.serviceId, site.serviceId], householdId: fam.householdId, childIds: fam.childIds });
    expect([dup.status, dup.body.error?.field]).toEqual([400, 'serviceIds']);
  });
});

describe('idempotency means the same request', () => {
  test('the same key with other children, another service or another household is 409 idempotency_key_reused; the same body in another order replays', async () => {
    const site = await buildSite(t.db);
    const second = await addService(t.db, site);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 48 }]);
    const otherFam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const k = key();
    const first = await post(site.tokens.kiosk, { idempotencyKey: k, serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds });
    expect(first.status).toBe(201);
    const replay = await post(site.tokens.kiosk, {
      idempotencyKey: k,
      serviceId: site.serviceId,
      householdId: fam.householdId,
      childIds: [...fam.childIds].reverse(),
    });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    for (const body of [
      { serviceId: site.serviceId, householdId: fam.householdId, childIds: [fam.childIds[0]] },
      { serviceId: second, householdId: fam.householdId, childIds: fam.childIds },
      { serviceIds: [site.serviceId, second], householdId: fam.householdId, childIds: fam.childIds },
      { serviceId: site.serviceId, householdId: otherFam.householdId, childIds: otherFam.childIds },
    ]) {
      const r = await post(site.tokens.kiosk, { idempotencyKey: k, ...body });
      expect([r.status, r.body.error?.code]).toEqual([409, 'idempotency_key_reused']);
    }
    expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(2);
  });

  test('a registration key reused for another family is 409; the same family replays', async () => {
    const site = await buildSite(t.db);
    const k = key();
    const family = (first: string) => ({
      idempotencyKey: k,
      guardians: [{ firstName: 'Rae', lastName: 'Quinn', phone: '+13125550177', smsOptIn: true }],
      children: [{ firstName: first, lastName: 'Quinn', birthdate: '2022-03-04' }],
    });
    const reg = (body: object) => t.api().post('/api/households').set(bearer(site.tokens.kiosk)).send(body);
    const a = await reg(family('Sky'));
    expect(a.status).toBe(201);
    const again = await reg(family('Sky'));
    expect(again.body.household.id).toBe(a.body.household.id);
    const other = await reg(family('Tam'));
    expect([other.status, other.body.error?.code]).toEqual([409, 'idempotency_key_reused']);
    expect(await t.db('households').where({ site_id: site.siteId })).toHaveLength(1);
  });
});
