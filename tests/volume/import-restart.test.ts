/**
 * Import jobs survive a restart (issue #15): the job's row holds its progress, outcome and file;
 * a job whose server stopped half-way is read as interrupted by the next server (not "running"
 * for ever), the households it committed stay whole, and running it again finishes the file
 * without changing what was already imported (keyed on the source's ids).
 */
import type { Knex } from 'knex';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { testDb } from '../support/db';
import { CHUNK } from '../../server/src/import/import.service';

// minutes on a machine shared with other work (quiet, about one)
jest.setTimeout(480_000);
const env = { IMPORT_STALE_MS: '1000' };
const HOUSEHOLDS = 3000;

let db: Knex;
const apps: TestApp[] = [];
beforeAll(async () => {
  db = await testDb(4);
});
afterAll(async () => {
  for (const a of apps) await a.stop().catch(() => {});
  await db.destroy();
});
async function app(): Promise<TestApp> {
  const a = await startTestApp({ env });
  apps.push(a);
  return a;
}

function csv(n: number, prefix: string) {
  const lines = ['household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies'];
  for (let i = 0; i < n; i++) {
    const phone = `+1312${String(3_000_000 + i).padStart(7, '0')}`;
    lines.push(`${prefix}${i},Family ${i},${prefix}P${i}a,adult,Pat,Surname${i},${phone},,,`);
    lines.push(`${prefix}${i},Family ${i},${prefix}P${i}b,child,Kid,Surname${i},,2019-0${1 + (i % 9)}-15,,`);
  }
  return lines.join('\n');
}
const count = async (table: string, siteId: string) =>
  table === 'households'
    ? Number((await db('households').where({ site_id: siteId }).count('* as n'))[0]!.n)
    : Number((await db(`${table} as x`).join('households as h', 'h.id', 'x.household_id').where('h.site_id', siteId).count('* as n'))[0]!.n);

async function status(a: TestApp, site: BuiltSite, id: string) {
  const r = await a.api().get(`/api/imports/${id}`).set(bearer(site.tokens.admin));
  expect(r.status).toBe(200);
  return r.body.import;
}
async function until(a: TestApp, site: BuiltSite, id: string, done: (j: any) => boolean, what: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const j = await status(a, site, id);
    if (done(j)) return j;
    if (Date.now() > deadline) throw new Error(`import ${id}: ${what} never came (last: ${JSON.stringify(j).slice(0, 300)})`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

test('a job cut off by a restart reads as interrupted on the next server; re-running it finishes the file and changes nothing already imported', async () => {
  const site = await buildSite(db);
  const first = await app();
  const r = await first.api().post('/api/imports').set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv(HOUSEHOLDS, 'R'));
  expect(r.status).toBe(202);
  const id = r.body.import.jobId as string;
  await until(first, site, id, (j) => j.processed > 0, 'progress');
  // the server goes away mid-import (its pool is gone: the job cannot write another chunk or its outcome)
  await first.stop();
  apps.splice(apps.indexOf(first), 1);
  const row = await db('import_jobs').where({ id }).first();
  expect(row.status).toBe('running');

  const second = await app();
  const j = await until(second, site, id, (x) => x.status !== 'running', 'interrupted');
  expect(j.status).toBe('interrupted');
  expect(j.error).toMatch(/restarted/);
  expect(j.canRerun).toBe(true);
  const kept = await count('households', site.siteId);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(HOUSEHOLDS);
  expect(kept % CHUNK).toBe(0); // whole chunks only: a household is all there or not at all
  expect(await count('guardians', site.siteId)).toBe(kept);
  expect(await count('children', site.siteId)).toBe(kept);

  // run it again: the rest is imported, what was there is left alone
  const again = await second.api().post(`/api/imports/${id}/rerun`).set(bearer(site.tokens.admin));
  expect(again.status).toBe(202);
  const rerunId = again.body.import.jobId as string;
  // another server starting while the re-run works does not call a live job interrupted
  const third = await app();
  expect(['running', 'done']).toContain((await status(third, site, rerunId)).status);
  const done = await until(second, site, rerunId, (x) => x.status !== 'running', 'done');
  expect(done.status).toBe('done');
  expect(done.rerunOf).toBe(id);
  expect(done.summary.households).toBe(HOUSEHOLDS - kept);
  expect(done.summary.unchangedHouseholds).toBe(kept);
  expect(await count('households', site.siteId)).toBe(HOUSEHOLDS);
  expect(await count('guardians', site.siteId)).toBe(HOUSEHOLDS);
  expect(await count('children', site.siteId)).toBe(HOUSEHOLDS);

  // and once more: nothing changes
  const once = await third.api().post(`/api/imports/${rerunId}/rerun`).set(bearer(site.tokens.admin));
  expect(once.status).toBe(202);
  const same = await until(third, site, once.body.import.jobId, (x) => x.status !== 'running', 'done');
  expect(same.summary).toMatchObject({ households: 0, unchangedHouseholds: HOUSEHOLDS });
  expect(await count('households', site.siteId)).toBe(HOUSEHOLDS);
});

test('a running job cannot be re-run, and a finished job keeps its outcome across a restart', async () => {
  const site = await buildSite(db);
  const a = await app();
  const r = await a.api().post('/api/imports').set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv(600, 'S'));
  const id = r.body.import.jobId as string;
  const early = await a.api().post(`/api/imports/${id}/rerun`).set(bearer(site.tokens.admin));
  // either still running (refused) or already done (accepted as a no-change re-run)
  if (early.status === 409) expect(early.body.error.field ?? early.body.error.message).toMatch(/status/);
  else expect(early.status).toBe(202);
  const done = await until(a, site, id, (x) => x.status !== 'running', 'done');
  expect(done.status).toBe('done');
  await a.stop();
  apps.splice(apps.indexOf(a), 1);
  const b = await app();
  const after = await status(b, site, id);
  expect(after).toMatchObject({ status: 'done', processed: 600, total: 600 });
  expect(after.summary.households).toBe(600);
  const other = await buildSite(db);
  expect((await b.api().get(`/api/imports/${id}`).set(bearer(other.tokens.admin))).status).toBe(404);
  expect((await b.api().post(`/api/imports/${id}/rerun`).set(bearer(other.tokens.admin))).status).toBe(404);
});
