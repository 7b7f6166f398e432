/**
 * The forecast (DESIGN §17) over HTTP: history from imported attendance and past check-ins →
 * forecast; another campus's or organisation's service → 404; no history → nulls.
 */
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { addDays, instantAt, wallTimeIn } from '../../contracts/rules';
import type { AlertEvent, ServiceForecast } from '../../contracts';
import { evaluateForecastAlerts, evaluateService } from '../../server/src/forecast/forecast-alerts';
import { clearForecastsOfClosedServices } from '../../server/src/capacity/forecast-sweep';
import { findServiceContext } from '../../server/src/sites/sites.repo';
import { backtestCampus, formatBacktest } from '../../server/src/forecast/cli';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const TODDLERS = [
  { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0, sortOrder: 1 },
  { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0, sortOrder: 2, open: false },
  { name: 'Overflow', kind: 'overflow' as const, minAgeMonths: 18, maxAgeMonths: 71, capacity: 10, ratio: null, volunteers: 0, sortOrder: 0, open: false },
];

const forecast = (site: BuiltSite, token = site.tokens.staff, serviceId = site.serviceId) =>
  t.api().get(`/api/services/${serviceId}/forecast`).set(bearer(token));

/** The service's start, its local date and wall time: the slot's past dates are 7, 14, … days before. */
async function slotOf(site: BuiltSite) {
  const s = await t.db('services').where({ id: site.serviceId }).first();
  const wall = wallTimeIn(s.starts_at, site.timezone);
  return { date: wall.slice(0, 10), time: wall.slice(11, 16), startsAt: new Date(s.starts_at) };
}

/**
 * Imported attendance for `weeks` past Sundays of the slot: `perWeek` children into `room`, arriving
 * evenly from 24 minutes before the start to the start.
 */
async function seedImported(site: BuiltSite, room: string, weeks: number, perWeek: number) {
  const slot = await slotOf(site);
  const rows = [];
  for (let w = 1; w <= weeks; w++) {
    const start = instantAt(addDays(slot.date, -7 * w), slot.time, site.timezone);
    for (let i = 0; i < perWeek; i++) {
      const minute = -24 + (24 * i) / perWeek;
      rows.push({
        organization_id: site.organizationId,
        site_id: site.siteId,
        room_id: site.rooms[room],
        checked_in_at: new Date(start.getTime() + minute * 60_000),
        source: 'generic',
        row_key: `${w}-${i}-${key()}`.slice(0, 64),
      });
    }
  }
  await t.db('attendance_history').insert(rows);
}

const CODES = ['BCDF', 'BCDG', 'BCDH', 'BCDJ'];
/** One past service of the slot (a week before) with `n` of the product's own check-ins. */
async function seedCheckins(site: BuiltSite, room: string, n: number) {
  const slot = await slotOf(site);
  const date = addDays(slot.date, -7);
  const startsAt = instantAt(date, slot.time, site.timezone);
  const [past] = await t
    .db('services')
    .insert({
      site_id: site.siteId,
      name: 'Last week',
      starts_at: startsAt,
      checkin_opens_at: new Date(startsAt.getTime() - 60 * 60_000),
      checkin_closes_at: new Date(startsAt.getTime() + 60 * 60_000),
      service_date: date,
    })
    .returning(['id', 'service_date']);
  for (const r of await t.db('service_rooms').where({ service_id: site.serviceId }))
    await t.db('service_rooms').insert({ service_id: past.id, room_id: r.room_id, open: r.open, capacity: r.capacity, volunteers: 0 });
  for (let i = 0; i < n; i++) {
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const [batch] = await t
      .db('checkin_batches')
      .insert({
        site_id: site.siteId,
        service_id: past.id,
        household_id: fam.householdId,
        service_date: past.service_date,
        security_code: CODES[i],
        family_day: true,
      })
      .returning('id');
    const [request] = await t
      .db('checkin_requests')
      .insert({ site_id: site.siteId, batch_id: batch.id, idempotency_key: key(), service_ids: [past.id] })
      .returning('id');
    await t.db('checkins').insert({
      batch_id: batch.id,
      request_id: request.id,
      site_id: site.siteId,
      service_id: past.id,
      service_date: past.service_date,
      room_id: site.rooms[room],
      child_id: fam.childIds[0],
      household_id: fam.householdId,
      security_code: CODES[i]!,
      status: 'checked_out',
      checked_in_at: new Date(startsAt.getTime() - 10 * 60_000),
    });
  }
  return past.id as string;
}

describe('GET /api/services/:id/forecast', () => {
  test('from 8 weeks of imported attendance: the expected total, a band, the curve every 5 minutes, the next room and the adults', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, opensInMinutes: 5, settings: { ratioEnforcement: 'enforce', twoAdultRule: true } });
    await seedImported(site, 'Toddlers A', 8, 18);
    const r = await forecast(site);
    expect(r.status).toBe(200);
    const f = r.body as ServiceForecast;
    expect(f.serviceId).toBe(site.serviceId);
    expect(f.basis.services).toBe(8);
    const slot = await slotOf(site);
    expect(f.basis.to).toBe(instantAt(addDays(slot.date, -7), slot.time, site.timezone).toISOString());
    expect(f.groups.map((g) => g.key)).toEqual(['Toddlers']);
    const g = f.groups[0]!;
    expect(g.roomIds.sort()).toEqual([site.rooms['Toddlers A'], site.rooms['Toddlers B'], site.rooms.Overflow].sort());
    expect(g.expectedChildren).toBe(18);
    expect(g.low).toBeLessThanOrEqual(18);
    expect(g.high).toBeGreaterThanOrEqual(18);
    // every 5 minutes from check-in open (35 min before the start) to 30 minutes after it
    const s = await t.db('services').where({ id: site.serviceId }).first();
    expect(Math.abs(new Date(g.arrivals[0]!.at).getTime() - new Date(s.checkin_opens_at).getTime())).toBeLessThan(60_000);
    expect(new Date(g.arrivals[g.arrivals.length - 1]!.at).getTime()).toBeLessThanOrEqual(slot.startsAt.getTime() + 30 * 60_000);
    for (let i = 1; i < g.arrivals.length; i++) expect(new Date(g.arrivals[i]!.at).getTime() - new Date(g.arrivals[i - 1]!.at).getTime()).toBe(5 * 60_000);
    expect(g.arrivals.every((p) => p.actual === null)).toBe(true);
    expect(g.arrivals[g.arrivals.length - 1]!.expected).toBeCloseTo(18, 0);
    // 10 seats open: Toddlers B (fill order, before overflow) is needed; overflow is not
    expect(g.openBy.map((o) => o.roomName)).toEqual(['Toddlers B']);
    expect(new Date(g.openBy[0]!.at).getTime()).toBeLessThan(slot.startsAt.getTime());
    // two adults in the open room from the start, then the ratio (1 per 5) and the second room's two
    expect(g.volunteersNeeded[0]!.count).toBe(2);
    expect(g.volunteersNeeded[g.volunteersNeeded.length - 1]!.count).toBeGreaterThanOrEqual(4);
  });

  test("the product's own check-ins count with the imported rows of the same date", async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, opensInMinutes: 5 });
    await seedCheckins(site, 'Toddlers A', 3);
    await seedImported(site, 'Toddlers B', 1, 2);
    const f = (await forecast(site)).body as ServiceForecast;
    expect(f.basis.services).toBe(1);
    expect(f.groups[0]!.expectedChildren).toBe(5);
    expect(f.groups[0]!.note).toMatch(/Only 1 past Toddlers service/);
  });

  test("past arrivals before this year's later opening count (at the opening minute); those of an earlier service that morning do not", async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, opensInMinutes: 5 });
    const slot = await slotOf(site);
    // check-in now opens 15 minutes before the start; in past years it opened earlier
    await t
      .db('services')
      .where({ id: site.serviceId })
      .update({ checkin_opens_at: new Date(slot.startsAt.getTime() - 15 * 60_000) });
    const rows = [];
    for (let w = 1; w <= 8; w++) {
      const start = instantAt(addDays(slot.date, -7 * w), slot.time, site.timezone);
      // 6 children 20 minutes before the start (before this year's opening), 6 at 10 minutes before
      for (const [i, minute] of [-20, -20, -20, -20, -20, -20, -10, -10, -10, -10, -10, -10].entries())
        rows.push({
          organization_id: site.organizationId,
          site_id: site.siteId,
          room_id: site.rooms['Toddlers A'],
          checked_in_at: new Date(start.getTime() + minute * 60_000),
          source: 'generic',
          row_key: `early-${w}-${i}-${key()}`.slice(0, 64),
        });
    }
    await t.db('attendance_history').insert(rows);
    let g = ((await forecast(site)).body as ServiceForecast).groups[0]!;
    expect(g.expectedChildren).toBe(12);
    // the early six are there from the first point (the opening minute), not dropped
    expect(g.arrivals[0]!.expected).toBeCloseTo(6, 0);

    // an earlier service the same morning whose check-in closes 25 minutes before this start: its
    // children (imported at 40 minutes before) are not this slot's
    const [earlier] = await t
      .db('services')
      .insert({
        site_id: site.siteId,
        name: 'Early service',
        starts_at: new Date(slot.startsAt.getTime() - 90 * 60_000),
        checkin_opens_at: new Date(slot.startsAt.getTime() - 120 * 60_000),
        checkin_closes_at: new Date(slot.startsAt.getTime() - 25 * 60_000),
        service_date: slot.date,
      })
      .returning('id');
    expect(earlier.id).toBeDefined();
    const theirs = [];
    for (let w = 1; w <= 8; w++) {
      const start = instantAt(addDays(slot.date, -7 * w), slot.time, site.timezone);
      for (let i = 0; i < 5; i++)
        theirs.push({
          organization_id: site.organizationId,
          site_id: site.siteId,
          room_id: site.rooms['Toddlers A'],
          checked_in_at: new Date(start.getTime() - 40 * 60_000),
          source: 'generic',
          row_key: `theirs-${w}-${i}-${key()}`.slice(0, 64),
        });
    }
    await t.db('attendance_history').insert(theirs);
    g = ((await forecast(site)).body as ServiceForecast).groups[0]!;
    expect(g.expectedChildren).toBe(12);
  });

  test('no history: basis.services 0, null numbers, and the group says so', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    const f = (await forecast(site)).body as ServiceForecast;
    expect(f.basis).toEqual({ services: 0, from: null, to: null });
    expect(f.groups[0]).toEqual(expect.objectContaining({ expectedChildren: null, low: null, high: null, openBy: [], volunteersNeeded: [], arrivals: [] }));
    expect(f.groups[0]!.note).toMatch(/No past Toddlers check-ins/);
  });

  test("another campus's or organisation's service is not found; volunteers and kiosks are refused", async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    const sister = await buildSite(t.db, { rooms: TODDLERS, organizationId: site.organizationId });
    const stranger = await buildSite(t.db, { rooms: TODDLERS });
    expect((await forecast(site, sister.tokens.staff)).status).toBe(404);
    expect((await forecast(site, stranger.tokens.admin)).status).toBe(404);
    expect((await forecast(site, site.tokens.volunteer)).status).toBe(403);
    expect((await forecast(site, site.tokens.kiosk)).status).toBe(403);
    expect((await forecast(site, site.tokens.staff, 'not-a-uuid')).status).toBe(400);
  });
});

describe('alerts ahead', () => {
  const evaluate = (site: BuiltSite) =>
    t.ctx.tx(async (tx) => {
      const service = await findServiceContext(tx.trx, site.serviceId);
      return evaluateService(tx, service!);
    });
  const alerts = async (site: BuiltSite) =>
    (await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(site.tokens.staff))).body.alerts as AlertEvent[];
  const standing = async (site: BuiltSite) => (await alerts(site)).filter((a) => !a.clearedAt);
  const events = (name: string, site: BuiltSite) => t.events.filter((e) => e.name === name && e.siteId === site.siteId).map((e) => e.payload as AlertEvent);

  test('raised before any arrival within the lead time, once across parallel passes; opening the room clears it; none after close', async () => {
    const site = await buildSite(t.db, {
      rooms: TODDLERS,
      opensInMinutes: 5,
      settings: { ratioEnforcement: 'enforce', twoAdultRule: true, forecastLeadMinutes: 60 },
    });
    await seedImported(site, 'Toddlers A', 8, 18);
    // several instances run the pass at once: each condition is raised by one of them
    const raised = await Promise.all([evaluate(site), evaluate(site), evaluate(site)]);
    expect(raised.reduce((a, b) => a + b, 0)).toBe(2);
    const now = await standing(site);
    const room = now.find((a) => a.kind === 'forecast_open_room')!;
    expect(room.message).toMatch(/^Toddlers will need a 2nd room at \d?\d:\d\d — open Toddlers B by \d?\d:\d\d$/);
    expect(room.roomIds).toEqual([site.rooms['Toddlers B']]);
    const adults = now.find((a) => a.kind === 'forecast_volunteers')!;
    // no volunteer schedule in the product: before check-in opens it names the adults per room, not "0 checked in"
    expect(adults.message).toMatch(/^Toddlers needs 2 adults by \d?\d:\d\d — 2 in Toddlers A$/);
    // in the alert stream every staff page hears (alert.raised), once each
    expect(
      events('alert.raised', site)
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['forecast_open_room', 'forecast_volunteers']);
    expect(await evaluate(site)).toBe(0);

    // the one-tap action: the dashboard's PATCH opening the room
    const opened = await t.api().patch(`/api/services/${site.serviceId}/rooms/${site.rooms['Toddlers B']}`).set(bearer(site.tokens.staff)).send({ open: true });
    expect(opened.status).toBe(200);
    expect(events('alert.cleared', site).map((a) => a.id)).toEqual([room.id]);
    expect((await standing(site)).map((a) => a.kind)).toEqual(['forecast_volunteers']);
    // closing it again does not raise the same condition twice
    await t.api().patch(`/api/services/${site.serviceId}/rooms/${site.rooms['Toddlers B']}`).set(bearer(site.tokens.staff)).send({ open: false });
    await evaluate(site);
    expect((await alerts(site)).filter((a) => a.kind === 'forecast_open_room')).toHaveLength(1);

    // check-in closes: the standing alert ahead clears, and nothing is raised after
    await t
      .db('services')
      .where({ id: site.serviceId })
      .update({ checkin_opens_at: new Date(Date.now() - 120 * 60_000), checkin_closes_at: new Date(Date.now() - 60_000) });
    await t.ctx.tx((tx) => clearForecastsOfClosedServices(tx));
    expect(await standing(site)).toEqual([]);
    expect(await evaluate(site)).toBe(0);
    expect(await evaluateForecastAlerts(t.ctx)).toBeGreaterThanOrEqual(0);
    expect(await standing(site)).toEqual([]);
  });

  test('outside the lead time (default 15 min) nothing is raised yet; adults checking in clear the volunteers alert', async () => {
    const site = await buildSite(t.db, {
      rooms: TODDLERS,
      opensInMinutes: 40,
      closesInMinutes: 160,
      settings: { ratioEnforcement: 'enforce', twoAdultRule: true },
    });
    await t
      .db('services')
      .where({ id: site.serviceId })
      .update({ starts_at: new Date(Date.now() + 70 * 60_000) });
    await seedImported(site, 'Toddlers A', 8, 18);
    expect(await evaluate(site)).toBe(0);
    expect(await standing(site)).toEqual([]);

    const near = await buildSite(t.db, { rooms: TODDLERS, opensInMinutes: 5, settings: { ratioEnforcement: 'enforce', twoAdultRule: true } });
    await seedImported(near, 'Toddlers A', 8, 18);
    await evaluate(near);
    const adults = (await standing(near)).find((a) => a.kind === 'forecast_volunteers')!;
    expect(adults).toBeDefined();
    const set = await t
      .api()
      .patch(`/api/services/${near.serviceId}/rooms/${near.rooms['Toddlers A']}`)
      .set(bearer(near.tokens.staff))
      .send({ volunteers: 2, reason: 'two adults in the room' });
    expect(set.status).toBe(200);
    expect((await standing(near)).find((a) => a.kind === 'forecast_volunteers')).toBeUndefined();
  });
});

test('the backtest leaves each past occurrence out in turn and reports the errors per age group', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS, opensInMinutes: 5 });
  await seedImported(site, 'Toddlers A', 10, 14);
  await seedCheckins(site, 'Toddlers A', 1);
  const rows = await backtestCampus(t.db, site.siteId);
  expect(rows).toHaveLength(1);
  const r = rows[0]!;
  expect(r.group).toBe('Toddlers');
  // 10 occurrences, the oldest has none before it
  expect(r.services).toBe(9);
  expect(r.totalMapePct!).toBeLessThan(10);
  // 14–15 children in 10 seats every week: Toddlers B was needed each time, and advised in time
  expect(r.roomsNeeded).toBe(9);
  expect(r.lateShare).toBe(0);
  expect(formatBacktest(rows)).toMatch(/Toddlers \| 9 \|/);
});
