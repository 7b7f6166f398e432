/**
 * First run without SQL (DESIGN §10): `npm run setup` as a child process on a brand-new empty
 * database — it migrates, creates the organisation, campus and admin — then that admin signs in;
 * a second run refuses with exit 1 and changes nothing.
 */
import { Client } from 'pg';
import { adminUrl } from '../support/db';
import { startProcess } from '../support/processes';
import { startTestApp, type TestApp } from '../support/harness';
import { createDb, type Knex } from '../../server/src/db/knex';

jest.setTimeout(120_000);

let url: string;
let db: Knex;
let t: TestApp | undefined;
beforeAll(async () => {
  const name = `${process.env.TEST_DB_PREFIX ?? 'kidsclub_test'}_setup_${process.env.JEST_WORKER_ID ?? '1'}_${Date.now().toString(36)}`;
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  } // empty: not even migrated
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  url = u.toString();
  db = createDb(url, 4);
});
afterAll(async () => {
  await t?.stop();
  await db.destroy();
});

async function runSetup(args: string[], env: Record<string, string> = {}) {
  const p = startProcess(['server/src/org/setup-cli.ts', ...args], { DATABASE_URL: url, DEMO_SEED: 'false', LOG_LEVEL: 'silent', ...env }, { clean: true });
  p.child.stdin!.end(); // not a terminal: nothing is asked
  const code = await new Promise<number>((resolve) => p.child.once('exit', (c) => resolve(c ?? -1)));
  return { code, out: p.output() };
}
const FLAGS = [
  '--org',
  'Grace Church',
  '--campus',
  'North Campus',
  '--timezone',
  'America/Chicago',
  '--admin-name',
  'Pat Pastor',
  '--admin-email',
  'Pastor.Admin@Grace.Church',
  '--admin-password',
  'correct horse battery',
];

test('missing or bad flags: exit 1 naming each, nothing created', async () => {
  const r = await runSetup(['--org', 'Grace Church', '--timezone', 'Mars/Olympus', '--admin-password', 'short']);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/--campus: is required/);
  expect(r.out).toMatch(/--timezone: must be an IANA time zone/);
  expect(r.out).toMatch(/--admin-email: is required/);
  expect(r.out).toMatch(/--admin-name: is required/);
  expect(r.out).toMatch(/--admin-password: must be at least 10/);
});

test('setup migrates, creates organisation, campus with rooms and admin; the admin signs in', async () => {
  const r = await runSetup(FLAGS);
  expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: expect.stringMatching(/Created organisation "Grace Church"/) });
  const [org] = await db('organizations').select('id', 'name');
  expect(org.name).toBe('Grace Church');
  const sites = await db('sites').where({ organization_id: org.id });
  expect(sites.map((s) => [s.name, s.timezone])).toEqual([['North Campus', 'America/Chicago']]);
  expect(Number((await db('rooms').where({ site_id: sites[0].id }).count('* as n'))[0]!.n)).toBeGreaterThan(3);
  const user = await db('users').where({ organization_id: org.id }).first();
  expect(user).toMatchObject({ email: 'pastor.admin@grace.church', name: 'Pat Pastor', org_admin: true });
  expect(r.out).toMatch(/\/staff\/admin\/campuses/);
  expect(user.password_hash).toMatch(/^scrypt\$/);

  t = await startTestApp({ db });
  const login = await t.api().post('/api/auth/login').send({ email: 'PASTOR.ADMIN@grace.church', password: 'correct horse battery' });
  expect(login.status).toBe(200);
  expect(login.body.user).toMatchObject({ role: 'admin', siteId: sites[0].id, organizationId: org.id, orgAdmin: true });
  expect(login.body.campuses).toEqual([{ siteId: sites[0].id, name: 'North Campus', role: 'admin' }]);
  const me = await t
    .api()
    .get('/api/site')
    .set({ Authorization: `Bearer ${login.body.token}` });
  expect(me.body.site).toMatchObject({ name: 'North Campus', timezone: 'America/Chicago' });
  const wrong = await t.api().post('/api/auth/login').send({ email: 'pastor.admin@grace.church', password: 'correct horse battery!' });
  expect(wrong.status).toBe(401);
});

test('a second run refuses with a clear message and exit 1, and changes nothing', async () => {
  const before = await Promise.all(['organizations', 'sites', 'users', 'rooms'].map(async (tb) => Number((await db(tb).count('* as n'))[0]!.n)));
  const r = await runSetup([
    '--org',
    'Other',
    '--campus',
    'X',
    '--timezone',
    'UTC',
    '--admin-name',
    'X Y',
    '--admin-email',
    'x@y.org',
    '--admin-password',
    'another long password',
  ]);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/already has an organisation; setup runs only once/);
  const after = await Promise.all(['organizations', 'sites', 'users', 'rooms'].map(async (tb) => Number((await db(tb).count('* as n'))[0]!.n)));
  expect(after).toEqual(before);
});
