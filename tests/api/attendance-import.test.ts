/**
 * Attendance history in (DESIGN §17, issue #28 point 2): `npm run import -- FILE --kind attendance`
 * and the staff upload (`POST /api/imports?kind=attendance`) read the generic format and the
 * Planning Center Check-Ins and Rock exports (tests/fixtures/attendance/), match children within
 * the campus's organisation, report bad rows by row and column and skip them, write nothing on a
 * dry run, change nothing on a re-import, never write into another organisation's campus of the
 * same name, and read Windows-1252 and UTF-16 files.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { workerDatabaseUrl } from '../support/db';
import { cp1252 } from '../support/cp1252';
import type { AttendanceFormat } from '../../server/src/import/attendance.formats';
import { readAttendance } from '../../server/src/import/attendance.service';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'attendance');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const run = promisify(execFile);
async function cli(file: string, args: string[]) {
  const env = { ...process.env, DATABASE_URL: await workerDatabaseUrl(), DEMO_SEED: 'false', LOG_LEVEL: 'silent' };
  return run('npx', ['tsx', 'server/src/import/cli.ts', path.join(FIXTURES, file), '--kind', 'attendance', ...args], {
    env,
    cwd: path.join(__dirname, '..', '..'),
  }).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );
}
const lastLine = (s: string) => s.trim().split('\n').pop();
const history = (siteId: string) =>
  t
    .db('attendance_history as a')
    .join('rooms as r', 'r.id', 'a.room_id')
    .where('a.site_id', siteId)
    .orderBy([{ column: 'a.checked_in_at' }, { column: 'r.name' }])
    .select('r.name as room', 'a.child_id', 'a.checked_in_at', 'a.service_name', 'a.source', 'a.organization_id');

/** A child the exports name (Maya Okafor, born 2024-03-15), in a family of the campus. */
async function maya(site: BuiltSite) {
  const h = await buildHousehold(t.db, site.siteId, [{ firstName: 'Maya' }], { lastName: 'Okafor' });
  await t.db('children').where({ id: h.childIds[0] }).update({ birthdate: '2024-03-15' });
  return h.childIds[0]!;
}

const post = (site: BuiltSite, body: Buffer, query: Record<string, string> = {}) =>
  t
    .api()
    .post('/api/imports')
    .query({ kind: 'attendance', ...query })
    .set(bearer(site.tokens.admin))
    .set('Content-Type', 'text/csv')
    .send(body);
async function finished(site: BuiltSite, id: string) {
  for (let i = 0; i < 400; i++) {
    const j = await t.api().get(`/api/imports/${id}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') return j.body.import;
    await new Promise((res) => setImmediate(res));
  }
  throw new Error('import did not finish');
}

test('CLI, the three formats: every arrival lands in its room at the right instant, children matched by name + birthdate or by the source id; a second run changes nothing', async () => {
  const site = await buildSite(t.db);
  const child = await maya(site);
  // Planning Center's person 48213 was imported as a family before: its external id names the child
  const leo = await buildHousehold(t.db, site.siteId, [{ firstName: 'Leo' }], { lastName: 'Brandt' });
  await t.db('external_ids').insert({ site_id: site.siteId, source: 'pco', entity: 'child', external_id: '48214', entity_id: leo.childIds[0] });

  let r = await cli('generic.csv', ['--campus-id', site.siteId]);
  expect(r.code).toBe(0);
  expect(lastLine(r.stdout)).toBe('imported 7 arrivals (0 already imported, 2 matched to a child), 0 rows skipped');
  let rows = await history(site.siteId);
  expect(rows.map((x) => x.room)).toEqual(['Toddlers', 'Toddlers', 'Toddlers', 'Preschool', 'Nursery', 'Toddlers', 'K-2']);
  // local campus time (America/Chicago, CST after 1 November's change) and an explicit offset: the same instant, both counted
  expect(rows.slice(0, 3).map((x) => new Date(x.checked_in_at).toISOString())).toEqual([
    '2026-11-01T14:52:00.000Z',
    '2026-11-01T14:55:00.000Z',
    '2026-11-01T14:55:00.000Z',
  ]);
  expect(rows.filter((x) => x.child_id === child)).toHaveLength(2);
  expect(rows.every((x) => x.organization_id === site.organizationId && x.source === 'generic' && x.service_name === 'Sunday 9:00')).toBe(true);

  r = await cli('pco.csv', ['--campus-id', site.siteId, '--format', 'pco']);
  expect(r.code).toBe(0);
  // the sample's columns nothing reads are named, so a misspelt one would be seen
  expect(lastLine(r.stdout)).toBe('imported 4 arrivals (0 already imported, 1 matched to a child), 0 rows skipped; columns not read: "Kind", "Security Code"');
  r = await cli('rock.csv', ['--campus-id', site.siteId]); // detected from the header
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('(rock,');
  expect(lastLine(r.stdout)).toBe(
    'imported 4 arrivals (0 already imported, 2 matched to a child), 0 rows skipped; columns not read: "AttendanceId", "GroupId", "LocationId", "ScheduleId", "DeviceId", "EndDateTime", "Note", "CampusId"',
  );
  rows = await history(site.siteId);
  expect(rows).toHaveLength(15);
  const pco = rows.filter((x) => x.source === 'pco');
  expect(pco.filter((x) => x.child_id === leo.childIds[0])).toHaveLength(1); // by Planning Center's person id
  const rock = rows.filter((x) => x.source === 'rock');
  // Rock's "11/1/2026 8:52:10 AM" is campus time
  expect(new Date(rock[0]!.checked_in_at).toISOString()).toBe('2026-11-01T14:52:10.000Z');
  expect(rock.filter((x) => x.child_id === child)).toHaveLength(2);

  r = await cli('rock.csv', ['--campus-id', site.siteId, '--format', 'rock']);
  expect(lastLine(r.stdout)).toMatch(/^imported 0 arrivals \(4 already imported, 2 matched to a child\), 0 rows skipped; columns not read: "AttendanceId"/);
  expect(await history(site.siteId)).toHaveLength(15);
}, 120_000);

test('CLI: a dry run writes nothing; bad rows are listed by row and column and skipped; a breeze format is refused', async () => {
  const site = await buildSite(t.db);
  let r = await cli('bad-rows.csv', ['--campus-id', site.siteId, '--dry-run']);
  expect(r.code).toBe(0);
  expect(lastLine(r.stdout)).toBe('would import 1 arrivals (0 already imported, 0 matched to a child), 6 rows skipped');
  expect(r.stdout).toContain('row 3 (checked_in_at): checked_in_at "2026-13-01 08:52" is not a time');
  expect(r.stdout).toContain('row 4 (room): room "Gymnasium" is not a room of this campus');
  expect(r.stdout).toContain('row 5 (room): room is missing');
  expect(r.stdout).toContain('row 6 (checked_in_at): checked_in_at is missing');
  expect(r.stdout).toContain('row 7 (checked_in_at): checked_in_at is in the future');
  expect(r.stdout).toContain('row 8 (room): room is missing');
  expect(await history(site.siteId)).toHaveLength(0);
  r = await cli('bad-rows.csv', ['--campus-id', site.siteId]);
  expect(lastLine(r.stdout)).toBe('imported 1 arrivals (0 already imported, 0 matched to a child), 6 rows skipped');
  expect(await history(site.siteId)).toHaveLength(1);
  r = await cli('bad-rows.csv', ['--campus-id', site.siteId, '--format', 'breeze']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('--format must be one of pco, rock, generic');
}, 120_000);

test("CLI: two organisations each with a campus of the same name — a bare name is refused, --org writes into that church only, never the other's; children are matched within the campus's organisation only", async () => {
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
  // a Maya Okafor of the same birthdate lives in the other church: she must never be matched
  const otherMaya = await maya(a);
  let r = await cli('generic.csv', ['--campus', campus]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('nothing imported');
  expect([(await history(a.siteId)).length, (await history(b.siteId)).length]).toEqual([0, 0]);
  r = await cli('generic.csv', ['--org', `Hope Chapel ${stamp}`, '--campus', campus]);
  expect(r.code).toBe(0);
  expect(lastLine(r.stdout)).toBe('imported 7 arrivals (0 already imported, 0 matched to a child), 0 rows skipped');
  expect((await history(a.siteId)).length).toBe(0);
  const rows = await history(b.siteId);
  expect(rows).toHaveLength(7);
  expect(rows.some((x) => x.child_id === otherMaya)).toBe(false);
  expect(rows.every((x) => x.organization_id === b.organizationId)).toBe(true);
}, 120_000);

test('upload: dry run then import, with progress and the row problems; a re-upload changes nothing; a re-run imports the same kind again', async () => {
  const site = await buildSite(t.db);
  await maya(site);
  let r = await post(site, fixture('generic.csv'), { dryRun: 'true' });
  expect(r.status).toBe(202);
  expect(r.body.import).toMatchObject({ kind: 'attendance', format: 'generic', total: 7, rows: 7 });
  let job = await finished(site, r.body.import.jobId);
  expect(job).toMatchObject({ kind: 'attendance', status: 'done', dryRun: true, total: 7, processed: 7 });
  expect(job.summary).toMatchObject({ rows: 7, imported: 7, unchanged: 0, matchedChildren: 2 });
  expect(await history(site.siteId)).toHaveLength(0);

  r = await post(site, fixture('generic.csv'));
  job = await finished(site, r.body.import.jobId);
  expect(job.summary).toMatchObject({ imported: 7, unchanged: 0, line: 'imported 7 arrivals (0 already imported, 2 matched to a child), 0 rows skipped' });
  expect(await history(site.siteId)).toHaveLength(7);
  r = await post(site, fixture('generic.csv'));
  job = await finished(site, r.body.import.jobId);
  expect(job.summary).toMatchObject({ imported: 0, unchanged: 7 });
  const rerun = await t.api().post(`/api/imports/${job.id}/rerun`).set(bearer(site.tokens.admin));
  expect(rerun.status).toBe(202);
  expect(rerun.body.import.kind).toBe('attendance');
  expect((await finished(site, rerun.body.import.jobId)).summary).toMatchObject({ imported: 0, unchanged: 7 });
  expect(await history(site.siteId)).toHaveLength(7);

  r = await post(site, fixture('bad-rows.csv'));
  job = await finished(site, r.body.import.jobId);
  expect(job.summary).toMatchObject({ imported: 1 });
  expect(job.problems.map((p: { row: number; field: string }) => [p.row, p.field])).toEqual([
    [3, 'checked_in_at'],
    [4, 'room'],
    [5, 'room'],
    [6, 'checked_in_at'],
    [7, 'checked_in_at'],
    [8, 'room'],
  ]);
}, 60_000);

test('upload: bad input is a 400 naming the field — breeze for attendance, a header without a room column, an empty body; staff (not admin) are refused', async () => {
  const site = await buildSite(t.db);
  let r = await post(site, fixture('generic.csv'), { format: 'breeze' });
  expect(r.status).toBe(400);
  expect(JSON.stringify(r.body)).toContain('format');
  r = await post(site, Buffer.from('checked_in_at,where\n2026-11-01 08:52,Toddlers\n'));
  expect(r.status).toBe(400);
  expect(r.body.error.message).toContain('"room"');
  r = await post(site, Buffer.alloc(0));
  expect(r.status).toBe(400);
  r = await t
    .api()
    .post('/api/imports')
    .query({ kind: 'sideways' })
    .set(bearer(site.tokens.admin))
    .set('Content-Type', 'text/csv')
    .send(fixture('generic.csv'));
  expect(r.status).toBe(400);
  expect(JSON.stringify(r.body)).toContain('kind');
  r = await t
    .api()
    .post('/api/imports')
    .query({ kind: 'attendance' })
    .set(bearer(site.tokens.staff))
    .set('Content-Type', 'text/csv')
    .send(fixture('generic.csv'));
  expect(r.status).toBe(403);
  expect(await history(site.siteId)).toHaveLength(0);
});

test("upload: another organisation's admin imports into their own campus only, and cannot read this campus's job", async () => {
  const a = await buildSite(t.db);
  const b = await buildSite(t.db);
  const r = await post(b, fixture('generic.csv'));
  const job = await finished(b, r.body.import.jobId);
  expect(job.summary.imported).toBe(7);
  expect(await history(a.siteId)).toHaveLength(0);
  expect((await t.api().get(`/api/imports/${job.id}`).set(bearer(a.tokens.admin))).status).toBe(404);
});

test('encodings: a Windows-1252 file (é in a room name and a child’s name) and a UTF-16 file with its byte-order mark read as the letters they are', async () => {
  const site = await buildSite(t.db, {
    rooms: [
      { name: 'Crèche', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, sortOrder: 1 },
      { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 2 },
    ],
  });
  const h = await buildHousehold(t.db, site.siteId, [{ firstName: 'Renée' }], { lastName: 'Müller' });
  await t.db('children').where({ id: h.childIds[0] }).update({ birthdate: '2025-01-20' });
  const text = ['checked_in_at,room,first_name,last_name,birthdate', '2026-11-01 08:52,Crèche,Renée,Müller,2025-01-20', '2026-11-01 08:53,Crèche,,,'].join(
    '\r\n',
  );
  const bytes = cp1252(text);
  expect(bytes.includes(0xe8) && bytes.includes(0xe9) && bytes.includes(0xfc)).toBe(true);
  let r = await post(site, bytes);
  expect(r.body.import.encoding).toBe('windows-1252');
  let job = await finished(site, r.body.import.jobId);
  expect(job.summary).toMatchObject({ imported: 2, matchedChildren: 1 });
  expect(job.problems).toEqual([]);

  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace('08:52', '09:52').replace('08:53', '09:53'), 'utf-16le')]);
  r = await post(site, utf16);
  expect(r.body.import.encoding).toBe('utf-16le');
  job = await finished(site, r.body.import.jobId);
  expect(job.summary).toMatchObject({ imported: 2, matchedChildren: 1 });
  const rows = await history(site.siteId);
  expect(rows.map((x) => x.room)).toEqual(['Crèche', 'Crèche', 'Crèche', 'Crèche']);
  expect(rows.filter((x) => x.child_id === h.childIds[0])).toHaveLength(2);
});

test('reading (pure): format detection, times with and without an offset across the DST change, and the row key of a repeated arrival', () => {
  const read = (file: string, format?: AttendanceFormat) =>
    readAttendance(fixture(file).toString('utf8'), { format, timezone: 'America/Chicago', now: new Date('2026-12-07T12:00:00Z') });
  expect(read('pco.csv').format).toBe('pco');
  expect(read('rock.csv').format).toBe('rock');
  expect(read('generic.csv').format).toBe('generic');
  const g = read('generic.csv');
  expect(new Set(g.items.map((i) => i.rowKey)).size).toBe(7);
  expect(read('generic.csv').items.map((i) => i.rowKey)).toEqual(g.items.map((i) => i.rowKey));
  // 1 March 2026 is CST (-6), 8 March after the spring change is CDT (-5)
  const dst = readAttendance('checked_in_at,room\n2026-03-01 09:00,Toddlers\n2026-03-08 09:00,Toddlers\n2026-03-08T09:00:00+0100,Toddlers\n', {
    timezone: 'America/Chicago',
    now: new Date('2026-12-07T12:00:00Z'),
  });
  expect(dst.items.map((i) => i.checkedInAt.toISOString())).toEqual(['2026-03-01T15:00:00.000Z', '2026-03-08T14:00:00.000Z', '2026-03-08T08:00:00.000Z']);
  const mapped = readAttendance('When,Where\n2026-11-01 08:52,Toddlers\n', {
    mapping: { checkedInAt: 'When', room: 'Where' },
    timezone: 'UTC',
    now: new Date('2026-12-07T12:00:00Z'),
  });
  expect(mapped.items).toHaveLength(1);
});

test('PCO headers: common spellings read case- and punctuation-insensitively; columns nothing reads are reported; a missing one names what is accepted and what is there', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const read = (text: string, format?: AttendanceFormat) => readAttendance(text, { format, timezone: 'America/Chicago', now });
  expect(read(fixture('pco.csv').toString('utf8')).ignoredColumns).toEqual(['Kind', 'Security Code']);
  for (const header of [
    'Person ID,First Name,Last Name,Checked In At,Event,Location',
    'person id,FIRST NAME,last_name,checked-in at,event name,location name',
    'PersonID,FirstName,LastName,Check-In Time,Event,Locations',
    'person_id,first_name,last_name,created_at,event,location',
  ]) {
    const plan = read(`${header}\n48213,Maya,Okafor,2026-11-01T14:52:00Z,Sunday Kids,Toddlers\n`, 'pco');
    expect(plan.problems).toEqual([]);
    expect(plan.ignoredColumns).toEqual([]);
    expect(plan.items[0]).toEqual(
      expect.objectContaining({ room: 'Toddlers', firstName: 'Maya', lastName: 'Okafor', personId: '48213', service: 'Sunday Kids' }),
    );
    expect(plan.items[0]!.checkedInAt.toISOString()).toBe('2026-11-01T14:52:00.000Z');
  }
  // detected without --format from the usual spellings
  expect(read('Check-In Time,Location Name,Person ID\n2026-11-01T14:52:00Z,Toddlers,1\n').format).toBe('pco');
  // a time column under a name nobody accepts: refused with the accepted names and the file's own headers
  expect(() => read('Person ID,When,Location\n1,2026-11-01T14:52:00Z,Toddlers\n', 'pco')).toThrow(
    /no "Checked In At" column \(format pco\).*check-in time: "Checked In At", "Check-In Time".*The header has: "Person ID", "When", "Location"/,
  );
});
