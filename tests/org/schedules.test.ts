/**
 * Recurring schedules (DESIGN §10): a weekly service time makes 8 weeks of services in the
 * campus's timezone (09:00 on the wall across a DST change), idempotently — again, in parallel,
 * and from the hourly top-up; a skipped date is never made; a one-off event opens its own rooms;
 * changing a schedule re-makes only the services nobody has used; another campus sees nothing.
 */
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { withTransaction } from '../../server/src/db/transaction';
import { generateForSite } from '../../server/src/admin/schedules.service';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const wall = (at: string | Date, tz = 'America/Chicago') =>
  new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
const services = (siteId: string, scheduleId: string) =>
  t
    .db('services')
    .where({ site_id: siteId, schedule_id: scheduleId })
    .orderBy('starts_at')
    .select('id', 'starts_at', t.db.raw("to_char(service_date, 'YYYY-MM-DD') AS day"));
const make = (site: BuiltSite, body: object) => t.api().post('/api/schedules').set(bearer(site.tokens.admin)).send(body);

test('a Sunday 09:00 schedule makes the next 8 Sundays at 09:00 Chicago time; generating again (also in parallel) makes nothing', async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await make(site, { name: 'Sunday 9:00', weekday: 0, time: '09:00' });
  expect(r.status).toBe(201);
  const made = await services(site.siteId, r.body.schedule.id);
  expect(r.body.generated).toBe(made.length);
  expect(made.length).toBeGreaterThanOrEqual(7); // 8 weeks from today, less today's if its window has closed
  expect(made.length).toBeLessThanOrEqual(8);
  for (const s of made) expect(wall(s.starts_at)).toBe('Sunday 09:00');
  expect(new Set(made.map((s) => s.day)).size).toBe(made.length);
  expect(r.body.schedule.upcoming.map((u: { serviceDate: string }) => u.serviceDate)).toEqual(made.map((s) => s.day));
  // the window: the campus's check-in window before, 60 minutes after by default
  const first = await t.db('services').where({ id: made[0]!.id }).first();
  expect(new Date(first.checkin_closes_at).getTime() - new Date(first.starts_at).getTime()).toBe(60 * 60_000);
  // every regular room open, overflow closed
  const rooms = await t.db('service_rooms').where({ service_id: made[0]!.id });
  expect(rooms.length).toBe(Object.keys(site.rooms).length);
  expect(rooms.find((x) => x.room_id === site.rooms.Overflow)!.open).toBe(false);
  expect(rooms.find((x) => x.room_id === site.rooms.Toddlers)!.open).toBe(true);

  const again = await Promise.all([0, 1, 2].map(() => t.api().post('/api/schedules/generate').set(bearer(site.tokens.admin))));
  expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
  expect(again.map((a) => a.body.generated)).toEqual([0, 0, 0]);
  expect((await services(site.siteId, r.body.schedule.id)).length).toBe(made.length);
});

test('across the March DST change in Chicago the service stays at 09:00 on the wall (15:00 UTC, then 14:00 UTC)', async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await make(site, { name: 'Sunday 9:00', weekday: 0, time: '09:00' });
  expect(r.status).toBe(201);
  // the top-up as it runs on 2027-02-20: the 8 weeks ahead cross 2027-03-14
  const made = await withTransaction(
    t.db,
    () => {},
    (tx) => generateForSite(tx, site.siteId, new Date('2027-02-20T18:00:00Z')),
  );
  expect(made).toBe(8);
  const byDay = new Map((await services(site.siteId, r.body.schedule.id)).map((s) => [s.day, new Date(s.starts_at).toISOString()]));
  expect(byDay.get('2027-03-07')).toBe('2027-03-07T15:00:00.000Z');
  expect(byDay.get('2027-03-14')).toBe('2027-03-14T14:00:00.000Z');
  expect(byDay.get('2027-04-11')).toBe('2027-04-11T14:00:00.000Z');
  expect(byDay.has('2027-04-18')).toBe(false); // 8 weeks, not more
  // and on the day before, the same run makes nothing new
  expect(
    await withTransaction(
      t.db,
      () => {},
      (tx) => generateForSite(tx, site.siteId, new Date('2027-02-20T19:00:00Z')),
    ),
  ).toBe(0);
});

test('skip a date: its service goes and is not made again; the wrong weekday is a 400 naming the date; taking the skip back makes it again', async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await make(site, { name: 'Wednesday night', weekday: 3, time: '18:30' });
  const id = r.body.schedule.id as string;
  const days = (await services(site.siteId, id)).map((s) => s.day);
  const target = days[2]!;
  const wrong = await t.api().post(`/api/schedules/${id}/skips`).set(bearer(site.tokens.admin)).send({ date: '2026-12-27' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.field).toBe('date');
  expect(wrong.body.error.message).toMatch(/Sunday.*Wednesdays/);
  const bad = await t.api().post(`/api/schedules/${id}/skips`).set(bearer(site.tokens.admin)).send({ date: '2026-02-30' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('date');

  const s = await t.api().post(`/api/schedules/${id}/skips`).set(bearer(site.tokens.admin)).send({ date: target });
  expect(s.status).toBe(200);
  expect(s.body.schedule.skips).toEqual([target]);
  expect((await services(site.siteId, id)).map((x) => x.day)).toEqual(days.filter((d) => d !== target));
  expect((await t.api().post('/api/schedules/generate').set(bearer(site.tokens.admin))).body.generated).toBe(0);
  expect((await services(site.siteId, id)).map((x) => x.day)).not.toContain(target);

  const back = await t.api().delete(`/api/schedules/${id}/skips/${target}`).set(bearer(site.tokens.admin));
  expect(back.status).toBe(200);
  expect(back.body.schedule.skips).toEqual([]);
  expect((await services(site.siteId, id)).map((x) => x.day)).toEqual(days);
  expect(await t.db('audit_log').where({ entity: 'schedule', entity_id: id }).pluck('action')).toEqual(
    expect.arrayContaining(['schedule.create', 'schedule.skip', 'schedule.unskip']),
  );
});

test('a changed schedule re-makes the unused services at the new time; one with children checked in stays, and cannot be skipped', async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await make(site, { name: 'Sunday', weekday: 0, time: '09:00' });
  const id = r.body.schedule.id as string;
  const made = await services(site.siteId, id);
  // the first generated service is happening now (its window held open) and a child is checked in
  const used = made[0]!;
  await t
    .db('services')
    .where({ id: used.id })
    .update({ checkin_opens_at: new Date(Date.now() - 60_000), checkin_closes_at: new Date(Date.now() + 3_600_000) });
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const c = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: used.id, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(c.status).toBe(201);

  const p = await t.api().patch(`/api/schedules/${id}`).set(bearer(site.tokens.admin)).send({ time: '10:30' });
  expect(p.status).toBe(200);
  expect(p.body.removed).toBe(made.length - 1);
  const now = await services(site.siteId, id);
  expect(now.length).toBe(made.length);
  expect(now.find((s) => s.id === used.id)).toBeDefined();
  for (const s of now.filter((x) => x.id !== used.id)) expect(wall(s.starts_at)).toBe('Sunday 10:30');

  const skip = await t.api().post(`/api/schedules/${id}/skips`).set(bearer(site.tokens.admin)).send({ date: used.day });
  expect(skip.status).toBe(409);
  expect(skip.body.error.code).toBe('has_checkins');
  expect(await t.db('services').where({ id: used.id }).first()).toBeDefined();

  // ending the schedule: the unused future services go, the used one stays
  const end = await t.api().delete(`/api/schedules/${id}`).set(bearer(site.tokens.admin));
  expect(end.status).toBe(200);
  expect((await services(site.siteId, id)).map((s) => s.id)).toEqual([used.id]);
  expect((await t.api().get('/api/schedules').set(bearer(site.tokens.admin))).body.schedules).toEqual([]);
});

test("rooms: a schedule's own rooms open (overflow on request); a one-off event opens only its rooms; another campus's room is a 400 naming roomIds", async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const other = await buildSite(t.db, { timezone: 'America/Chicago' });
  const r = await make(site, { name: 'Little ones', weekday: 6, time: '10:00', roomIds: [site.rooms.Nursery, site.rooms.Toddlers], overflowOpen: true });
  expect(r.status).toBe(201);
  const [first] = await services(site.siteId, r.body.schedule.id);
  const open = (await t.db('service_rooms').where({ service_id: first!.id, open: true }).pluck('room_id')).sort();
  expect(open).toEqual([site.rooms.Nursery, site.rooms.Toddlers, site.rooms.Overflow].sort());

  const foreign = await make(site, { name: 'Bad', weekday: 0, time: '09:00', roomIds: [other.rooms.Nursery] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.error.field).toBe('roomIds');
  for (const body of [{ weekday: 7 }, { time: '9am' }, { time: '24:00' }, { opensBeforeMinutes: -5 }]) {
    const bad = await make(site, { name: 'Bad', weekday: 0, time: '09:00', ...body });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe(Object.keys(body)[0]);
  }

  const startsAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const event = await t
    .api()
    .post('/api/services')
    .set(bearer(site.tokens.admin))
    .send({ name: 'Christmas Eve', startsAt, roomIds: [site.rooms.Preschool] });
  expect(event.status).toBe(201);
  expect(await t.db('service_rooms').where({ service_id: event.body.service.id, open: true }).pluck('room_id')).toEqual([site.rooms.Preschool]);
  expect(await t.db('service_rooms').where({ service_id: event.body.service.id }).count('* as n')).toEqual([{ n: Object.keys(site.rooms).length }]);
});

test("another campus's admin cannot see, change, skip or end a schedule (404, nothing changed)", async () => {
  const site = await buildSite(t.db, { timezone: 'America/Chicago' });
  const other = await buildSite(t.db, { timezone: 'America/Chicago', organizationId: site.organizationId });
  const r = await make(site, { name: 'Sunday', weekday: 0, time: '09:00' });
  const id = r.body.schedule.id as string;
  const before = (await services(site.siteId, id)).length;
  expect((await t.api().get('/api/schedules').set(bearer(other.tokens.admin))).body.schedules).toEqual([]);
  const day = (await services(site.siteId, id))[1]!.day;
  for (const req of [
    t.api().patch(`/api/schedules/${id}`).set(bearer(other.tokens.admin)).send({ time: '11:00' }),
    t.api().post(`/api/schedules/${id}/skips`).set(bearer(other.tokens.admin)).send({ date: day }),
    t.api().delete(`/api/schedules/${id}`).set(bearer(other.tokens.admin)),
  ]) {
    expect((await req).status).toBe(404);
  }
  expect((await services(site.siteId, id)).length).toBe(before);
  expect((await t.api().post('/api/schedules/generate').set(bearer(other.tokens.admin))).body.generated).toBe(0);
  expect(await t.db('services').where({ site_id: other.siteId }).whereNotNull('schedule_id').count('* as n')).toEqual([{ n: 0 }]);
});

test('the server tops up on its own: a schedule written straight into the database gets its services from the periodic pass', async () => {
  const own = await startTestApp({ env: { SCHEDULE_TOPUP_MS: '200' } });
  try {
    const site = await buildSite(own.db, { timezone: 'America/Chicago' });
    const [row] = await own
      .db('service_schedules')
      .insert({
        organization_id: site.organizationId,
        site_id: site.siteId,
        name: 'Thursday',
        weekday: 4,
        local_time: '19:00',
        opens_before_minutes: 30,
        closes_after_minutes: 60,
      })
      .returning('id');
    // each pass visits every campus of the worker's database (other files' too): on a loaded
    // machine one can take seconds, so the wait is bounded by the test's own timeout only
    const deadline = Date.now() + 25_000;
    let n = 0;
    while (Date.now() < deadline && n === 0) {
      n = (await own.db('services').where({ schedule_id: row.id })).length;
      if (!n) await new Promise((r) => setTimeout(r, 100));
    }
    expect(n).toBeGreaterThanOrEqual(7);
  } finally {
    await own.stop();
  }
}, 60_000);
