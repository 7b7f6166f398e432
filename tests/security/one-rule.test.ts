/**
 * One rule per question, on every route (DESIGN §11, §13): who may record a background check is
 * decided once, for /api/people and /api/volunteers alike; the names of campuses, rooms and
 * services follow the same text rules as people's names (the campus name begins every SMS).
 */
import { buildSite, sessionFor } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const CHECK = { status: 'cleared', expiresOn: '2099-01-01' };

test('nobody records their own background check, through /api/people or /api/volunteers; someone else’s, yes', async () => {
  const site = await buildSite(t.db);
  for (const path of [`/api/people/${site.userIds.admin}/background-check`, `/api/volunteers/${site.userIds.admin}/background-check`]) {
    const own = await t.api().put(path).set(bearer(site.tokens.admin)).send(CHECK);
    expect({ path, status: own.status }).toEqual({ path, status: 403 });
  }
  expect((await t.db('users').where({ id: site.userIds.admin }).first()).background_check_status).not.toBe('cleared');
  const other = await t.api().put(`/api/people/${site.userIds.volunteer}/background-check`).set(bearer(site.tokens.admin)).send(CHECK);
  expect(other.status).toBe(200);
  const staffOwn = await t.api().put(`/api/volunteers/${site.userIds.staff}/background-check`).set(bearer(site.tokens.staff)).send(CHECK);
  expect(staffOwn.status).toBe(403);
});

test('campus names (as room and service names already did): invisible or bidi-only names are a 400 naming the field; hidden characters are stripped', async () => {
  const site = await buildSite(t.db);
  const [u] = await t
    .db('users')
    .insert({
      organization_id: site.organizationId,
      site_id: site.siteId,
      email: `oa-${Date.now()}@one-rule.test`,
      name: 'OA',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  const orgAdmin = await sessionFor(t.db, u.id);
  for (const bad of ['\u200B', '\u202E\u202C', ' \u2066 ', '...']) {
    const campus = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: bad, timezone: 'America/Chicago' });
    expect({ bad, status: campus.status, field: campus.body.error?.field }).toEqual({ bad, status: 400, field: 'name' });
    const rename = await t.api().patch('/api/site').set(bearer(site.tokens.admin)).send({ name: bad });
    expect({ bad, status: rename.status, field: rename.body.error?.field }).toEqual({ bad, status: 400, field: 'name' });
  }
  // a right-to-left override inside a name is taken out, so an SMS cannot be made to read backwards
  const made = await t.api().post('/api/org/campuses').set(bearer(orgAdmin)).send({ name: 'North\u202E Campus\u200B', timezone: 'America/Chicago' });
  expect(made.status).toBe(201);
  expect((await t.db('sites').where({ id: made.body.campus.id }).first()).name).toBe('North Campus');
  const renamed = await t.api().patch('/api/site').set(bearer(site.tokens.admin)).send({ name: 'St.\u202E Mark\u2069s' });
  expect(renamed.status).toBe(200);
  expect((await t.db('sites').where({ id: site.siteId }).first()).name).toBe('St. Marks');
});
