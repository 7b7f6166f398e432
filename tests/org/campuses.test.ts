/**
 * Campuses (DESIGN §10): an organisation admin creates one from the organisation's template or as a
 * copy of another campus; it is usable at once (a child is checked in with no room setup); campus
 * admins cannot create campuses, and no one copies another organisation's campus.
 */
import { buildHousehold, buildSite, key, kioskToken, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let a: BuiltSite;
let other: BuiltSite;
let orgAdminId: string;
let orgAdmin: string;
beforeAll(async () => {
  t = await startTestApp();
  a = await buildSite(t.db, { settings: { labelFooter: 'North kids', smsTemplates: { page: 'Come to {{room}} please' } } });
  other = await buildSite(t.db);
  const [u] = await t
    .db('users')
    .insert({ organization_id: a.organizationId, site_id: a.siteId, email: `oa-${Date.now()}@campus.test`, name: 'OA', password_hash: 'x', org_admin: true })
    .returning('id');
  orgAdminId = u.id;
  orgAdmin = await sessionFor(t.db, u.id);
});
afterAll(async () => {
  await t.stop();
});

test('a campus from the template checks a child in with no further room setup; families come along', async () => {
  const made = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'South Campus', timezone: 'America/Chicago' });
  expect(made.status).toBe(201);
  const siteId = made.body.campus.id;
  expect(made.body.campus.rooms).toBeGreaterThan(3);
  // the org admin acts there by switching
  const sw = await t
    .api()
    .post('/api/auth/switch-campus')
    .set(bearer(await sessionFor(t.db, orgAdminId)))
    .send({ siteId });
  expect(sw.body.user).toMatchObject({ siteId, role: 'admin' });
  const svc = await t
    .api()
    .post('/api/services')
    .set(bearer(sw.body.token))
    .send({ name: 'Sunday 9:00', startsAt: new Date(Date.now() + 30 * 60_000).toISOString() });
  expect(svc.status).toBe(201);
  // a family registered at the first campus, a toddler, at the new campus's kiosk
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  const kiosk = await kioskToken(t.db, siteId);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(kiosk))
    .send({ serviceId: svc.body.service.id, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  expect(ci.body.checkins[0].roomName).toBe('Toddlers');
});

test('a copy of another campus takes its rooms, settings and wording', async () => {
  await t.db('rooms').insert({ site_id: a.siteId, name: 'Puppet Room', age_group: 'Puppets', default_capacity: 7, min_grade: 0, max_grade: 5, sort_order: 20 });
  const made = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'East Campus', copyFromSiteId: a.siteId });
  expect(made.status).toBe(201);
  const site = await t.db('sites').where({ id: made.body.campus.id }).first();
  expect(site).toMatchObject({ organization_id: a.organizationId, timezone: a.timezone });
  expect(site.settings).toMatchObject({ labelFooter: 'North kids', smsTemplates: { page: 'Come to {{room}} please' } });
  const names = async (id: string) => await t.db('rooms').where({ site_id: id, archived: false }).orderBy('name').pluck('name');
  expect(await names(site.id)).toEqual(await names(a.siteId));
  expect(await names(site.id)).toContain('Puppet Room');
});

test("campus admins cannot create campuses; another organisation's campus cannot be copied; bad input is a 400", async () => {
  const n = async () => Number((await t.db('sites').count('* as n'))[0]!.n);
  const before = await n();
  expect((await t.api().post('/api/org/campuses').set(bearer(a.tokens.admin)).send({ name: 'X' })).status).toBe(403);
  expect((await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'Y', copyFromSiteId: other.siteId })).status).toBe(404);
  expect((await t.api().post('/api/org/campuses').set(bearer(other.tokens.admin)).send({ name: 'Z', copyFromSiteId: a.siteId })).status).toBe(403);
  const bad = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'W', timezone: 'Nowhere/Land' });
  expect([bad.status, bad.body.error.field]).toEqual([400, 'timezone']);
  expect(await n()).toBe(before);
});

test("the organisation's rooms template shapes new campuses", async () => {
  const r = await t
    .api()
    .put('/api/org/rooms-template')
    .set(bearer(orgAdmin))
    .send({ rooms: [{ name: 'Everyone', minAgeMonths: 0, maxAgeMonths: 200, capacity: 40 }] });
  expect(r.status).toBe(200);
  const made = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'Tiny Campus' });
  expect(await t.db('rooms').where({ site_id: made.body.campus.id }).pluck('name')).toEqual(['Everyone']);
  const bad = await t
    .api()
    .put('/api/org/rooms-template')
    .set(bearer(orgAdmin))
    .send({ rooms: [{ name: 'No capacity' }] });
  expect(bad.status).toBe(400);
});

test("an organisation admin renames any campus of the organisation and sets its time zone; nobody else's, nothing unchecked", async () => {
  const made = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'West Campus', timezone: 'America/Denver' });
  const id = made.body.campus.id as string;
  const r = await t.api().patch(`/api/org/campuses/${id}`).set(bearer(orgAdmin)).send({ name: '  West Side\u200b ', timezone: 'Europe/Madrid' });
  expect([r.status, r.body.site]).toEqual([200, { id, name: 'West Side', timezone: 'Europe/Madrid' }]);
  expect(await t.db('sites').where({ id }).first()).toMatchObject({ name: 'West Side', timezone: 'Europe/Madrid' });
  expect(Number((await t.db('audit_log').where({ entity_id: id, action: 'site.update' }).count('* as n'))[0]!.n)).toBe(1);

  const expectRefused = async (token: string, siteId: string, body: object, status: number, field?: string) => {
    const x = await t.api().patch(`/api/org/campuses/${siteId}`).set(bearer(token)).send(body);
    expect(x.status).toBe(status);
    if (field) expect(x.body.error.field).toBe(field);
  };
  await expectRefused(orgAdmin, id, { name: '\u200b\u200b' }, 400, 'name');
  await expectRefused(orgAdmin, id, { name: '1234' }, 400, 'name');
  await expectRefused(orgAdmin, id, { timezone: 'Mars/Olympus' }, 400, 'timezone');
  await expectRefused(orgAdmin, id, {}, 400, undefined);
  await expectRefused(orgAdmin, other.siteId, { name: 'Taken' }, 404, undefined);
  await expectRefused(a.tokens.admin, id, { name: 'Campus admin' }, 403, undefined);
  await expectRefused(orgAdmin, 'not-a-uuid', { name: 'Bad id' }, 400, 'id');
  expect(await t.db('sites').where({ id }).first()).toMatchObject({ name: 'West Side', timezone: 'Europe/Madrid' });
  expect((await t.db('sites').where({ id: other.siteId }).first()).name).not.toBe('Taken');
});
