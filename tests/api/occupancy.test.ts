/**
 * The kept headcount (migration 20261206000100): room_day_occupancy, written by the trigger on
 * checkins, must equal the physical headcount counted from the check-ins themselves (distinct
 * children checked in to the room that day) after every path that opens, closes or moves a
 * check-in, alone and under concurrent requests, and after the migration carries open check-ins
 * forward.
 */
import { addService, buildHousehold, buildSite, key, kioskToken } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { MIGRATIONS_DIR } from '../../server/src/db/migrate';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolMax: 30 });
});
afterAll(async () => {
  await t.stop();
});

const post = (token: string, body: Record<string, unknown>) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(token))
    .send({ idempotencyKey: key(), ...body });

/** Every room and day whose kept headcount differs from the counted one (none: they agree). */
async function disagreements() {
  const r = await t.db.raw(`
    WITH counted AS (
      SELECT room_id, service_date, count(DISTINCT child_id)::int AS n FROM checkins WHERE status = 'checked_in' GROUP BY room_id, service_date),
    kept AS (SELECT room_id, service_date, headcount AS n FROM room_day_occupancy),
    refs AS (
      SELECT x.room_id, x.service_date, x.child_id, x.refs, count(k.id)::int AS open FROM room_day_children x
      LEFT JOIN checkins k ON k.room_id = x.room_id AND k.service_date = x.service_date AND k.child_id = x.child_id AND k.status = 'checked_in'
      GROUP BY x.room_id, x.service_date, x.child_id, x.refs)
    SELECT 'headcount' AS what, coalesce(c.room_id, k.room_id) AS room_id, coalesce(c.n, 0) AS counted, coalesce(k.n, 0) AS kept
      FROM counted c FULL JOIN kept k ON k.room_id = c.room_id AND k.service_date = c.service_date
      WHERE coalesce(c.n, 0) <> coalesce(k.n, 0)
    UNION ALL
    SELECT 'refs', room_id, open, refs FROM refs WHERE open <> refs`);
  return r.rows;
}
const kept = async (roomId: string) => Number((await t.db('room_day_occupancy').where({ room_id: roomId }).sum('headcount as n'))[0]!.n ?? 0);

/** A campus with two nurseries of `capacity` and a second service sharing them. */
async function twoNurseries(capacity: number) {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity, sortOrder: 1 },
      { name: 'Nursery B', minAgeMonths: 0, maxAgeMonths: 17, capacity, sortOrder: 2 },
    ],
  });
  return { site, second: await addService(t.db, site, { name: '10:30' }) };
}
const checkout = (token: string, checkinIds: string[], securityCode: string, pickupPersonId: string) =>
  t.api().post('/api/checkouts').set(bearer(token)).send({ checkinIds, securityCode, pickupPersonId });

describe('the kept headcount', () => {
  test('agrees with the check-ins after check-in, both services of one room, checkout, undo, cancel, move and deletes', async () => {
    const { site, second } = await twoNurseries(10);
    const nursery = site.rooms.Nursery!;
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ava', months: 6 },
      { firstName: 'Bo', months: 8 },
    ]);
    // both children for both services: four check-ins, two children in the room
    const both = await post(site.tokens.kiosk, { serviceIds: [site.serviceId, second], householdId: fam.householdId, childIds: fam.childIds });
    expect(both.status).toBe(201);
    expect(both.body.checkins).toHaveLength(4);
    expect(await kept(nursery)).toBe(2);
    expect(await disagreements()).toEqual([]);

    // checking Ava out of the first service: she is still in the room for the second
    const ava1 = both.body.checkins.find((c: { childId: string; serviceId: string }) => c.childId === fam.childIds[0] && c.serviceId === site.serviceId);
    const out = await checkout(site.tokens.staff, [ava1.id], both.body.securityCode, fam.guardianId);
    expect(out.status).toBe(200);
    expect(await kept(nursery)).toBe(2);
    expect(await disagreements()).toEqual([]);

    // undo brings the reference back; checking out both of Ava's leaves Bo alone
    expect((await t.api().post(`/api/checkins/${ava1.id}/undo-checkout`).set(bearer(site.tokens.staff)).send({ reason: 'wrong child tapped' })).status).toBe(
      200,
    );
    expect(await disagreements()).toEqual([]);
    const avaBoth = both.body.checkins.filter((c: { childId: string }) => c.childId === fam.childIds[0]);
    const out2 = await checkout(site.tokens.staff, [avaBoth[0].id], both.body.securityCode, fam.guardianId);
    expect(out2.status).toBe(200);
    const out3 = await checkout(site.tokens.staff, [avaBoth[1].id], both.body.securityCode, fam.guardianId);
    expect(out3.status).toBe(200);
    expect(await kept(nursery)).toBe(1);
    expect(await disagreements()).toEqual([]);

    // a move of one of Bo's two check-ins: Bo is in both rooms (one service each)
    const bo2 = both.body.checkins.find((c: { childId: string; serviceId: string }) => c.childId === fam.childIds[1] && c.serviceId === second);
    expect((await t.api().post(`/api/checkins/${bo2.id}/move`).set(bearer(site.tokens.staff)).send({ roomId: site.rooms['Nursery B'] })).status).toBe(200);
    expect([await kept(nursery), await kept(site.rooms['Nursery B']!)]).toEqual([1, 1]);
    expect(await disagreements()).toEqual([]);

    // a desk cancel of the other
    const bo1 = both.body.checkins.find((c: { childId: string; serviceId: string }) => c.childId === fam.childIds[1] && c.serviceId === site.serviceId);
    expect((await t.api().post(`/api/checkins/${bo1.id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'wrong family tapped' })).status).toBe(200);
    expect([await kept(nursery), await kept(site.rooms['Nursery B']!)]).toEqual([0, 1]);
    expect(await disagreements()).toEqual([]);

    // statements outside the app: one that closes two check-ins of one child in one room at once,
    // and a cascade from a deleted child
    const fam2 = await buildHousehold(t.db, site.siteId, [{ firstName: 'Cy', months: 5 }]);
    const cy = await post(site.tokens.kiosk, { serviceIds: [site.serviceId, second], householdId: fam2.householdId, childIds: fam2.childIds });
    expect(cy.body.checkins).toHaveLength(2);
    expect(await kept(nursery)).toBe(1);
    await t.db('checkins').where({ child_id: fam2.childIds[0] }).update({ status: 'checked_out', checked_out_at: t.db.fn.now() });
    expect(await kept(nursery)).toBe(0);
    await t.db('checkins').where({ child_id: fam2.childIds[0] }).update({ status: 'checked_in', checked_out_at: null });
    expect(await kept(nursery)).toBe(1);
    await t.db('children').where({ id: fam2.childIds[0] }).del();
    expect(await kept(nursery)).toBe(0);
    expect(await disagreements()).toEqual([]);
  });

  test('agrees after concurrent check-ins, checkouts and moves in two overlapping services, and admits no more than the room holds', async () => {
    const { site, second } = await twoNurseries(8);
    const kiosks = [site.tokens.kiosk, ...(await Promise.all(Array.from({ length: 4 }, () => kioskToken(t.db, site.siteId))))];
    const fams = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        buildHousehold(
          t.db,
          site.siteId,
          [
            { firstName: `A${i}`, months: 6 },
            { firstName: `B${i}`, months: 9 },
          ],
          { lastName: `Fam${i}` },
        ),
      ),
    );
    const first = await Promise.all(
      fams
        .slice(0, 30)
        .map((f, i) => post(kiosks[i % kiosks.length]!, { serviceId: i % 2 ? second : site.serviceId, householdId: f.householdId, childIds: f.childIds })),
    );
    expect(first.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    expect(await disagreements()).toEqual([]);
    const admitted = first.filter((r) => r.body.checkins.length > 0);
    expect(admitted.length).toBeGreaterThan(0);

    // at once: every admitted family picked up, the other 30 families checking in, a move
    const moves = admitted.slice(-2).map((r) => r.body.checkins[0]);
    // several pickup doors (one door's own limiter counts its requests in flight)
    const doors = await Promise.all(Array.from({ length: 8 }, () => kioskToken(t.db, site.siteId, 'pickup')));
    const pickups = admitted.slice(0, -2).map((r, i) => {
      const f = fams[first.indexOf(r)]!;
      return checkout(
        doors[i % doors.length]!,
        r.body.checkins.map((c: { id: string }) => c.id),
        r.body.securityCode,
        f.guardianId,
      );
    });
    const arrivals = fams
      .slice(30)
      .map((f, i) => post(kiosks[i % kiosks.length]!, { serviceId: i % 2 ? second : site.serviceId, householdId: f.householdId, childIds: f.childIds }));
    const moved = moves.map((c: { id: string; roomName: string }) =>
      t
        .api()
        .post(`/api/checkins/${c.id}/move`)
        .set(bearer(site.tokens.staff))
        .send({ roomId: c.roomName === 'Nursery' ? site.rooms['Nursery B'] : site.rooms.Nursery }),
    );
    const [outs, ins, mv] = await Promise.all([Promise.all(pickups), Promise.all(arrivals), Promise.all(moved)]);
    expect(outs.filter((r) => r.status !== 200).map((r) => [r.status, r.body])).toEqual([]);
    expect(ins.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    // a move may be refused (the target filled meanwhile), never fail
    for (const r of mv) expect([200, 409]).toContain(r.status);
    expect(await disagreements()).toEqual([]);
    for (const room of [site.rooms.Nursery!, site.rooms['Nursery B']!]) expect(await kept(room)).toBeLessThanOrEqual(8);
  });

  test('the migration carries open check-ins forward and takes the tables away on the way down', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, sortOrder: 1 }] });
    const second = await addService(t.db, site, { name: '10:30' });
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Di', months: 6 },
      { firstName: 'Ed', months: 7 },
    ]);
    expect((await post(site.tokens.kiosk, { serviceIds: [site.serviceId, second], householdId: fam.householdId, childIds: fam.childIds })).status).toBe(201);
    const name = '20261206000100_room_day_occupancy.ts';
    await t.db.migrate.down({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name });
    expect(await t.db.schema.hasTable('room_day_occupancy')).toBe(false);
    // a check-in written while the old code ran (no trigger) is counted on the way up
    const fam2 = await buildHousehold(t.db, site.siteId, [{ firstName: 'Fay', months: 6 }]);
    const [batch] = await t
      .db('checkin_batches')
      .insert({
        site_id: site.siteId,
        service_id: site.serviceId,
        household_id: fam2.householdId,
        service_date: t.db.raw('CURRENT_DATE'),
        security_code: 'ZZZ9',
      })
      .returning('id');
    const [req] = await t
      .db('checkin_requests')
      .insert({ site_id: site.siteId, batch_id: batch.id, idempotency_key: key(), service_ids: [site.serviceId] })
      .returning('id');
    const day = (await t.db('services').where({ id: site.serviceId }).first('service_date')).service_date;
    await t.db('checkins').insert({
      batch_id: batch.id,
      request_id: req.id,
      site_id: site.siteId,
      service_id: site.serviceId,
      service_date: day,
      room_id: site.rooms.Nursery,
      child_id: fam2.childIds[0],
      household_id: fam2.householdId,
      security_code: 'ZZZ9',
    });
    await t.db.migrate.up({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name });
    expect(await kept(site.rooms.Nursery!)).toBe(3);
    expect(await disagreements()).toEqual([]);
    // and the trigger is back
    await t.db('checkins').where({ child_id: fam2.childIds[0] }).update({ status: 'checked_out' });
    expect(await kept(site.rooms.Nursery!)).toBe(2);
  });
});
