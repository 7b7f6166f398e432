/**
 * Sign-in that cannot be raced or used to tell accounts apart: the attempt is reserved (count and
 * lock decided in one statement) before the password is checked; the email is normalised before
 * the rate-limit key and the lookup; unknown email, wrong password and locked account get one
 * answer. Verifications are counted through their audit rows (one `auth.login_failed` per wrong
 * password checked, one `auth.login_locked` per attempt refused without checking).
 */
import { hashPassword } from '../../server/src/auth/crypto';
import { MAX_FAILURES } from '../../server/src/auth/auth.service';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
// the per-address limit is lifted here so every request reaches the account lock it tests
beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_ATTEMPTS_PER_MINUTE: '10000' } });
});
afterAll(async () => {
  await t.stop();
});

let hash: string;
async function userWithPassword(site: BuiltSite, role: 'staff' | 'admin' = 'staff') {
  hash ??= await hashPassword('right password');
  const email = `race-${role}-${site.siteId}@x.church`;
  await t.db('users').where({ id: site.userIds[role] }).update({ email, password_hash: hash });
  return email;
}
const audits = (userId: string, action: string) =>
  t
    .db('audit_log')
    .where({ entity_id: userId, action })
    .count<{ n: string }[]>('* as n')
    .then((r) => Number(r[0]!.n));
const login = (email: string, password: string) => t.api().post('/api/auth/login').send({ email, password });
// the same address in every disguise the schema folds away
const disguise = (email: string, i: number) => [email, ` ${email}`, `${email.toUpperCase()}  `, `\t${email[0]!.toUpperCase()}${email.slice(1)}`][i % 4]!;

test(`30 parallel wrong passwords (padded, upper-cased) verify exactly ${MAX_FAILURES} and lock the account`, async () => {
  const site = await buildSite(t.db);
  const email = await userWithPassword(site);
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(disguise(email, i), `wrong ${i}`)));
  expect(answers.map((r) => r.status)).toEqual(Array(30).fill(401));
  expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
  expect(await audits(site.userIds.staff, 'auth.login_failed')).toBe(MAX_FAILURES);
  expect(await audits(site.userIds.staff, 'auth.login_locked')).toBe(30 - MAX_FAILURES);
  const row = await t.db('users').where({ id: site.userIds.staff }).first();
  expect(row.locked_until.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  // locked: even the right password is refused, with the very same answer, and on record
  const locked = await login(` ${email.toUpperCase()} `, 'right password');
  expect(locked.status).toBe(401);
  expect(locked.body).toEqual(answers[0]!.body);
  expect(await audits(site.userIds.staff, 'auth.login_locked')).toBe(31 - MAX_FAILURES);
});

test('unknown email, wrong password and locked account give the same status, code and message', async () => {
  const site = await buildSite(t.db);
  const email = await userWithPassword(site);
  const unknown = await login(`nobody-${site.siteId}@x.church`, 'whatever');
  const wrong = await login(email, 'wrong');
  await t
    .db('users')
    .where({ id: site.userIds.staff })
    .update({ locked_until: new Date(Date.now() + 60_000) });
  const locked = await login(email, 'right password');
  for (const r of [unknown, wrong, locked]) {
    expect(r.status).toBe(401);
    expect(r.body).toEqual(unknown.body);
  }
  expect(unknown.body.error.code).toBe('invalid_credentials');
  expect(unknown.headers['retry-after']).toBeUndefined();
});

test('a padded, upper-cased email signs in; success clears the count', async () => {
  const site = await buildSite(t.db);
  const email = await userWithPassword(site);
  for (let i = 0; i < MAX_FAILURES - 1; i++) expect((await login(email, 'wrong')).status).toBe(401);
  const ok = await login(`  ${email.toUpperCase()} `, 'right password');
  expect(ok.status).toBe(200);
  expect(ok.body.user.email).toBe(email);
  expect(await t.db('users').where({ id: site.userIds.staff }).first()).toMatchObject({ failed_logins: 0, locked_until: null });
});

test('the lock is short: once it has passed the right password works and the count starts again', async () => {
  const site = await buildSite(t.db);
  const email = await userWithPassword(site);
  await t
    .db('users')
    .where({ id: site.userIds.staff })
    .update({ failed_logins: MAX_FAILURES, locked_until: new Date(Date.now() - 1000) });
  expect((await login(email, 'wrong')).status).toBe(401);
  expect(await t.db('users').where({ id: site.userIds.staff }).first()).toMatchObject({ failed_logins: 1, locked_until: null });
  expect((await login(email, 'right password')).status).toBe(200);
});

test("an admin of the site unlocks a locked account at once (audited); another site's admin cannot", async () => {
  const site = await buildSite(t.db);
  const other = await buildSite(t.db);
  const email = await userWithPassword(site);
  await t
    .db('users')
    .where({ id: site.userIds.staff })
    .update({ failed_logins: MAX_FAILURES, locked_until: new Date(Date.now() + 15 * 60_000) });
  expect((await t.api().post(`/api/users/${site.userIds.staff}/unlock`).set(bearer(other.tokens.admin))).status).toBe(404);
  expect((await t.api().post(`/api/users/${site.userIds.staff}/unlock`).set(bearer(site.tokens.staff))).status).toBe(403);
  expect((await t.api().post('/api/users/not-a-uuid/unlock').set(bearer(site.tokens.admin))).body.error.field).toBe('id');
  expect((await login(email, 'right password')).status).toBe(401);
  expect((await t.api().post(`/api/users/${site.userIds.staff}/unlock`).set(bearer(site.tokens.admin))).status).toBe(204);
  expect(await audits(site.userIds.staff, 'auth.unlock')).toBe(1);
  expect((await login(email, 'right password')).status).toBe(200);
});

test('the per-address limit keys on the normalised email: padding and capitals share one bucket', async () => {
  const own = await startTestApp({ db: t.db, env: { LOGIN_ATTEMPTS_PER_MINUTE: '4' } });
  try {
    const email = `bucket-${Date.now()}@x.church`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await own
            .api()
            .post('/api/auth/login')
            .send({ email: disguise(email, i), password: 'x' })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  } finally {
    await own.stop();
  }
});
