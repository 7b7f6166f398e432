/**
 * The server's results do not depend on the process's own time zone (issue 26 point 5): a church's
 * own machine runs in its local zone, and services made from schedules must still start at the
 * campus's wall time. The top-up runs in a child process under TZ=Pacific/Kiritimati (UTC+14) and
 * TZ=Pacific/Pago_Pago (UTC-11); the instants it stores are the ones a UTC process computes.
 */
import { buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { workerDatabaseUrl } from '../support/db';
import { startProcess } from '../support/processes';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function topUpUnder(tz: string, siteId: string, now: string) {
  const p = startProcess(['tests/support/tz-topup.ts', await workerDatabaseUrl(), siteId, now], { TZ: tz }, { clean: true });
  const m = await p.waitFor(/TOPUP (\{.*\})/, 60_000);
  await p.kill();
  return JSON.parse(m[1]!) as { made: number; zone: string; offsetMinutes: number };
}

test.each([
  ['Pacific/Kiritimati', 14 * 60],
  ['Pacific/Pago_Pago', -11 * 60],
])('under TZ=%s a Sunday 19:45 Chicago schedule makes services at 19:45 Chicago time, across the November change', async (tz, offset) => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await t.api().post('/api/schedules').set(bearer(site.tokens.admin)).send({ name: 'Sunday evening', weekday: 0, time: '19:45' });
  expect(r.status).toBe(201);
  // the top-up as it runs on 2027-10-20: its 8 weeks cross 2027-11-07 (CDT → CST)
  const ran = await topUpUnder(tz, site.siteId, '2027-10-20T18:00:00Z');
  expect(ran).toEqual({ made: 8, zone: tz, offsetMinutes: offset }); // it really ran in that zone
  const rows = await t
    .db('services')
    .where({ schedule_id: r.body.schedule.id })
    .where('service_date', '>=', '2027-10-20')
    .orderBy('starts_at')
    .select('starts_at', 'checkin_closes_at', t.db.raw("to_char(service_date, 'YYYY-MM-DD') AS day"));
  const byDay = new Map(rows.map((s) => [s.day as string, new Date(s.starts_at).toISOString()]));
  expect(byDay.get('2027-10-24')).toBe('2027-10-25T00:45:00.000Z'); // 19:45 CDT
  expect(byDay.get('2027-10-31')).toBe('2027-11-01T00:45:00.000Z');
  expect(byDay.get('2027-11-07')).toBe('2027-11-08T01:45:00.000Z'); // 19:45 CST
  expect(byDay.get('2027-12-12')).toBe('2027-12-13T01:45:00.000Z');
  expect(rows).toHaveLength(8);
  for (const s of rows) expect(new Date(s.checkin_closes_at).getTime() - new Date(s.starts_at).getTime()).toBe(60 * 60_000);
});
