/**
 * A Windows-1252 / Latin-1 CSV (old church databases, Excel's "CSV (Comma delimited)") imports as
 * "José", not "Jos\uFFFD", through the upload and the CLI (issue #26); a UTF-8 BOM is dropped;
 * bytes that are not UTF-8 when UTF-8 was declared are refused naming the row and column.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { workerDatabaseUrl } from '../support/db';
import { cp1252 } from '../support/cp1252';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const CSV = [
  'household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies',
  'H1,Pérez family,P1,adult,José,Pérez,3125550101,,,',
  'H1,Pérez family,P2,child,Iñigo,O’Brien-Pérez,,2019-05-15,,Crème brulée',
  'H2,Müller family,P3,adult,François,Müller,3125550102,,,',
  'H2,Müller family,P4,child,Zoe,Müller,,2020-02-01,,',
].join('\r\n');

async function names(siteId: string) {
  const g = await t
    .db('guardians as g')
    .join('households as h', 'h.id', 'g.household_id')
    .where('h.site_id', siteId)
    .orderBy('g.first_name')
    .pluck('g.first_name');
  const c = await t
    .db('children as c')
    .join('households as h', 'h.id', 'c.household_id')
    .where('h.site_id', siteId)
    .orderBy('c.first_name')
    .select('c.first_name', 'c.last_name', 'c.allergies');
  const h = await t.db('households').where({ site_id: siteId }).orderBy('name').pluck('name');
  return { g, c, h };
}
const EXPECTED = {
  g: ['François', 'José'],
  c: [
    { first_name: 'Iñigo', last_name: 'O’Brien-Pérez', allergies: 'Crème brulée' },
    { first_name: 'Zoe', last_name: 'Müller', allergies: '' },
  ],
  h: ['Müller family', 'Pérez family'],
};

const post = (site: BuiltSite, body: Buffer, query: Record<string, string> = {}, type = 'text/csv') =>
  t.api().post('/api/imports').query(query).set(bearer(site.tokens.admin)).set('Content-Type', type).send(body);
async function finished(site: BuiltSite, id: string) {
  for (let i = 0; i < 400; i++) {
    const j = await t.api().get(`/api/imports/${id}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') return j.body.import;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

test('upload: Windows-1252 bytes (é 0xE9, ’ 0x92, ñ 0xF1, ü 0xFC) are detected and stored as the letters they are; a re-run keeps them', async () => {
  const site = await buildSite(t.db);
  const bytes = cp1252(CSV);
  expect([0xe9, 0x92, 0xf1, 0xfc].every((b) => bytes.includes(b))).toBe(true);
  const r = await post(site, bytes);
  expect(r.status).toBe(202);
  expect(r.body.import.encoding).toBe('windows-1252');
  const job = await finished(site, r.body.import.jobId);
  expect(job.problems).toEqual([]);
  expect(await names(site.siteId)).toEqual(EXPECTED);
  const again = await t.api().post(`/api/imports/${job.id}/rerun`).set(bearer(site.tokens.admin));
  expect(again.body.import.encoding).toBe('windows-1252');
  expect((await finished(site, again.body.import.jobId)).summary).toMatchObject({ households: 0, unchangedHouseholds: 2 });
  expect(await names(site.siteId)).toEqual(EXPECTED);
});

test('upload: a UTF-8 file with a BOM (Excel\'s "CSV UTF-8") reads its first header and its names; encoding given in the query or the charset', async () => {
  const site = await buildSite(t.db);
  const r = await post(site, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]));
  expect(r.status).toBe(202);
  expect(r.body.import.encoding).toBe('utf-8');
  expect((await finished(site, r.body.import.jobId)).problems).toEqual([]);
  expect(await names(site.siteId)).toEqual(EXPECTED);
  for (const [query, type] of [
    [{ encoding: 'windows-1252' }, 'text/csv'],
    [{}, 'text/csv; charset=windows-1252'],
  ] as const) {
    const other = await buildSite(t.db);
    const g = await post(other, cp1252(CSV), query, type);
    expect(g.status).toBe(202);
    await finished(other, g.body.import.jobId);
    expect(await names(other.siteId)).toEqual(EXPECTED);
  }
});

test('upload: Windows-1252 bytes declared UTF-8 are refused naming the row and column; an unknown encoding names the field; nothing written', async () => {
  const site = await buildSite(t.db);
  let r = await post(site, cp1252(CSV), { encoding: 'utf-8' });
  expect(r.status).toBe(400);
  expect(r.body.error.field).toBe('body');
  expect(r.body.error.message).toMatch(/row 2, column "household_name".*not UTF-8/);
  r = await post(site, cp1252(CSV), {}, 'text/csv; charset=utf-8');
  expect(r.status).toBe(400);
  r = await post(site, cp1252(CSV), { encoding: 'ebcdic-klingon' });
  expect(r.status).toBe(400);
  expect(r.body.error.field).toBe('encoding');
  expect(await t.db('households').where({ site_id: site.siteId })).toEqual([]);
});

test('npm run import: a Windows-1252 file imports as José; --encoding utf-8 refuses it naming the row, exit 1', async () => {
  const name = `Encoding Campus ${process.pid}-${Date.now()}`;
  const site = await buildSite(t.db, { name });
  const file = path.join(os.tmpdir(), `kc-cp1252-${process.pid}.csv`);
  fs.writeFileSync(file, cp1252(CSV));
  const env = { ...process.env, DATABASE_URL: await workerDatabaseUrl(), DEMO_SEED: 'false', LOG_LEVEL: 'silent' };
  const cli = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'server/src/import/cli.ts', file, '--campus-id', site.siteId, ...args], {
      env,
      cwd: path.join(__dirname, '..', '..'),
    }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
  try {
    let r = await cli(['--encoding', 'utf-8']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 2, column "household_name".*not UTF-8/);
    expect(await t.db('households').where({ site_id: site.siteId })).toEqual([]);
    r = await cli([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('read as windows-1252 (detected)');
    expect(r.stdout.trim().split('\n').pop()).toBe('imported 2 households, 4 people, 0 rows skipped');
    expect(await names(site.siteId)).toEqual(EXPECTED);
  } finally {
    fs.rmSync(file, { force: true });
  }
}, 60_000);
