/**
 * The attended station (DESIGN §12): staff undo a mistaken check-in (the seat freed, room.updated,
 * audited) and override a soft limit — the volunteer ratio, never the capacity — with a reason.
 */
import type { RoomUpdatedEvent } from '../../contracts';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const checkIn = (site: BuiltSite, token: string, householdId: string, childIds: string[], extra: object = {}) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(token))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key(), ...extra });
const roomOf = async (site: BuiltSite, name: string) =>
  (
    (await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as {
      name: string;
      headcount: number;
      limit: number;
    }[]
  ).find((r) => r.name === name)!;

describe('POST /api/checkins/:id/cancel', () => {
  test('staff undo a mistaken check-in: cancelled, the seat is free again (room.updated), the pass dies with the last child, audited with the reason', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Ben', months: 26 },
    ]);
    const r = await checkIn(site, site.tokens.staff, fam.householdId, fam.childIds);
    expect(r.status).toBe(201);
    expect((await roomOf(site, 'Toddlers')).headcount).toBe(2);
    const [ada, ben] = r.body.checkins as { id: string }[];

    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const updated = nextEvent<RoomUpdatedEvent>(staff, 'room.updated');
    const c = await t.api().post(`/api/checkins/${ada!.id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'wrong family tapped' });
    expect(c.status).toBe(200);
    expect(c.body.checkin).toEqual({ id: ada!.id, status: 'cancelled' });
    expect((await updated).room).toEqual(expect.objectContaining({ id: site.rooms.Toddlers, headcount: 1 }));
    expect((await roomOf(site, 'Toddlers')).headcount).toBe(1);
    expect((await t.db('checkins').where({ id: ada!.id }).first()).status).toBe('cancelled');
    const audit = await t.db('audit_log').where({ entity_id: ada!.id, action: 'checkin.cancel' });
    expect(audit).toHaveLength(1);
    expect(audit[0].details.reason).toBe('wrong family tapped');
    expect(audit[0].actor_id).toBe(site.userIds.staff);
    // the pass still works for Ben; once Ben is undone too, it dies
    expect(await t.db('pickup_passes').where({ batch_id: r.body.batchId }).whereNull('revoked_at')).toHaveLength(1);
    expect((await t.api().post(`/api/checkins/${ben!.id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'wrong family tapped' })).status).toBe(200);
    expect(await t.db('pickup_passes').where({ batch_id: r.body.batchId }).whereNull('revoked_at')).toHaveLength(0);

    // twice is a 409; without a reason a 400; volunteers and other sites cannot
    const again = await t.api().post(`/api/checkins/${ada!.id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_cancelled');
    const fam2 = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r2 = await checkIn(site, site.tokens.kiosk, fam2.householdId, fam2.childIds);
    const id2 = r2.body.checkins[0].id as string;
    expect((await t.api().post(`/api/checkins/${id2}/cancel`).set(bearer(site.tokens.staff)).send({})).body.error.field).toBe('reason');
    expect((await t.api().post(`/api/checkins/${id2}/cancel`).set(bearer(site.tokens.volunteer)).send({ reason: 'nope' })).status).toBe(403);
    const other = await buildSite(t.db);
    expect((await t.api().post(`/api/checkins/${id2}/cancel`).set(bearer(other.tokens.staff)).send({ reason: 'nope' })).status).toBe(404);
    expect((await t.db('checkins').where({ id: id2 }).first()).status).toBe('checked_in');
  });

  test('a child already picked up is not undone; the family can check in again after an undo', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await checkIn(site, site.tokens.staff, fam.householdId, fam.childIds);
    const id = r.body.checkins[0].id as string;
    expect((await t.api().post(`/api/checkins/${id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'mistake' })).status).toBe(200);
    const again = await checkIn(site, site.tokens.staff, fam.householdId, fam.childIds);
    expect(again.status).toBe(201);
    expect(again.body.checkins).toHaveLength(1);
    expect(again.body.securityCode).toBe(r.body.securityCode);
    expect(await t.db('pickup_passes').where({ batch_id: r.body.batchId }).whereNull('revoked_at')).toHaveLength(1); // alive again
    await t.db('checkins').where({ id: again.body.checkins[0].id }).update({ status: 'checked_out', checked_out_at: new Date() });
    const out = await t.api().post(`/api/checkins/${again.body.checkins[0].id}/cancel`).set(bearer(site.tokens.staff)).send({ reason: 'mistake' });
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('not_checked_in');
  });
});

describe('soft override at the desk', () => {
  test('staff take a room past its volunteer ratio with a reason (audited), never past its capacity; kiosks cannot', async () => {
    const site = await buildSite(t.db, {
      rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 3, ratio: 1, volunteers: 1 }],
      settings: { ratioEnforcement: 'enforce', twoAdultRule: false },
    });
    const a = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    expect((await checkIn(site, site.tokens.kiosk, a.householdId, a.childIds)).body.checkins).toHaveLength(1);
    const b = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 25 }, { months: 26 }]);
    // the ratio (1 volunteer × 1) is reached: refused without the override
    const plain = await checkIn(site, site.tokens.staff, b.householdId, [b.childIds[0]!]);
    expect(plain.body.refused[0].reason).toBe('waiting_for_volunteers');
    expect((await checkIn(site, site.tokens.kiosk, b.householdId, [b.childIds[0]!], { softOverride: { reason: 'second volunteer on the way' } })).status).toBe(
      403,
    );
    const noReason = await checkIn(site, site.tokens.staff, b.householdId, [b.childIds[0]!], { softOverride: { reason: '' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('softOverride.reason');

    const over = await checkIn(site, site.tokens.staff, b.householdId, b.childIds, { softOverride: { reason: 'second volunteer on the way' } });
    expect(over.status).toBe(201);
    // capacity 3: two more fit, the third is still refused
    expect(over.body.checkins).toHaveLength(2);
    expect(over.body.refused).toEqual([expect.objectContaining({ reason: 'room_full' })]);
    expect((await roomOf(site, 'Toddlers')).headcount).toBe(3);
    const audit = await t.db('audit_log').where({ entity_id: over.body.requestId, action: 'checkin.soft_override' });
    expect(audit).toHaveLength(1);
    expect(audit[0].details.reason).toBe('second volunteer on the way');
    expect(audit[0].actor_id).toBe(site.userIds.staff);
  });
});
