/**
 * People and roles (DESIGN §10): invite → accept → sign in; roles per campus take effect at once;
 * deactivation ends sign-ins and open sockets; a reset link works once; one's own password; and
 * the edges an outsider would try (used links, other organisations, campus admins reaching beyond
 * their campus, upper-case emails).
 */
import { buildSite, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { hashPassword } from '../../server/src/auth/crypto';

let t: TestApp;
let a1: BuiltSite;
let a2: BuiltSite;
let b: BuiltSite;
let orgAdminToken: string;
let orgAdminId: string;
beforeAll(async () => {
  t = await startTestApp();
  a1 = await buildSite(t.db);
  a2 = await buildSite(t.db, { organizationId: a1.organizationId });
  b = await buildSite(t.db); // another organisation
  const [u] = await t
    .db('users')
    .insert({
      organization_id: a1.organizationId,
      site_id: a1.siteId,
      email: `orgadmin-${Date.now()}@test.church`,
      name: 'Olga Org',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  orgAdminId = u.id;
  orgAdminToken = await sessionFor(t.db, u.id);
});
afterAll(async () => {
  await t.stop();
});

const tokenOf = (url: string) => url.split('/account/')[1]!;
const emailFor = (p: string) => `${p}-${Math.random().toString(36).slice(2, 8)}@Test.Church`;
async function login(email: string, password: string, extra: object = {}) {
  return t
    .api()
    .post('/api/auth/login')
    .send({ email, password, ...extra });
}

test('invite → accept the link → sign in (email case-insensitive); the link works once', async () => {
  const email = emailFor('New.Volunteer');
  const inv = await t.api().post('/api/people').set(bearer(a1.tokens.admin)).send({ email, name: 'Nia New', role: 'volunteer' });
  expect(inv.status).toBe(201);
  expect(inv.body.person).toMatchObject({ email: email.toLowerCase(), activated: false, active: true, roles: [{ siteId: a1.siteId, role: 'volunteer' }] });
  expect(inv.body.url).toMatch(/\/account\/[A-Za-z0-9_-]{43}$/);
  // only the hash is stored
  const stored = await t.db('user_tokens').where({ user_id: inv.body.person.id });
  expect(JSON.stringify(stored)).not.toContain(tokenOf(inv.body.url));
  // before accepting, nobody signs in as them
  expect((await login(email, 'x'.repeat(12))).status).toBe(401);
  const page = await t.api().get(`/account/${tokenOf(inv.body.url)}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain(email.toLowerCase());
  const set = await t
    .api()
    .post(`/account/${tokenOf(inv.body.url)}`)
    .type('form')
    .send({ password: 'a good long password', confirm: 'a good long password' });
  expect(set.status).toBe(200);
  expect(set.text).toContain('Password set');
  const l = await login(email.toUpperCase(), 'a good long password');
  expect(l.status).toBe(200);
  expect(l.body.user).toMatchObject({ role: 'volunteer', siteId: a1.siteId, orgAdmin: false });
  // used: the page and the API refuse it
  expect((await t.api().get(`/account/${tokenOf(inv.body.url)}`)).status).toBe(410);
  const again = await t
    .api()
    .post('/api/account/password')
    .send({ token: tokenOf(inv.body.url), password: 'somebody elses pw' });
  expect(again.status).toBe(410);
  expect(again.body.error.code).toBe('link_invalid');
  expect((await login(email, 'somebody elses pw')).status).toBe(401);
  expect(await t.db('audit_log').where({ entity_id: inv.body.person.id }).pluck('action')).toEqual(
    expect.arrayContaining(['person.invite', 'person.invite_accepted']),
  );
});

test('the same email twice in one organisation is refused (any case); another organisation may use it', async () => {
  const email = emailFor('dup');
  expect((await t.api().post('/api/people').set(bearer(a1.tokens.admin)).send({ email, name: 'D', role: 'staff' })).status).toBe(201);
  const dup = await t.api().post('/api/people').set(bearer(a1.tokens.admin)).send({ email: email.toUpperCase(), name: 'D', role: 'staff' });
  expect(dup.status).toBe(409);
  expect(dup.body.error.code).toBe('person_exists');
  expect((await t.api().post('/api/people').set(bearer(b.tokens.admin)).send({ email, name: 'D', role: 'staff' })).status).toBe(201);
  const bad = await t.api().post('/api/people').set(bearer(a1.tokens.admin)).send({ email: 'not-an-email', name: 'D', role: 'staff' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('email');
  const badRole = await t
    .api()
    .post('/api/people')
    .set(bearer(a1.tokens.admin))
    .send({ email: emailFor('r'), name: 'D', role: 'owner' });
  expect([badRole.status, badRole.body.error.field]).toEqual([400, 'role']);
});

test('a role change takes effect at once; a role taken away ends the sign-in there', async () => {
  const staffToken = await sessionFor(t.db, a1.userIds.staff);
  expect((await t.api().get('/api/alerts').query({ serviceId: a1.serviceId }).set(bearer(staffToken))).status).toBe(200);
  const down = await t.api().put(`/api/people/${a1.userIds.staff}/role`).set(bearer(a1.tokens.admin)).send({ role: 'volunteer' });
  expect(down.status).toBe(200);
  expect(down.body.person.roles).toEqual([{ siteId: a1.siteId, siteName: expect.any(String), role: 'volunteer' }]);
  expect((await t.api().get('/api/alerts').query({ serviceId: a1.serviceId }).set(bearer(staffToken))).status).toBe(403);
  expect((await t.api().get('/api/services/current').set(bearer(staffToken))).status).toBe(200);
  const s = t.socket(staffToken);
  await connected(s);
  const ended = nextEvent<{ reason: string }>(s, 'session.ended');
  expect((await t.api().put(`/api/people/${a1.userIds.staff}/role`).set(bearer(a1.tokens.admin)).send({ role: null })).status).toBe(200);
  expect((await ended).reason).toBe('revoked');
  expect((await t.api().get('/api/services/current').set(bearer(staffToken))).status).toBe(401);
  // back again, for the other tests
  await t.api().put(`/api/people/${a1.userIds.staff}/role`).set(bearer(a1.tokens.admin)).send({ role: 'staff' });
});

test('deactivation ends every sign-in and open socket; the person cannot sign in', async () => {
  const email = emailFor('leaving');
  const [u] = await t
    .db('users')
    .insert({ site_id: a1.siteId, email: email.toLowerCase(), name: 'Lee Leaving', role: 'staff', password_hash: await hashPassword('leaving password') })
    .returning('id');
  const tok1 = await sessionFor(t.db, u.id);
  const tok2 = (await login(email, 'leaving password')).body.token;
  const s1 = t.socket(tok1);
  const s2 = t.socket(tok2);
  await Promise.all([connected(s1), connected(s2)]);
  const gone = Promise.all([nextEvent(s1, 'disconnect'), nextEvent(s2, 'disconnect'), nextEvent(s1, 'session.ended')]);
  const r = await t.api().post(`/api/people/${u.id}/deactivate`).set(bearer(a1.tokens.admin));
  expect(r.status).toBe(200);
  expect(r.body.person.active).toBe(false);
  await gone;
  for (const tok of [tok1, tok2]) expect((await t.api().get('/api/auth/me').set(bearer(tok))).status).toBe(401);
  expect((await login(email, 'leaving password')).status).toBe(401);
  // a socket opened with a sign-in that was deactivated behind the app's back ends at the sweep too
  expect(await t.db('audit_log').where({ entity_id: u.id, action: 'person.deactivate' }).count('* as n')).toEqual([{ n: 1 }]);
  expect((await t.api().post(`/api/people/${u.id}/reactivate`).set(bearer(a1.tokens.admin))).body.person.active).toBe(true);
  expect((await login(email, 'leaving password')).status).toBe(200);
});

test('a reset link works once and ends the old sign-ins', async () => {
  const email = emailFor('forgetful');
  const [u] = await t
    .db('users')
    .insert({ site_id: a1.siteId, email: email.toLowerCase(), name: 'F', role: 'volunteer', password_hash: await hashPassword('old password 1') })
    .returning('id');
  const old = await sessionFor(t.db, u.id);
  const r = await t.api().post(`/api/people/${u.id}/reset-link`).set(bearer(a1.tokens.admin));
  expect(r.status).toBe(201);
  const token = tokenOf(r.body.url);
  expect((await t.api().post('/api/account/password').send({ token, password: 'short' })).body.error.field).toBe('password');
  expect((await t.api().post('/api/account/password').send({ token, password: 'new password 22' })).status).toBe(200);
  expect((await t.api().post('/api/account/password').send({ token, password: 'third password 333' })).status).toBe(410);
  expect((await login(email, 'old password 1')).status).toBe(401);
  expect((await login(email, 'third password 333')).status).toBe(401);
  expect((await login(email, 'new password 22')).status).toBe(200);
  expect((await t.api().get('/api/auth/me').set(bearer(old))).status).toBe(401);
  // a newer link replaces an unused older one
  const l1 = tokenOf((await t.api().post(`/api/people/${u.id}/reset-link`).set(bearer(a1.tokens.admin))).body.url);
  const l2 = tokenOf((await t.api().post(`/api/people/${u.id}/reset-link`).set(bearer(a1.tokens.admin))).body.url);
  expect((await t.api().post('/api/account/password').send({ token: l1, password: 'stale link pw 1' })).status).toBe(410);
  expect((await t.api().post('/api/account/password').send({ token: l2, password: 'fresh link pw 2' })).status).toBe(200);
});

test("one's own password: the current one first (refusal audited); other sign-ins end, this one stays", async () => {
  const email = emailFor('self');
  const [u] = await t
    .db('users')
    .insert({ site_id: a1.siteId, email: email.toLowerCase(), name: 'S', role: 'volunteer', password_hash: await hashPassword('first password') })
    .returning('id');
  const me = (await login(email, 'first password')).body.token;
  const other = await sessionFor(t.db, u.id);
  const wrong = await t.api().put('/api/auth/me/password').set(bearer(me)).send({ currentPassword: 'nope', newPassword: 'second password' });
  expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_password']);
  expect(await t.db('audit_log').where({ entity_id: u.id, action: 'person.password_change_refused' }).count('* as n')).toEqual([{ n: 1 }]);
  expect((await t.api().put('/api/auth/me/password').set(bearer(me)).send({ currentPassword: 'first password', newPassword: 'second password' })).status).toBe(
    204,
  );
  expect((await t.api().get('/api/auth/me').set(bearer(me))).status).toBe(200);
  expect((await t.api().get('/api/auth/me').set(bearer(other))).status).toBe(401);
  expect((await login(email, 'first password')).status).toBe(401);
  expect((await login(email, 'second password')).status).toBe(200);
});

test("another organisation's admin sees and changes none of these people", async () => {
  const list = await t.api().get('/api/people').set(bearer(b.tokens.admin));
  expect(JSON.stringify(list.body)).not.toContain(a1.userIds.staff);
  for (const [m, p, body] of [
    ['put', 'role', { role: 'admin' }],
    ['post', 'deactivate', {}],
    ['post', 'reset-link', {}],
    ['post', 'reactivate', {}],
  ] as const) {
    const r = await (t.api() as any)[m](`/api/people/${a1.userIds.volunteer}/${p}`).set(bearer(b.tokens.admin)).send(body);
    expect({ p, status: r.status }).toEqual({ p, status: 404 });
  }
  // inviting into another organisation's campus
  expect(
    (
      await t
        .api()
        .post('/api/people')
        .set(bearer(b.tokens.admin))
        .send({ email: emailFor('x'), name: 'X', role: 'admin', siteId: a1.siteId })
    ).status,
  ).toBe(403);
  expect(await t.db('users').where({ id: a1.userIds.volunteer }).first()).toMatchObject({ deactivated_at: null });
});

test('a campus admin stays on their campus; an organisation admin manages all campuses', async () => {
  // a2's admin: a1's volunteer is not theirs to see, deactivate or reset
  expect((await t.api().post(`/api/people/${a1.userIds.volunteer}/deactivate`).set(bearer(a2.tokens.admin))).status).toBe(404);
  expect((await t.api().post(`/api/people/${a1.userIds.volunteer}/reset-link`).set(bearer(a2.tokens.admin))).status).toBe(404);
  expect((await t.api().put(`/api/people/${a1.userIds.volunteer}/role`).set(bearer(a2.tokens.admin)).send({ role: 'admin', siteId: a1.siteId })).status).toBe(
    403,
  );
  expect(
    (
      await t
        .api()
        .post('/api/people')
        .set(bearer(a2.tokens.admin))
        .send({ email: emailFor('y'), name: 'Y', role: 'staff', siteId: a1.siteId })
    ).status,
  ).toBe(403);
  expect(
    (
      await t
        .api()
        .post('/api/people')
        .set(bearer(a1.tokens.admin))
        .send({ email: emailFor('z'), name: 'Z', orgAdmin: true })
    ).status,
  ).toBe(403);
  // nor an organisation admin's password (a reset link would be a takeover)
  expect([403, 404]).toContain((await t.api().post(`/api/people/${orgAdminId}/reset-link`).set(bearer(a1.tokens.admin))).status);
  await t.db('user_roles').insert({ organization_id: a1.organizationId, user_id: orgAdminId, site_id: a1.siteId, role: 'admin' });
  expect((await t.api().post(`/api/people/${orgAdminId}/reset-link`).set(bearer(a1.tokens.admin))).status).toBe(403);
  expect((await t.api().post(`/api/people/${orgAdminId}/deactivate`).set(bearer(a1.tokens.admin))).status).toBe(403);
  // the organisation admin gives a1's volunteer a role at a2 too; then a1's admin can no longer deactivate them alone
  const both = await t.api().put(`/api/people/${a1.userIds.volunteer}/role`).set(bearer(orgAdminToken)).send({ role: 'staff', siteId: a2.siteId });
  expect(both.status).toBe(200);
  expect(both.body.person.roles.map((r: any) => [r.siteId, r.role])).toEqual([
    [a1.siteId, 'volunteer'],
    [a2.siteId, 'staff'],
  ]);
  expect((await t.api().post(`/api/people/${a1.userIds.volunteer}/deactivate`).set(bearer(a1.tokens.admin))).status).toBe(403);
  // a campus admin's list shows their campus's roles only; the organisation admin's every campus
  const campusList = (await t.api().get('/api/people').set(bearer(a1.tokens.admin))).body.people.find((p: any) => p.id === a1.userIds.volunteer);
  expect(campusList.roles.map((r: any) => r.siteId)).toEqual([a1.siteId]);
  const orgList = (await t.api().get('/api/people').query({ siteId: a2.siteId }).set(bearer(orgAdminToken))).body.people.map((p: any) => p.id);
  expect(orgList).toEqual(expect.arrayContaining([a1.userIds.volunteer, a2.userIds.admin]));
  expect(orgList).not.toContain(a1.userIds.staff);
});

test('a person with roles at two campuses picks one at sign-in or switches; never a campus without a role', async () => {
  const email = emailFor('two');
  const [u] = await t
    .db('users')
    .insert({ site_id: a1.siteId, email: email.toLowerCase(), name: 'T', role: 'volunteer', password_hash: await hashPassword('two campuses pw') })
    .returning('id');
  await t.db('user_roles').insert({ organization_id: a1.organizationId, user_id: u.id, site_id: a2.siteId, role: 'staff' });
  const def = await login(email, 'two campuses pw');
  expect(def.body.user).toMatchObject({ siteId: a1.siteId, role: 'volunteer' });
  expect(def.body.campuses.map((c: any) => [c.siteId, c.role])).toEqual([
    [a1.siteId, 'volunteer'],
    [a2.siteId, 'staff'],
  ]);
  const at2 = await login(email, 'two campuses pw', { siteId: a2.siteId });
  expect(at2.body.user).toMatchObject({ siteId: a2.siteId, role: 'staff' });
  expect((await login(email, 'two campuses pw', { siteId: b.siteId })).status).toBe(403);
  const sw = await t.api().post('/api/auth/switch-campus').set(bearer(def.body.token)).send({ siteId: a2.siteId });
  expect(sw.status).toBe(200);
  expect(sw.body.user).toMatchObject({ siteId: a2.siteId, role: 'staff' });
  expect((await t.api().get('/api/auth/me').set(bearer(def.body.token))).status).toBe(401);
  const site = await t.api().get('/api/site').set(bearer(sw.body.token));
  expect(site.body.site.id).toBe(a2.siteId);
  expect((await t.api().post('/api/auth/switch-campus').set(bearer(sw.body.token)).send({ siteId: b.siteId })).status).toBe(403);
  expect((await t.api().post('/api/auth/switch-campus').set(bearer(sw.body.token)).send({ siteId: 'nope' })).body.error.field).toBe('siteId');
});
