/**
 * CSV import (DESIGN §11): the exports of Planning Center, Rock and Breeze and a mapped generic
 * file; a dry run lists every row's problems and writes nothing; re-importing changes nothing;
 * a household that fails half-way leaves nothing; the CLI. (10,000 households: tests/volume/import-volume.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildHousehold, buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { workerDatabaseUrl } from '../support/db';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'import', name), 'utf8');
const count = async (table: string, siteId: string) => {
  if (table === 'households') return Number((await t.db('households').where({ site_id: siteId }).count('* as n'))[0]!.n);
  return Number((await t.db(`${table} as x`).join('households as h', 'h.id', 'x.household_id').where('h.site_id', siteId).count('* as n'))[0]!.n);
};
const snapshot = async (siteId: string) =>
  JSON.stringify(await Promise.all(['households', 'guardians', 'children', 'authorized_pickups'].map((x) => count(x, siteId))));

async function upload(site: { tokens: { admin: string } }, csv: string, query: Record<string, string> = {}) {
  const r = await t.api().post('/api/imports').query(query).set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv);
  expect(r.status).toBe(202);
  const id = r.body.import.jobId;
  for (let i = 0; i < 200; i++) {
    const j = await t.api().get(`/api/imports/${id}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') return j.body.import;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

describe.each([
  [
    'pco.csv',
    {},
    'America/Chicago',
    { households: 3, people: 7, skipped: 4 },
    [
      [8, 'mobile "+1 012 555 0123"'],
      [9, 'household H-503'],
      [11, 'first name is required'],
      [12, 'birthdate 2099-01-01 must not be in the future'],
    ],
  ],
  [
    'rock.csv',
    {},
    'America/Phoenix',
    { households: 1, people: 3, skipped: 2 },
    [
      [5, 'mobile "+12345678"'],
      [6, 'birthdate 1800-01-01 must be within the last 25 years'],
    ],
  ],
  [
    'breeze.csv',
    {},
    'America/Los_Angeles',
    { households: 1, people: 3, skipped: 3 },
    [
      [5, 'birthdate 0000-01-01'],
      [6, 'mobile "+1 312 555 01"'],
      [7, 'household F-78'],
    ],
  ],
  [
    'generic.csv',
    { format: 'generic', mapping: fixture('generic-mapping.json') },
    'Europe/London',
    { households: 1, people: 3, skipped: 2 },
    [
      [5, 'mobile "020 7946 0958"'],
      [6, 'household G-2'],
    ],
  ],
] as const)('%s', (file, query, timezone, expected, problems) => {
  test('dry run lists the problems by row and writes nothing; the import writes; a second import changes nothing', async () => {
    const site = await buildSite(t.db, { timezone });
    const csv = fixture(file);
    const q = { ...query } as Record<string, string>;
    const dry = await upload(site, csv, { ...q, dryRun: 'true' });
    expect(dry.status).toBe('done');
    expect(dry.summary.line).toBe(`would import ${expected.households} households, ${expected.people} people, ${expected.skipped} rows skipped`);
    for (const [row, text] of problems)
      expect(dry.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row, message: expect.stringContaining(text) })]));
    expect(await count('households', site.siteId)).toBe(0);

    const real = await upload(site, csv, q);
    expect(real.summary.line).toBe(`imported ${expected.households} households, ${expected.people} people, ${expected.skipped} rows skipped`);
    expect(real.total).toBe(real.processed);
    expect(await count('households', site.siteId)).toBe(expected.households);
    const before = await snapshot(site.siteId);
    const again = await upload(site, csv, q);
    expect(again.summary.line).toBe(`imported 0 households, 0 people, ${expected.skipped} rows skipped`);
    expect(await snapshot(site.siteId)).toBe(before);
  });
});

test("what Planning Center's file becomes: guardians, mobiles, children, birthdates, grades, allergies, medical notes, pickups, source ids", async () => {
  const site = await buildSite(t.db);
  await upload(site, fixture('pco.csv'));
  const h = await t.db('households').where({ site_id: site.siteId, name: 'Johnson Household' }).first();
  const guardians = await t.db('guardians').where({ household_id: h.id }).orderBy('phone');
  expect(guardians.map((g) => [g.first_name, g.phone])).toEqual([
    ['Sam', '+13125550101'],
    ['Mark', '+13125550102'],
  ]);
  const kids = await t.db('children').where({ household_id: h.id }).orderBy('first_name');
  expect(kids.map((c) => [c.first_name, c.grade, c.allergies, c.medical_notes])).toEqual([
    ['Ava', null, 'Peanuts', 'Inhaler in bag'],
    ['Leo', 2, '', ''],
  ]);
  expect(await t.db('authorized_pickups').where({ household_id: h.id }).orderBy('name').select('name', 'relationship', 'phone')).toEqual([
    { name: 'Grandma Joy', relationship: 'grandmother', phone: '+13125550150' },
    { name: 'Uncle Bo', relationship: '', phone: null },
  ]);
  expect(await t.db('external_ids').where({ site_id: site.siteId, source: 'pco' }).count('* as n')).toEqual([{ n: 10 }]);
  const audit = await t.db('audit_log').where({ site_id: site.siteId, action: 'household.import' }).first();
  expect(audit.details).toEqual(expect.objectContaining({ households: 3, people: 7 }));
});

test('a family already registered at the kiosk with the same mobile is completed, not duplicated', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ava', months: 30 }], { lastName: 'Johnson', phone: '+13125550101' });
  await upload(site, fixture('pco.csv'));
  expect(await t.db('households').where({ site_id: site.siteId }).whereILike('name', '%johnson%').pluck('id')).toEqual([fam.householdId]);
  expect((await t.db('children').where({ household_id: fam.householdId })).length).toBeGreaterThanOrEqual(2);
});

test('a household that fails half-way leaves nothing of it; the others are imported', async () => {
  const site = await buildSite(t.db);
  await t.db.raw(
    `CREATE OR REPLACE FUNCTION kc_explode() RETURNS trigger AS $$ BEGIN IF NEW.first_name = 'Leo' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
  );
  await t.db.raw('CREATE TRIGGER kc_explode BEFORE INSERT ON children FOR EACH ROW EXECUTE FUNCTION kc_explode()');
  try {
    const r = await upload(site, fixture('pco.csv'));
    expect(r.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row: 2, message: expect.stringContaining('nothing of it was imported') })]));
    // the Johnsons' guardians were inserted before the child failed: rolled back with their household
    expect((await t.db('households').where({ site_id: site.siteId }).pluck('name')).sort()).toEqual(['García Household', 'Okafor Household']);
    expect(
      await t
        .db('guardians')
        .where({ phone: '+13125550101' })
        .whereIn('household_id', t.db('households').select('id').where({ site_id: site.siteId })),
    ).toEqual([]);
  } finally {
    await t.db.raw('DROP TRIGGER kc_explode ON children');
  }
});

test('upload refusals: nothing readable is a 400; admins only', async () => {
  const site = await buildSite(t.db);
  let r = await t.api().post('/api/imports').set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send('foo,bar\n1,2\n');
  expect(r.status).toBe(400);
  expect(r.body.error.field).toBe('body');
  r = await t.api().post('/api/imports').query({ mapping: '[1' }).set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(fixture('pco.csv'));
  expect(r.body.error.field).toBe('mapping');
  r = await t.api().post('/api/imports').set(bearer(site.tokens.staff)).set('Content-Type', 'text/csv').send(fixture('pco.csv'));
  expect(r.status).toBe(403);
  const other = await buildSite(t.db);
  const job = (
    await t.api().post('/api/imports').query({ dryRun: 'true' }).set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(fixture('pco.csv'))
  ).body.import.jobId;
  expect((await t.api().get(`/api/imports/${job}`).set(bearer(other.tokens.admin))).status).toBe(404);
});

test('npm run import: the summary line, problems by row, exit 0; exit 1 when nothing can be read', async () => {
  const name = `Campus ${Date.now()}`;
  const site = await buildSite(t.db, { name });
  const env = { ...process.env, DATABASE_URL: await workerDatabaseUrl(), DEMO_SEED: 'false', LOG_LEVEL: 'silent' };
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run('npx', ['tsx', 'server/src/import/cli.ts', ...args], { env, cwd: path.join(__dirname, '..', '..') }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
  let r = await cli([path.join('tests', 'fixtures', 'import', 'rock.csv'), '--campus', name, '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('row 5: mobile "+12345678"');
  expect(r.stdout.trim().split('\n').pop()).toBe('would import 1 households, 3 people, 2 rows skipped');
  r = await cli([path.join('tests', 'fixtures', 'import', 'rock.csv'), '--campus', name, '--format', 'rock']);
  expect(r.stdout.trim().split('\n').pop()).toBe('imported 1 households, 3 people, 2 rows skipped');
  expect(await count('children', site.siteId)).toBe(2);
  const empty = path.join(os.tmpdir(), `kc-empty-${process.pid}.csv`);
  fs.writeFileSync(empty, 'nothing,useful\n');
  r = await cli([empty, '--campus', name]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('nothing could be read');
}, 60_000);
