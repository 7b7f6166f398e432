/**
 * Broadcast (DESIGN §15): staff text the guardians of every child present in a room, a service or
 * the campus through the outbox — in each family's language, never to a STOP number — audited,
 * rate-limited per campus, with delivery counts from the outbox's statuses.
 */
import { BROADCASTS_PER_CAMPUS_PER_HOUR } from '../../contracts';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const ROOMS = [
  { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: null, volunteers: 2 },
  { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2 },
];
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const broadcast = (site: BuiltSite, body: object, token = site.tokens.staff) => t.api().post('/api/broadcasts').set(bearer(token)).send(body);
const texts = (broadcastId: string) => t.db('notifications').where({ broadcast_id: broadcastId }).orderBy('to');

/** Toddlers: an English family (two guardians), a Spanish one, one whose only guardian replied STOP; Nursery: one more family. */
async function campus() {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const en = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  await t.db('guardians').insert({ household_id: en.householdId, first_name: 'Sam', last_name: 'Two', phone: '+13125550901', sms_opt_in: true });
  const es = await buildHousehold(t.db, site.siteId, [{ months: 26 }]);
  await t.db('households').where({ id: es.householdId }).update({ language: 'es' });
  const stop = await buildHousehold(t.db, site.siteId, [{ months: 28 }]);
  await t.db('guardians').where({ id: stop.guardianId }).update({ sms_opted_out_at: new Date() });
  const baby = await buildHousehold(t.db, site.siteId, [{ months: 6 }]);
  for (const f of [en, es, stop, baby]) expect((await checkIn(site, f.householdId, f.childIds)).status).toBe(201);
  return { site, en, es, stop, baby };
}

test("a room's families get one text per guardian who takes texts, each in the family's language; a STOP number none; audited; 202 {recipients}", async () => {
  const { site, en, es, stop } = await campus();
  const siteName = (await t.db('sites').where({ id: site.siteId }).first()).name;
  const r = await broadcast(site, { roomId: site.rooms.Toddlers, message: 'Pickup is at the side door today' });
  expect(r.status).toBe(202);
  expect(r.body.recipients).toBe(3);
  const rows = await texts(r.body.id);
  expect(rows.map((n) => n.to).sort()).toEqual([en.phone, '+13125550901', es.phone].sort());
  expect(rows.map((n) => n.to)).not.toContain(stop.phone);
  for (const n of rows) {
    expect(n.kind).toBe('broadcast');
    expect(n.status).toBe('pending');
    expect(n.body).toBe(
      n.to === es.phone ? `Mensaje de ${siteName}: Pickup is at the side door today` : `Message from ${siteName}: Pickup is at the side door today`,
    );
  }
  const audit = await t.db('audit_log').where({ action: 'broadcast.send', entity_id: r.body.id }).first();
  expect(audit.actor_id).toBe(site.userIds.staff);
  expect(audit.details).toEqual(expect.objectContaining({ roomId: site.rooms.Toddlers, recipients: 3, message: 'Pickup is at the side door today' }));
  // the service, and the whole campus, reach the Nursery family too
  expect((await broadcast(site, { serviceId: site.serviceId, message: 'Service runs late' })).body.recipients).toBe(4);
  expect((await broadcast(site, { message: 'Parking lot B is closed' })).body.recipients).toBe(4);
  // a picked-up child's family is not texted
  await t.db('checkins').where({ household_id: es.householdId }).update({ status: 'checked_out', checked_out_at: new Date() });
  expect((await broadcast(site, { roomId: site.rooms.Toddlers, message: 'Again' })).body.recipients).toBe(2);
});

test('delivery status: the list counts each broadcast’s texts by the outbox’s statuses', async () => {
  const { site } = await campus();
  const r = await broadcast(site, { serviceId: site.serviceId, roomId: site.rooms.Toddlers, message: 'Snow: early pickup' });
  const [a, b] = await texts(r.body.id);
  await t.db('notifications').where({ id: a.id }).update({ status: 'delivered' });
  await t.db('notifications').where({ id: b.id }).update({ status: 'failed' });
  const list = await t.api().get('/api/broadcasts').set(bearer(site.tokens.staff));
  expect(list.status).toBe(200);
  expect(list.body.broadcasts).toEqual([
    expect.objectContaining({
      id: r.body.id,
      scope: 'Toddlers · Test Service',
      message: 'Snow: early pickup',
      createdBy: 'Test staff',
      recipients: 3,
      waiting: 1,
      sent: 0,
      delivered: 1,
      failed: 1,
    }),
  ]);
  expect((await t.api().get('/api/broadcasts').set(bearer(site.tokens.volunteer))).status).toBe(403);
});

test("an empty or 2,000-character message, another organisation's room or service: a 4xx naming what is wrong, nothing stored", async () => {
  const { site } = await campus();
  const stranger = await buildSite(t.db, { rooms: ROOMS });
  for (const [body, status, field] of [
    [{ message: '' }, 400, 'message'],
    [{ message: '    ' }, 400, 'message'],
    [{ message: 'x'.repeat(2000) }, 400, 'message'],
    [{}, 400, 'message'],
    [{ message: 'hi', roomId: 'nope' }, 400, 'roomId'],
    [{ message: 'hi', roomId: stranger.rooms.Toddlers }, 404, undefined],
    [{ message: 'hi', serviceId: stranger.serviceId }, 404, undefined],
  ] as const) {
    const r = await broadcast(site, body);
    expect([JSON.stringify(body).slice(0, 40), r.status]).toEqual([JSON.stringify(body).slice(0, 40), status]);
    if (field) expect(r.body.error.field).toBe(field);
  }
  expect(await t.db('broadcasts').where({ site_id: site.siteId })).toEqual([]);
  expect(await t.db('notifications').where({ site_id: site.siteId, kind: 'broadcast' })).toEqual([]);
  // volunteers do not broadcast
  expect((await broadcast(site, { message: 'hi' }, site.tokens.volunteer)).status).toBe(403);
  // 480 characters is the limit
  expect((await broadcast(site, { message: 'y'.repeat(480) })).status).toBe(202);
});

test('rate-limited per campus: sent at once, the limit holds; refused requests do not count; another campus has its own budget', async () => {
  const { site } = await campus();
  await broadcast(site, { message: '' }); // a 400 spends nothing
  const rs = await Promise.all(
    Array.from({ length: BROADCASTS_PER_CAMPUS_PER_HOUR + 2 }, (_, i) => broadcast(site, { roomId: site.rooms.Nursery, message: `Note ${i}` })),
  );
  const statuses = rs.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 202)).toHaveLength(BROADCASTS_PER_CAMPUS_PER_HOUR);
  expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  expect(await t.db('broadcasts').where({ site_id: site.siteId })).toHaveLength(BROADCASTS_PER_CAMPUS_PER_HOUR);
  const sister = await buildSite(t.db, { organizationId: site.organizationId, rooms: ROOMS });
  expect((await broadcast(sister, { message: 'Our own' })).status).toBe(202);
});
