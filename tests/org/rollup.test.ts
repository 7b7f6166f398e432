/**
 * Rollup reports (DESIGN §10): an organisation admin sees attendance per weekend × campus × age
 * group; each number equals the campus's own report; campus staff and other organisations see
 * none of it.
 */
import { buildHousehold, buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let north: BuiltSite;
let south: BuiltSite;
let elsewhere: BuiltSite;
let orgAdmin: string;
const FROM = '2026-06-01';
const TO = '2027-05-31';

async function checkIn(site: BuiltSite, months: number) {
  const fam = await buildHousehold(t.db, site.siteId, [{ months }]);
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body.checkins[0].id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  north = await buildSite(t.db);
  south = await buildSite(t.db, { organizationId: north.organizationId });
  elsewhere = await buildSite(t.db);
  const [u] = await t
    .db('users')
    .insert({
      organization_id: north.organizationId,
      site_id: north.siteId,
      email: `oa-${Date.now()}@rollup.test`,
      name: 'OA',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  orgAdmin = await sessionFor(t.db, u.id);
  for (const m of [6, 24, 24, 48]) await checkIn(north, m);
  for (const m of [24, 48]) await checkIn(south, m);
  const cancelled = await checkIn(south, 6);
  await t.db('checkins').where({ id: cancelled }).update({ status: 'cancelled' });
  await checkIn(elsewhere, 24);
});
afterAll(async () => {
  await t.stop();
});

test("each campus's numbers in the rollup equal that campus's own report; cancelled check-ins do not count; totals add up", async () => {
  const r = await t.api().get(`/api/org/reports/attendance?from=${FROM}&to=${TO}`).set(bearer(orgAdmin));
  expect(r.status).toBe(200);
  expect(r.body.campuses.map((c: { siteId: string }) => c.siteId).sort()).toEqual([north.siteId, south.siteId].sort());
  for (const site of [north, south]) {
    const own = await t.api().get(`/api/reports/attendance?from=${FROM}&to=${TO}`).set(bearer(site.tokens.admin));
    const ownChildren = own.body.services.reduce((n: number, s: { children: number }) => n + s.children, 0);
    const inRollup = r.body.rows.filter((x: { siteId: string }) => x.siteId === site.siteId).reduce((n: number, x: { children: number }) => n + x.children, 0);
    expect({ site: site.siteId, inRollup }).toEqual({ site: site.siteId, inRollup: ownChildren });
    expect(r.body.totals.byCampus[site.siteId]).toBe(ownChildren);
  }
  expect(r.body.totals.children).toBe(6);
  const byGroup = (siteId: string, group: string) =>
    r.body.rows
      .filter((x: { siteId: string; ageGroup: string }) => x.siteId === siteId && x.ageGroup === group)
      .reduce((n: number, x: { children: number }) => n + x.children, 0);
  expect([byGroup(north.siteId, 'Nursery'), byGroup(north.siteId, 'Toddlers'), byGroup(north.siteId, 'Preschool')]).toEqual([1, 2, 1]);
  expect([byGroup(south.siteId, 'Nursery'), byGroup(south.siteId, 'Toddlers'), byGroup(south.siteId, 'Preschool')]).toEqual([0, 1, 1]);
  // the weekend is the Sunday on or after the service's day
  const day = (await t.db('services').where({ id: north.serviceId }).first()).service_date;
  const d = new Date(`${typeof day === 'string' ? day : new Date(day).toISOString().slice(0, 10)}T00:00:00Z`);
  const sunday = new Date(d.getTime() + ((7 - d.getUTCDay()) % 7) * 86_400_000).toISOString().slice(0, 10);
  expect(r.body.weekends).toContain(sunday);
  expect(JSON.stringify(r.body)).not.toContain(elsewhere.siteId);
});

test('the CSV has one line per weekend × campus × age group, with campus names', async () => {
  const r = await t.api().get(`/api/org/reports/attendance.csv?from=${FROM}&to=${TO}`).set(bearer(orgAdmin));
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/text\/csv/);
  const lines = r.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('Weekend (Sunday),Campus,Age group,Children');
  const json = await t.api().get(`/api/org/reports/attendance?from=${FROM}&to=${TO}`).set(bearer(orgAdmin));
  expect(lines.length - 1).toBe(json.body.rows.length);
  const southName = (await t.db('sites').where({ id: south.siteId }).first()).name as string;
  expect(lines.some((l) => l.includes(southName) && l.endsWith(',Toddlers,1'))).toBe(true);
});

test("campus staff and admins (not organisation admins) get 403; another organisation's admin sees only their own", async () => {
  for (const token of [north.tokens.staff, north.tokens.admin, south.tokens.admin]) {
    expect((await t.api().get(`/api/org/reports/attendance?from=${FROM}&to=${TO}`).set(bearer(token))).status).toBe(403);
  }
  const [u] = await t
    .db('users')
    .insert({
      organization_id: elsewhere.organizationId,
      site_id: elsewhere.siteId,
      email: `oa2-${Date.now()}@rollup.test`,
      name: 'OA2',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  const theirs = await t
    .api()
    .get(`/api/org/reports/attendance?from=${FROM}&to=${TO}`)
    .set(bearer(await sessionFor(t.db, u.id)));
  expect(theirs.status).toBe(200);
  expect(theirs.body.totals.children).toBe(1);
  expect(JSON.stringify(theirs.body)).not.toContain(north.siteId);
  const bad = await t.api().get(`/api/org/reports/attendance?from=2026-05-01&to=2026-04-01`).set(bearer(orgAdmin));
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('to');
});
