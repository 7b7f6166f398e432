/**
 * "Today" is the campus's date, never UTC's (issue 26 point 5): whether a background check is still
 * current, and which checks run out within N days, are judged on the date at the campus. A campus at
 * UTC-11 (Pago Pago) is on yesterday's date until 11:00 UTC, one at UTC+14 (Kiritimati) on tomorrow's
 * from 10:00 UTC, so between them the two cases below catch a UTC date at every hour of the day.
 */
import { addDays, dateInTimezone } from '../../contracts/rules';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const record = (site: BuiltSite, userId: string, expiresOn: string) =>
  t.api().put(`/api/people/${userId}/background-check`).set(bearer(site.tokens.admin)).send({ status: 'cleared', expiresOn });
const people = async (site: BuiltSite, query: object = {}) =>
  (await t.api().get('/api/people').query(query).set(bearer(site.tokens.admin))).body.people as {
    id: string;
    backgroundCheck: { current: boolean; expiresOn: string };
  }[];

test.each(['Pacific/Pago_Pago', 'Pacific/Kiritimati', 'America/Chicago'])(
  'at a campus in %s a check that runs out on the campus today is current, one that ran out yesterday is not',
  async (timezone) => {
    const site = await buildSite(t.db, { timezone });
    const today = dateInTimezone(new Date(), timezone);
    const r1 = await record(site, site.userIds.staff, today);
    expect(r1.status).toBe(200);
    expect(r1.body.person.backgroundCheck).toEqual(expect.objectContaining({ expiresOn: today, current: true }));
    const r2 = await record(site, site.userIds.volunteer, addDays(today, -1));
    expect(r2.body.person.backgroundCheck).toEqual(expect.objectContaining({ current: false }));
    // nobody records their own check (mayRecordBackgroundCheck) and the site has one admin: the admin's is on file
    await t
      .db('users')
      .where({ id: site.userIds.admin })
      .update({ background_check_status: 'cleared', background_check_expires_on: addDays(today, 2) });

    const all = new Map((await people(site)).map((p) => [p.id, p.backgroundCheck.current]));
    expect([all.get(site.userIds.staff), all.get(site.userIds.volunteer), all.get(site.userIds.admin)]).toEqual([true, false, true]);
    // "expiring within N days" counts from the campus's today: 1 day reaches tomorrow, not the day after
    expect((await people(site, { expiring: 1 })).map((p) => p.id)).toEqual([site.userIds.volunteer, site.userIds.staff]);
    expect((await people(site, { expiring: 2 })).map((p) => p.id)).toEqual([site.userIds.volunteer, site.userIds.staff, site.userIds.admin]);
  },
);
