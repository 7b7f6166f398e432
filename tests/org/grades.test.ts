/**
 * Grades promote themselves (DESIGN §10): a grade is stamped with the school year it was written
 * in (the campus's calendar and promotion date); on the promotion date it moves up, once, and the
 * check-in rooms the child by the new grade.
 */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { promoteGrades } from '../../server/src/families/grades';
import { schoolYearOf } from '../../contracts/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('schoolYearOf: the year the school year starts in, by the promotion date', () => {
  expect(schoolYearOf('2026-07-31')).toBe(2025);
  expect(schoolYearOf('2026-08-01')).toBe(2026);
  expect(schoolYearOf('2026-12-01', '12-15')).toBe(2025);
  expect(schoolYearOf('2026-12-15', '12-15')).toBe(2026);
});

test("a grade written today is this school year's; last year's grade 2 is grade 3 after the promotion date, once; the check-in uses it", async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Gus', grade: 2 }]);
  const child = async () => t.db('children').where({ id: fam.childIds[0] }).first();
  const thisYear = schoolYearOf(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date()));
  expect((await child()).grade_school_year).toBe(thisYear);
  // staff change the grade: stamped again with the current year
  const p = await t.api().patch(`/api/households/${fam.householdId}/children/${fam.childIds[0]}`).set(bearer(site.tokens.staff)).send({ grade: 1 });
  expect(p.status).toBe(200);
  expect(await child()).toMatchObject({ grade: 1, grade_school_year: thisYear });
  await t.db('children').where({ id: fam.childIds[0] }).update({ grade: 2 });
  // a grade typed last school year
  await t
    .db('children')
    .where({ id: fam.childIds[0] })
    .update({ grade_school_year: thisYear - 1 });
  expect(await child()).toMatchObject({ grade: 2, grade_school_year: thisYear - 1 });

  expect(await promoteGrades(t.db)).toBeGreaterThanOrEqual(1);
  expect(await child()).toMatchObject({ grade: 3, grade_school_year: thisYear });
  await promoteGrades(t.db);
  expect((await child()).grade).toBe(3);

  // K-2 is the only graded room: the grade-3 child has no room now (and says why)
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  expect(r.body.checkins).toEqual([]);
  expect(r.body.refused.map((x: { childId: string }) => x.childId)).toEqual(fam.childIds);
  const alert = await t.db('alerts').where({ service_id: site.serviceId, kind: 'room_full' }).first();
  expect(alert.message).toMatch(/grade 3/);
});

test("the campus's promotion date decides: before it nobody moves; grades past 12 stay at 12; a bad date is a 400 naming the field", async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const patch = await t.api().patch('/api/site/settings').set(bearer(site.tokens.admin)).send({ gradePromotionDate: '12-15' });
  expect(patch.status).toBe(200);
  expect(patch.body.settings.gradePromotionDate).toBe('12-15');
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Ada', grade: 4 },
    { firstName: 'Bo', grade: 12 },
  ]);
  await t.db('children').whereIn('id', fam.childIds).update({ grade_school_year: 2024 });
  // 2026-12-01 in Chicago: school year 2025 with promotion on 12-15 — one year up
  await promoteGrades(t.db, new Date('2026-12-01T18:00:00Z'));
  const rows = await t.db('children').whereIn('id', fam.childIds).orderBy('first_name');
  expect(rows.map((c) => [c.first_name, c.grade, c.grade_school_year])).toEqual([
    ['Ada', 5, 2025],
    ['Bo', 12, 2025],
  ]);
  // on 12-15 local (06:00 UTC is still 12-14 in Chicago)
  await promoteGrades(t.db, new Date('2026-12-15T05:00:00Z'));
  expect((await t.db('children').where({ id: fam.childIds[0] }).first()).grade).toBe(5);
  await promoteGrades(t.db, new Date('2026-12-15T07:00:00Z'));
  expect((await t.db('children').where({ id: fam.childIds[0] }).first()).grade).toBe(6);

  for (const bad of ['13-01', '02-30', '8-1', 'August']) {
    const r = await t.api().patch('/api/site/settings').set(bearer(site.tokens.admin)).send({ gradePromotionDate: bad });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('gradePromotionDate');
  }
});
