/** Mistakes can be mended (DESIGN §4): undo a checkout for 15 minutes; reprint a family's labels. */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { fakePrinter } from '../support/printer';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function checkedOut(site: BuiltSite) {
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }]);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const id = ci.body.checkins[0].id as string;
  const out = await t
    .api()
    .post('/api/checkouts')
    .set(bearer(site.tokens.volunteer))
    .send({ checkinIds: [id], securityCode: ci.body.securityCode, pickupPersonId: fam.guardianId });
  expect(out.status).toBe(200);
  return { fam, id, code: ci.body.securityCode as string, token: ci.body.pickupUrl.split('/pass/')[1] as string };
}
const undo = (token: string, id: string, body: object = { reason: 'wrong child tapped' }) =>
  t.api().post(`/api/checkins/${id}/undo-checkout`).set(bearer(token)).send(body);

describe('undo a checkout', () => {
  test('staff put the child back: checked in, headcount back, pass works again, audited, room.updated', async () => {
    const site = await buildSite(t.db);
    const c = await checkedOut(site);
    expect((await undo(site.tokens.volunteer, c.id)).status).toBe(403);
    t.events.length = 0;
    const r = await undo(site.tokens.staff, c.id);
    expect(r.status).toBe(200);
    expect(r.body.checkin).toEqual(expect.objectContaining({ id: c.id, status: 'checked_in', roomName: 'Toddlers' }));
    expect(await t.db('checkins').where({ id: c.id }).first()).toEqual(
      expect.objectContaining({ status: 'checked_in', checked_out_at: null, picked_up_by: null }),
    );
    const rooms = await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff));
    expect(rooms.body.rooms.find((x: { name: string }) => x.name === 'Toddlers').headcount).toBe(1);
    expect(t.events.some((e) => e.name === 'room.updated')).toBe(true);
    const [a] = await t.db('audit_log').where({ site_id: site.siteId, action: 'checkout.undo' });
    expect(a.details).toEqual(expect.objectContaining({ reason: 'wrong child tapped' }));
    expect((await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ token: c.token })).body.allPickedUp).toBe(false);
    expect((await undo(site.tokens.staff, c.id)).body.error.code).toBe('not_checked_out');
  });

  test('after 15 minutes it is refused (409 undo_expired)', async () => {
    const site = await buildSite(t.db);
    const c = await checkedOut(site);
    await t
      .db('checkins')
      .where({ id: c.id })
      .update({ checked_out_at: new Date(Date.now() - 16 * 60_000) });
    const r = await undo(site.tokens.staff, c.id);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('undo_expired');
  });

  test('a room now at its limit refuses it (409 room_full); capacity is never exceeded', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 1 }] });
    const c = await checkedOut(site);
    const other = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    expect(
      (
        await t
          .api()
          .post('/api/checkins')
          .set(bearer(site.tokens.kiosk))
          .send({ serviceId: site.serviceId, householdId: other.householdId, childIds: other.childIds, idempotencyKey: key() })
      ).body.refused,
    ).toEqual([]);
    const r = await undo(site.tokens.staff, c.id);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('room_full');
    expect((await t.db('checkins').where({ id: c.id }).first()).status).toBe('checked_out');
  });

  test("another site's staff get a 404; a bad body is a 400 naming reason", async () => {
    const site = await buildSite(t.db);
    const other = await buildSite(t.db);
    const c = await checkedOut(site);
    expect((await undo(other.tokens.staff, c.id)).status).toBe(404);
    const bad = await undo(site.tokens.staff, c.id, {});
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('reason');
  });
});

describe('reprint labels from the roster', () => {
  test('staff get the label data and ZPL; with a kiosk it goes to that printer; audited; volunteers and other sites refused', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }]);
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const id = ci.body.checkins[0].id;
    const r = await t.api().post(`/api/checkins/${id}/labels`).set(bearer(site.tokens.staff)).send({});
    expect(r.status).toBe(200);
    expect(r.body.labels).toEqual(
      expect.objectContaining({
        securityCode: ci.body.securityCode,
        pickupUrl: ci.body.pickupUrl,
        children: [expect.objectContaining({ firstName: 'Ada', roomName: 'Toddlers' })],
      }),
    );
    expect(r.body.zpl).toContain('PARENT PICKUP TAG');
    expect(r.body.printed).toBeNull();

    const printer = await fakePrinter();
    try {
      await givePrinter(t.db, site.kioskId, printer.address);
      const job = printer.nextJob();
      const p = await t.api().post(`/api/checkins/${id}/labels`).set(bearer(site.tokens.staff)).send({ kioskId: site.kioskId });
      expect(p.status).toBe(200);
      expect(p.body.printed).toEqual({ kiosk: expect.any(String), printer: expect.any(String) });
      expect(await job).toContain(ci.body.securityCode);
    } finally {
      await printer.close();
    }
    expect(await t.db('audit_log').where({ site_id: site.siteId, action: 'labels.reprint' })).toHaveLength(2);

    const other = await buildSite(t.db);
    expect((await t.api().post(`/api/checkins/${id}/labels`).set(bearer(site.tokens.volunteer)).send({})).status).toBe(403);
    expect((await t.api().post(`/api/checkins/${id}/labels`).set(bearer(other.tokens.staff)).send({})).status).toBe(404);
    expect((await t.api().post(`/api/checkins/${id}/labels`).set(bearer(site.tokens.staff)).send({ kioskId: other.kioskId })).status).toBe(404);
    expect((await t.api().post(`/api/checkins/${id}/labels`).set(bearer(site.tokens.staff)).send({ kioskId: 'x' })).body.error.field).toBe('kioskId');
  });
});
