/**
 * The import names its campus without doubt (issue #26): two churches each with a campus of the
 * same name must never receive each other's families. `npm run import` takes `--campus-id`, or
 * `--org` with `--campus`; a bare `--campus` that matches campuses of several organisations is
 * refused (exit 1, nothing written) with the candidates listed.
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildSite } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { workerDatabaseUrl } from '../support/db';
import { CampusChoiceError, resolveCampus } from '../../server/src/import/import.jobs';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const households = async (siteId: string) => Number((await t.db('households').where({ site_id: siteId }).count('* as n'))[0]!.n);
const run = promisify(execFile);
async function cli(args: string[]) {
  const env = { ...process.env, DATABASE_URL: await workerDatabaseUrl(), DEMO_SEED: 'false', LOG_LEVEL: 'silent' };
  return run('npx', ['tsx', 'server/src/import/cli.ts', path.join('tests', 'fixtures', 'import', 'rock.csv'), ...args], {
    env,
    cwd: path.join(__dirname, '..', '..'),
  }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
}

async function twoChurches() {
  const stamp = `${process.pid}-${Date.now()}`;
  const campus = `North Campus ${stamp}`;
  const a = await buildSite(t.db, { name: campus });
  const b = await buildSite(t.db, { name: campus });
  await t
    .db('organizations')
    .where({ id: a.organizationId })
    .update({ name: `Grace Church ${stamp}` });
  await t
    .db('organizations')
    .where({ id: b.organizationId })
    .update({ name: `Hope Chapel ${stamp}` });
  return { a, b, campus, stamp };
}

test('a campus name two organisations share is refused, listing both campuses with their ids and organisations; nothing is written', async () => {
  const { a, b, campus, stamp } = await twoChurches();
  const r = await cli(['--campus', campus]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('nothing imported');
  for (const [site, org] of [
    [a, `Grace Church ${stamp}`],
    [b, `Hope Chapel ${stamp}`],
  ] as const) {
    expect(r.stderr).toContain(site.siteId);
    expect(r.stderr).toContain(org);
  }
  expect(await households(a.siteId)).toBe(0);
  expect(await households(b.siteId)).toBe(0);
}, 60_000);

test('--org with --campus, and --campus-id, each write into that church only', async () => {
  const { a, b, campus, stamp } = await twoChurches();
  let r = await cli(['--org', `hope chapel ${stamp}`, '--campus', campus]);
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split('\n').pop()).toBe('imported 1 households, 3 people, 2 rows skipped');
  expect([await households(a.siteId), await households(b.siteId)]).toEqual([0, 1]);
  r = await cli(['--campus-id', a.siteId]);
  expect(r.code).toBe(0);
  expect([await households(a.siteId), await households(b.siteId)]).toEqual([1, 1]);
}, 60_000);

test('how a campus is chosen: folded names, an organisation by name or id, contradictions and unknowns refused', async () => {
  const { a, b, campus, stamp } = await twoChurches();
  const choose = (o: Parameters<typeof resolveCampus>[1]) => resolveCampus(t.db, o);
  // the project's name folding: case, accents, punctuation and spacing aside
  expect((await choose({ org: `GRACE-CHURCH ${stamp}`, campus: campus.toUpperCase() })).id).toBe(a.siteId);
  expect((await choose({ org: b.organizationId, campus })).id).toBe(b.siteId);
  expect((await choose({ campusId: b.siteId, org: `Hope Chapel ${stamp}` })).id).toBe(b.siteId);
  await expect(choose({ campus })).rejects.toThrow(CampusChoiceError);
  await expect(choose({ campus: ` north   campus ${stamp} ` })).rejects.toThrow(/names 2 campuses/);
  await expect(choose({ campusId: a.siteId, org: `Hope Chapel ${stamp}` })).rejects.toThrow(/not what --campus\/--org name/);
  await expect(choose({ org: `Nobody ${stamp}`, campus })).rejects.toThrow(/no organisation named/);
  await expect(choose({ org: `Grace Church ${stamp}`, campus: 'South' })).rejects.toThrow(/no campus named "South" in organisation/);
  await expect(choose({ campusId: 'not-a-uuid' })).rejects.toThrow(/must be a UUID/);
  // a name only one campus in the whole database has still works alone
  const solo = await buildSite(t.db, { name: `Solo Campus ${stamp}` });
  expect((await choose({ campus: `solo campus ${stamp}` })).id).toBe(solo.siteId);
  // two campuses of one organisation with the same name: refused too
  const twin = await buildSite(t.db, { name: campus, organizationId: a.organizationId });
  await expect(choose({ org: `Grace Church ${stamp}`, campus })).rejects.toThrow(new RegExp(twin.siteId));
});
