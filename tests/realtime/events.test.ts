import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, caughtUp, connected, isMarker, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { withTransaction } from '../../server/src/db/transaction';
import type { CheckinCreatedEvent, RoomUpdatedEvent } from '../../contracts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe('realtime', () => {
  test('a staff socket receives checkin.created and room.updated after a check-in; the kiosk socket receives neither', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const staff = t.socket(site.tokens.staff);
    const kiosk = t.socket(site.tokens.kiosk);
    await Promise.all([connected(staff), connected(kiosk)]);
    const kioskGot: string[] = [];
    kiosk.onAny((name, payload) => !isMarker(payload) && kioskGot.push(name));
    const created = nextEvent<CheckinCreatedEvent>(staff, 'checkin.created');
    const room = nextEvent<RoomUpdatedEvent>(staff, 'room.updated');
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    const e = await created;
    expect(e.serviceId).toBe(site.serviceId);
    expect(e.checkins[0]!.childId).toBe(fam.childIds[0]);
    expect((await room).room).toEqual(expect.objectContaining({ id: site.rooms.Toddlers, headcount: 1 }));
    // the kiosk hears nothing of it: a marker sent to it after the check-in arrives alone
    await caughtUp(t, kiosk, site.siteId, { kioskId: site.kioskId });
    expect(kioskGot).toEqual([]);
  });

  test('a staff socket of another site does not receive the event', async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    const other = t.socket(b.tokens.staff);
    await connected(other);
    const got: string[] = [];
    other.onAny((name, payload) => !isMarker(payload) && got.push(name));
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(a.tokens.kiosk))
      .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    await caughtUp(t, other, b.siteId);
    expect(got).toEqual([]);
  });

  test('nothing is published for a rolled-back transaction', async () => {
    const site = await buildSite(t.db);
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const got: string[] = [];
    staff.onAny((name) => got.push(name));
    await expect(
      withTransaction(t.db, t.ctx.publish, async (tx) => {
        tx.events.push({
          name: 'checkin.created',
          siteId: site.siteId,
          audience: 'staff',
          payload: { serviceId: site.serviceId, batchId: 'x', checkins: [], at: new Date().toISOString() },
        });
        await tx.trx('sites').where({ id: site.siteId }).update({ name: 'changed' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // the same path commits and publishes: its event, arriving, is the marker that the rolled-back one would have come by now
    const marker = nextEvent(staff, 'kiosk.status');
    await withTransaction(t.db, t.ctx.publish, async (tx) => {
      tx.events.push({ name: 'kiosk.status', siteId: site.siteId, audience: 'staff', payload: { kind: 'service_changed', message: 'marker' } } as never);
    });
    await marker;
    expect(got).toEqual(['kiosk.status']);
    expect((await t.db('sites').where({ id: site.siteId }).first()).name).not.toBe('changed');
  });

  test('a socket without a valid token is refused', async () => {
    const s = t.socket('u_' + 'a'.repeat(43));
    await expect(connected(s)).rejects.toThrow('unauthorized');
  });
});
