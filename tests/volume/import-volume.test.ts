/**
 * The CSV import at volume (DESIGN §11): 10,000 households written whole, every family and
 * person once. How fast is the bench's to say (`npm run bench -- --import`).
 */
import { buildSite } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { readImport, writeImport } from '../../server/src/import/import.service';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

// how fast is the bench's to say (`npm run bench -- --import`, quiet machine, repeated): a timed
// assertion here failed under the full suite's load while measuring nothing repeatable
test('10,000 households import whole: every family and person written, each one once', async () => {
  const site = await buildSite(t.db);
  const lines = ['household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies'];
  for (let i = 0; i < 10_000; i++) {
    const phone = `+1312${String(2_000_000 + i).padStart(7, '0')}`;
    lines.push(`H${i},Family ${i},P${i}a,adult,Pat,Surname${i},${phone},,,`);
    lines.push(`H${i},Family ${i},P${i}b,child,Kid,Surname${i},,2019-0${1 + (i % 9)}-15,,${i % 7 === 0 ? 'Peanuts' : ''}`);
  }
  const plan = readImport(lines.join('\n'), { country: 'US', today: '2026-12-01' });
  expect(plan.problems).toEqual([]);
  const started = Date.now();
  const r = await writeImport(t.db, site.siteId, plan, { dryRun: false });
  const seconds = (Date.now() - started) / 1000;
  console.log(`imported 10,000 households (20,000 people) in ${seconds.toFixed(1)} s`);
  expect(r.households).toBe(10_000);
  expect(r.people).toBe(20_000);
  const [h, g, c] = await Promise.all([
    t.db('households').where({ site_id: site.siteId }).count<{ n: string }[]>({ n: '*' }),
    t.db('guardians').join('households', 'households.id', 'guardians.household_id').where('households.site_id', site.siteId).count<{ n: string }[]>({ n: '*' }),
    t.db('children').join('households', 'households.id', 'children.household_id').where('households.site_id', site.siteId).count<{ n: string }[]>({ n: '*' }),
  ]);
  expect([Number(h[0]!.n), Number(g[0]!.n), Number(c[0]!.n)]).toEqual([10_000, 10_000, 10_000]);
}, 480_000);
