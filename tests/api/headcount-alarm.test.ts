/**
 * The headcount alarm (DESIGN §15): a headcount or a submitted roll call that disagrees with the
 * system raises `headcount_mismatch` at once (naming the children not marked present for a roll
 * call), red on the roster; a count that agrees clears it, and so does staff with a note
 * (audited); bad counts are refused naming the field, nothing stored.
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

const ROOMS = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2 }];
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const headcount = (site: BuiltSite, count: unknown, token = site.tokens.staff) =>
  t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/headcounts`).set(bearer(token)).send({ count });
const rollCall = (site: BuiltSite, token = site.tokens.staff) =>
  t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/roll-call`).set(bearer(token));
const present = (site: BuiltSite, checkinId: string) =>
  t.api().put(`/api/checkins/${checkinId}/present`).set(bearer(site.tokens.staff)).send({ present: true });
const standing = async (site: BuiltSite) =>
  ((await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(site.tokens.staff))).body.alerts as any[]).filter(
    (a) => a.kind === 'headcount_mismatch' && !a.clearedAt,
  );
const roster = async (site: BuiltSite) =>
  (await t.api().get(`/api/services/${site.serviceId}/roster`).query({ roomId: site.rooms.Toddlers }).set(bearer(site.tokens.staff))).body;

/** A site with three toddlers checked in: Ada, Ben and Cy. */
async function siteWithThree() {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Ada', months: 24 },
    { firstName: 'Ben', months: 26 },
    { firstName: 'Cy', months: 28 },
  ]);
  const r = await checkIn(site, fam.householdId, fam.childIds);
  expect(r.status).toBe(201);
  const ids = Object.fromEntries((r.body.checkins as any[]).map((c) => [c.firstName, c.id])) as Record<string, string>;
  return { site, fam, ids };
}

test('a headcount one short raises headcount_mismatch at once (staff hear it live); a matching count clears it', async () => {
  const { site } = await siteWithThree();
  const socket = t.socket(site.tokens.staff);
  await connected(socket);
  const raised = nextEvent<any>(socket, 'alert.raised');
  const r = await headcount(site, 2);
  expect(r.status).toBe(201);
  expect(r.body.headcount).toEqual(expect.objectContaining({ count: 2, systemCount: 3 }));
  const e = await raised;
  expect(e).toEqual(
    expect.objectContaining({ kind: 'headcount_mismatch', roomIds: [site.rooms.Toddlers], message: 'Toddlers: headcount 2, system 3 (1 short)' }),
  );
  expect((await standing(site)).map((a) => a.id)).toEqual([e.id]);
  expect((await roster(site)).headcountMismatch).toEqual(expect.objectContaining({ id: e.id }));
  // one more than checked in is a mismatch too
  expect((await headcount(site, 4)).status).toBe(201);
  expect((await standing(site)).map((a) => a.message)).toEqual(['Toddlers: headcount 4, system 3 (1 more than checked in)']);
  const cleared = nextEvent<any>(socket, 'alert.cleared');
  expect((await headcount(site, 3)).status).toBe(201);
  expect((await cleared).kind).toBe('headcount_mismatch');
  expect(await standing(site)).toEqual([]);
  expect((await roster(site)).headcountMismatch).toBeNull();
});

test('a roll call one short names the child not marked present; the wall display gets the count without names; marking her and calling again clears it', async () => {
  const { site, ids } = await siteWithThree();
  const displayToken = newToken('d');
  await t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(displayToken) });
  const wall = t.socket(displayToken);
  await connected(wall);
  await present(site, ids.Ada!);
  await present(site, ids.Ben!);
  const onWall = nextEvent<any>(wall, 'alert.raised');
  const r = await rollCall(site);
  expect(r.status).toBe(201);
  expect(r.body.rollCall).toEqual(
    expect.objectContaining({ present: 2, systemCount: 3, missing: [expect.objectContaining({ checkinId: ids.Cy, firstName: 'Cy' })] }),
  );
  const [alert] = await standing(site);
  expect(alert.id).toBe(r.body.rollCall.alertId);
  expect(alert.message).toMatch(/^Toddlers: roll call 2, system 3 \(1 short\) — not marked present: Cy [A-Z]\.$/);
  expect((await onWall).message).toBe('Toddlers: roll call 2, system 3 (1 short) — children not marked present');
  const wallList = await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(displayToken));
  expect(wallList.body.alerts[0].message).not.toMatch(/Cy/);
  // the roster shows it, and the room's latest count is the roll call
  const ro = await roster(site);
  expect(ro.headcountMismatch.message).toContain('Cy');
  expect(ro.headcount).toEqual(expect.objectContaining({ count: 2, systemCount: 3 }));
  expect((await t.db('audit_log').where({ action: 'room.roll_call', entity_id: site.rooms.Toddlers }).first()).details).toEqual(
    expect.objectContaining({ present: 2, systemCount: 3, missing: [ids.Cy] }),
  );
  await present(site, ids.Cy!);
  const again = await rollCall(site);
  expect(again.body.rollCall).toEqual(expect.objectContaining({ present: 3, missing: [], alertId: null }));
  expect(await standing(site)).toEqual([]);
});

test('a volunteer not checked in to the room cannot call the roll; staff clear an alarm with a note (audited), nobody else, and only a headcount alarm', async () => {
  const { site } = await siteWithThree();
  expect((await rollCall(site, site.tokens.volunteer)).status).toBe(403);
  await headcount(site, 1);
  const [alert] = await standing(site);
  const clear = (body: object, token = site.tokens.staff, id = alert.id) => t.api().post(`/api/alerts/${id}/clear`).set(bearer(token)).send(body);
  expect((await clear({ note: 'x' }, site.tokens.volunteer)).status).toBe(403);
  const empty = await clear({ note: '   ' });
  expect(empty.status).toBe(400);
  expect(empty.body.error.field).toBe('note');
  expect(await standing(site)).toHaveLength(1);
  const ok = await clear({ note: 'Two were in the bathroom with a helper' });
  expect(ok.status).toBe(200);
  expect(ok.body.alert.clearedAt).not.toBeNull();
  expect(await standing(site)).toEqual([]);
  const audit = await t.db('audit_log').where({ action: 'alert.clear', entity_id: alert.id }).first();
  expect(audit.actor_id).toBe(site.userIds.staff);
  expect(audit.details).toEqual(expect.objectContaining({ note: 'Two were in the bathroom with a helper', kind: 'headcount_mismatch' }));
  expect((await clear({ note: 'again' })).body.error.code).toBe('already_cleared');
  // another kind of alert clears by itself
  const [other] = await t
    .db('alerts')
    .insert({ site_id: site.siteId, service_id: site.serviceId, kind: 'open_room', age_group: 'Toddlers', message: 'm' })
    .returning('id');
  expect((await clear({ note: 'n' }, site.tokens.staff, other.id)).body.error.code).toBe('not_clearable');
  // another organisation's staff: not found
  const elsewhere = await buildSite(t.db, { rooms: ROOMS });
  await headcount(site, 0);
  const [again] = await standing(site);
  expect((await clear({ note: 'n' }, elsewhere.tokens.staff, again.id)).status).toBe(404);
  expect(await standing(site)).toHaveLength(1);
});

test('counts that are negative, not whole or larger than the room holds: 400 naming count, nothing stored, no alarm', async () => {
  const { site } = await siteWithThree();
  for (const bad of [-1, 1.5, '3', 11, null]) {
    const r = await headcount(site, bad);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('count');
  }
  expect(await t.db('room_headcounts').where({ site_id: site.siteId })).toEqual([]);
  expect(await standing(site)).toEqual([]);
  expect((await headcount(site, 10)).status).toBe(201); // the room's capacity itself is a count
});

test('three counts at once for one room (each under the room lock): one standing alarm, never two', async () => {
  const { site } = await siteWithThree();
  const rs = await Promise.all([headcount(site, 1), headcount(site, 2), headcount(site, 1)]);
  expect(rs.map((r) => r.status)).toEqual([201, 201, 201]);
  const list = await standing(site);
  expect(list).toHaveLength(1);
  expect(list[0].message).toMatch(/^Toddlers: headcount [12], system 3/);
  expect(await t.db('room_headcounts').where({ site_id: site.siteId }).count('* as n')).toEqual([{ n: 3 }]);
});
