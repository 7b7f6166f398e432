/**
 * An import writes a household whole or not at all, on every path (issue #26): the first run, a
 * re-run after a household failed half-way, and a later file that lists a source person already
 * imported in another family. A family with a child and no guardian is never made; the refused
 * household's rows are reported and nothing of it is written.
 */
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { CHUNK, readImport, writeImport } from '../../server/src/import/import.service';
import { dateInTimezone } from '../../contracts/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const HEADER = 'household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,grade,allergies';
const adult = (h: string, id: string, first: string, phone: string) => `${h},${h} family,${id},adult,${first},Doe,${phone},,,`;
const child = (h: string, id: string, first: string) => `${h},${h} family,${id},child,${first},Doe,,2019-05-15,,`;
const fillers = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => [
    adult(`F${from + i}`, `FP${from + i}a`, 'Pat', `+1312${String(4_000_000 + from + i).padStart(7, '0')}`),
    child(`F${from + i}`, `FP${from + i}b`, 'Kid'),
  ]).flat();
const plan = (lines: string[]) => readImport([HEADER, ...lines].join('\n'), { country: 'US', today: dateInTimezone(new Date(), 'America/Chicago') });
/** the row of a line as the file shows it: the header is row 1 */
const rowOf = (lines: string[], line: string) => lines.indexOf(line) + 2;

async function orphans(siteId: string): Promise<string[]> {
  const { rows } = await t.db.raw(
    `SELECT h.name FROM households h WHERE h.site_id = :siteId
       AND EXISTS (SELECT 1 FROM children c WHERE c.household_id = h.id)
       AND NOT EXISTS (SELECT 1 FROM guardians g WHERE g.household_id = h.id)`,
    { siteId },
  );
  return rows.map((r: { name: string }) => r.name);
}
const childNamed = async (siteId: string, first: string) =>
  t.db('children as c').join('households as h', 'h.id', 'c.household_id').where({ 'h.site_id': siteId, 'c.first_name': first }).select('h.name');
const refusedRows = (problems: { row: number; message: string }[]) => problems.filter((p) => /nothing of it was imported/.test(p.message)).map((p) => p.row);

async function upload(site: BuiltSite, csv: string) {
  const r = await t.api().post('/api/imports').set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv);
  expect(r.status).toBe(202);
  return finished(site, r.body.import.jobId);
}
async function finished(site: BuiltSite, id: string) {
  for (let i = 0; i < 400; i++) {
    const j = await t.api().get(`/api/imports/${id}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') return j.body.import;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

test('first run: a guardian listed again in a later household (same chunk or a later one) refuses that household whole, its rows named', async () => {
  for (const gap of [0, CHUNK]) {
    const site = await buildSite(t.db);
    // the same source person, their mobile since changed: not the family of H1 by phone
    const h2 = [adult('H2', 'P1', 'Sam', '+13125550199'), child('H2', 'P2c', 'Kim')];
    const lines = [adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1c', 'Ava'), ...fillers(gap), ...h2];
    for (const dryRun of [true, false]) {
      const r = await writeImport(t.db, site.siteId, plan(lines), { dryRun });
      expect(refusedRows(r.problems)).toEqual(h2.map((l) => rowOf(lines, l)));
      expect(r.problems.find((p) => p.row === rowOf(lines, h2[0]!))!.message).toMatch(/P1.*already imported in another family/);
      expect(r.households).toBe(1 + gap);
    }
    expect(await orphans(site.siteId)).toEqual([]);
    expect(await childNamed(site.siteId, 'Kim')).toEqual([]);
    expect(await childNamed(site.siteId, 'Ava')).toEqual([{ name: 'H1 family' }]);
  }
}, 120_000);

test('a guardian listed again in another household with the same mobile completes that family (as a family registered at the kiosk would be), dry run and import alike', async () => {
  const site = await buildSite(t.db);
  const lines = [adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1c', 'Ava'), adult('H2', 'P1', 'Sam', '+13125550101'), child('H2', 'P2c', 'Kim')];
  for (const dryRun of [true, false]) {
    const r = await writeImport(t.db, site.siteId, plan(lines), { dryRun });
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ households: 2, people: 3 });
  }
  expect(await childNamed(site.siteId, 'Kim')).toEqual([{ name: 'H1 family' }]);
  expect(await orphans(site.siteId)).toEqual([]);
});

test('re-run after a household failed half-way: the re-run does not make it a family of children without a guardian', async () => {
  const site = await buildSite(t.db);
  // the same guardian in two households: the second one's guardian and child are written, then its source ids clash
  const lines = [adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1c', 'Ava'), adult('H2', 'P1', 'Sam', '+13125550199'), child('H2', 'P2c', 'Kim')];
  const first = await upload(site, [HEADER, ...lines].join('\n'));
  expect(first.status).toBe('done');
  expect(refusedRows(first.problems)).toEqual([4, 5]);
  const again = await t.api().post(`/api/imports/${first.id}/rerun`).set(bearer(site.tokens.admin));
  expect(again.status).toBe(202);
  const rerun = await finished(site, again.body.import.jobId);
  expect(rerun.status).toBe('done');
  expect(refusedRows(rerun.problems)).toEqual([4, 5]);
  expect(rerun.summary).toMatchObject({ households: 0, unchangedHouseholds: 1 });
  expect(await orphans(site.siteId)).toEqual([]);
  expect(await childNamed(site.siteId, 'Kim')).toEqual([]);
});

test('re-run after a household failed half-way on a database error: the re-run writes it whole', async () => {
  const site = await buildSite(t.db);
  const lines = [adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1c', 'Ava'), child('H1', 'P1d', 'Zed'), ...fillers(2, 900)];
  await t.db.raw(
    `CREATE OR REPLACE FUNCTION kc_explode_zed() RETURNS trigger AS $$ BEGIN IF NEW.first_name = 'Zed' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
  );
  await t.db.raw('CREATE TRIGGER kc_explode_zed BEFORE INSERT ON children FOR EACH ROW EXECUTE FUNCTION kc_explode_zed()');
  try {
    const r = await writeImport(t.db, site.siteId, plan(lines), { dryRun: false });
    expect(refusedRows(r.problems)).toEqual([2, 3, 4]);
  } finally {
    await t.db.raw('DROP TRIGGER kc_explode_zed ON children');
  }
  expect(await t.db('households').where({ site_id: site.siteId, name: 'H1 family' })).toEqual([]);
  const r = await writeImport(t.db, site.siteId, plan(lines), { dryRun: false });
  expect(r).toMatchObject({ households: 1, people: 3, unchangedHouseholds: 2 });
  expect((await childNamed(site.siteId, 'Zed')).concat(await childNamed(site.siteId, 'Ava'))).toEqual([{ name: 'H1 family' }, { name: 'H1 family' }]);
  expect(await orphans(site.siteId)).toEqual([]);
});

test('a later file listing an already-imported guardian or child in another household refuses that household; a new child of the same family is added', async () => {
  const site = await buildSite(t.db);
  await writeImport(t.db, site.siteId, plan([adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1c', 'Ava')]), { dryRun: false });
  const h9 = [adult('H9', 'P1', 'Sam', '+13125550199'), child('H9', 'P9c', 'Kim')];
  const h8 = [adult('H8', 'P8', 'Lee', '+13125550108'), child('H8', 'P1c', 'Ava')];
  const h1 = [adult('H1', 'P1', 'Sam', '+13125550101'), child('H1', 'P1e', 'Eve')];
  const later = [...h9, ...h8, ...h1];
  for (const dryRun of [true, false]) {
    const r = await writeImport(t.db, site.siteId, plan(later), { dryRun });
    expect(refusedRows(r.problems)).toEqual([...h9, ...h8].map((l) => rowOf(later, l)));
    expect(r.problems.find((p) => p.row === rowOf(later, h8[1]!))!.message).toMatch(/P1c.*already imported in another family/);
    expect(r).toMatchObject({ households: 1, people: 1 });
  }
  expect(await orphans(site.siteId)).toEqual([]);
  expect(await childNamed(site.siteId, 'Kim')).toEqual([]);
  expect(await t.db('guardians').where({ first_name: 'Lee', phone: '+13125550108' })).toEqual([]);
  expect(await childNamed(site.siteId, 'Eve')).toEqual([{ name: 'H1 family' }]);
  expect((await t.db('households').where({ site_id: site.siteId })).length).toBe(1);
});
