/**
 * DST Sundays in America/Chicago: the service day, the pickup pass's end of day and children's
 * ages follow the campus's calendar, not UTC and not a 24-hour day.
 */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { ageInMonths, dateInTimezone } from '../../server/src/capacity/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test.each([
  // spring forward: the day has 23 hours, it ends at 00:00 CDT (UTC-5)
  { day: '2027-03-14', startsAt: '2027-03-14T14:00:00Z', passEnds: '2027-03-15T05:00:00.000Z' },
  // fall back: 25 hours, it ends at 00:00 CST (UTC-6)
  { day: '2026-11-01', startsAt: '2026-11-01T15:00:00Z', passEnds: '2026-11-02T06:00:00.000Z' },
])('a check-in on the DST Sunday $day: its pickup pass ends at local midnight ($passEnds)', async ({ day, startsAt, passEnds }) => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  expect(dateInTimezone(new Date(startsAt), 'America/Chicago')).toBe(day);
  // that Sunday's 9:00 service, its check-in window held open around now so the test can check in
  await t.db('services').where({ id: site.serviceId }).update({ starts_at: startsAt, service_date: day });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Dee', months: 30 }]);
  await t.db('children').where({ id: fam.childIds[0] }).update({ birthdate: '2025-03-14' });
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  const pass = await t.db('pickup_passes').where({ batch_id: r.body.batchId }).first();
  expect(new Date(pass.expires_at).toISOString()).toBe(passEnds);
  // the child's age is counted on the service's own date
  const months = ageInMonths('2025-03-14', day);
  const expected = months < 18 ? 'Nursery' : months <= 35 ? 'Toddlers' : 'Preschool';
  expect(r.body.checkins[0].roomName).toBe(expected);
  expect((await t.db('checkins').where({ id: r.body.checkins[0].id }).first()).service_date).toBe(day);
});
