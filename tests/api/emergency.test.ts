/**
 * Emergency roll call (DESIGN §15): staff start one for their campus (one at a time), room
 * volunteers account for the children of their own room, staff and the wall display watch live
 * totals, staff end it; start and end audited with their times; another campus's ids are not found.
 */
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const ROOMS = [
  { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 },
  { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2, sortOrder: 2 },
];
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const start = (token: string, body: object = {}) => t.api().post('/api/emergency').set(bearer(token)).send(body);
const current = (token: string) => t.api().get('/api/emergency/current').set(bearer(token));
const account = (id: string, checkinId: string, token: string) => t.api().post(`/api/emergency/${id}/accounted`).set(bearer(token)).send({ checkinId });
const end = (id: string, token: string) => t.api().post(`/api/emergency/${id}/end`).set(bearer(token));

/** Two babies in the Nursery, one toddler; the site's volunteer checked in to the Toddlers. */
async function campus() {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const babies = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Ada', months: 6 },
    { firstName: 'Ben', months: 8 },
  ]);
  const tod = await buildHousehold(t.db, site.siteId, [{ firstName: 'Cy', months: 24 }]);
  const ids: Record<string, string> = {};
  for (const f of [babies, tod]) for (const c of (await checkIn(site, f.householdId, f.childIds)).body.checkins) ids[c.firstName] = c.id;
  await t.db('volunteer_shifts').insert({
    organization_id: site.organizationId,
    site_id: site.siteId,
    service_id: site.serviceId,
    room_id: site.rooms.Toddlers,
    user_id: site.userIds.volunteer,
  });
  const displayToken = newToken('d');
  await t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(displayToken) });
  return { site, ids, displayToken };
}

test('staff start it; staff see every room, the room volunteer only theirs, the wall only totals; accounting updates every screen live; staff end it (audited with times)', async () => {
  const { site, ids, displayToken } = await campus();
  expect((await current(site.tokens.staff)).body).toEqual({ emergency: null });
  const staffSocket = t.socket(site.tokens.staff);
  const wall = t.socket(displayToken);
  await Promise.all([connected(staffSocket), connected(wall)]);
  const started = nextEvent<any>(wall, 'emergency.updated');
  const s = await start(site.tokens.staff, { message: 'Fire alarm — east wing' });
  expect(s.status).toBe(201);
  const em = s.body.emergency;
  expect(em).toEqual(expect.objectContaining({ message: 'Fire alarm — east wing', total: 3, accounted: 0, endedAt: null, startedBy: 'Test staff' }));
  expect(em.rooms).toEqual([
    { roomId: site.rooms.Nursery, name: 'Nursery', total: 2, accounted: 0 },
    { roomId: site.rooms.Toddlers, name: 'Toddlers', total: 1, accounted: 0 },
  ]);
  expect(await started).toEqual(expect.objectContaining({ id: em.id, status: 'started', total: 3, accounted: 0 }));

  // the volunteer: their room only
  const v = (await current(site.tokens.volunteer)).body.emergency;
  expect(v.rooms).toEqual([{ roomId: site.rooms.Toddlers, name: 'Toddlers', total: 1, accounted: 0 }]);
  expect(v.children.map((c: any) => c.firstName)).toEqual(['Cy']);
  // the wall: totals, no names
  const w = (await current(displayToken)).body.emergency;
  expect(w.total).toBe(3);
  expect(w.children).toEqual([]);

  // a volunteer accounts for their room's child, not another room's
  const forbidden = await account(em.id, ids.Ada!, site.tokens.volunteer);
  expect(forbidden.status).toBe(403);
  const heard = nextEvent<any>(staffSocket, 'emergency.updated');
  const ok = await account(em.id, ids.Cy!, site.tokens.volunteer);
  expect(ok.status).toBe(200);
  expect(ok.body.emergency.children).toEqual([expect.objectContaining({ firstName: 'Cy', accountedBy: 'Test volunteer' })]);
  expect(await heard).toEqual(expect.objectContaining({ status: 'updated', accounted: 1, total: 3 }));
  // twice is harmless
  expect((await account(em.id, ids.Cy!, site.tokens.volunteer)).status).toBe(200);
  // staff: the list of those not yet accounted for comes first
  const st = (await current(site.tokens.staff)).body.emergency;
  expect(st.children.map((c: any) => [c.firstName, c.accountedAt != null])).toEqual([
    ['Ada', false],
    ['Ben', false],
    ['Cy', true],
  ]);
  expect((await account(em.id, ids.Ada!, site.tokens.staff)).status).toBe(200);

  // only staff end it
  expect((await end(em.id, site.tokens.volunteer)).status).toBe(403);
  const ended = nextEvent<any>(wall, 'emergency.updated');
  const e = await end(em.id, site.tokens.staff);
  expect(e.status).toBe(200);
  expect(e.body.emergency.endedAt).not.toBeNull();
  expect(await ended).toEqual(expect.objectContaining({ status: 'ended', accounted: 2, total: 3 }));
  expect((await current(site.tokens.staff)).body).toEqual({ emergency: null });
  expect((await end(em.id, site.tokens.staff)).body.error.code).toBe('emergency_ended');
  expect((await account(em.id, ids.Ben!, site.tokens.staff)).body.error.code).toBe('emergency_ended');

  const audit = await t.db('audit_log').where({ entity: 'emergency', entity_id: em.id }).orderBy('id');
  expect(audit.map((a) => a.action)).toEqual(['emergency.start', 'emergency.end']);
  expect(audit[0].details).toEqual(expect.objectContaining({ message: 'Fire alarm — east wing', startedAt: em.startedAt }));
  expect(audit[1].details).toEqual(
    expect.objectContaining({ startedAt: em.startedAt, endedAt: e.body.emergency.endedAt, accounted: 2, notAccounted: [ids.Ben] }),
  );
  expect(await t.db('audit_log').where({ action: 'emergency.accounted' }).whereIn('entity_id', [ids.Ada!, ids.Cy!])).toHaveLength(2);
});

test('one at a time per campus: two staff starting at once get one roll call and a 409; another campus starts its own', async () => {
  const { site } = await campus();
  const rs = await Promise.all([start(site.tokens.staff), start(site.tokens.admin), start(site.tokens.staff)]);
  expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  expect(rs.find((r) => r.status === 409)!.body.error.code).toBe('emergency_running');
  expect(await t.db('emergencies').where({ site_id: site.siteId })).toHaveLength(1);
  const other = await buildSite(t.db, { organizationId: site.organizationId, rooms: ROOMS });
  expect((await start(other.tokens.staff)).status).toBe(201);
  // volunteers start nothing
  expect((await start(site.tokens.volunteer)).status).toBe(403);
});

test("another campus's or organisation's emergency and children are not found; bad input names the field and stores nothing", async () => {
  const { site, ids } = await campus();
  const em = (await start(site.tokens.staff)).body.emergency;
  const sister = await buildSite(t.db, { organizationId: site.organizationId, rooms: ROOMS });
  const stranger = await buildSite(t.db, { rooms: ROOMS });
  for (const other of [sister, stranger]) {
    expect((await end(em.id, other.tokens.staff)).status).toBe(404);
    expect((await account(em.id, ids.Ada!, other.tokens.staff)).status).toBe(404);
    expect((await current(other.tokens.staff)).body).toEqual({ emergency: null });
  }
  // a child of another campus in this campus's emergency: not found
  const fam = await buildHousehold(t.db, stranger.siteId, [{ months: 24 }]);
  const theirs = (await checkIn(stranger, fam.householdId, fam.childIds)).body.checkins[0].id;
  expect((await account(em.id, theirs, site.tokens.staff)).status).toBe(404);
  const badId = await account(em.id, 'not-a-uuid', site.tokens.staff);
  expect(badId.status).toBe(400);
  expect(badId.body.error.field).toBe('checkinId');
  expect(await t.db('emergency_accounts').where({ emergency_id: em.id })).toEqual([]);
  const long = await start(sister.tokens.staff, { message: 'x'.repeat(201) });
  expect(long.status).toBe(400);
  expect(long.body.error.field).toBe('message');
  expect(await t.db('emergencies').where({ site_id: sister.siteId })).toEqual([]);
  expect((await current(site.tokens.staff)).body.emergency.accounted).toBe(0);
});
