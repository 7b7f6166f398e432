/**
 * `npm run bench -- --forecast-only [--forecast-weeks=N]` (DESIGN §17, issue #28): seeds a campus
 * with a synthetic history of known curves and noise — three age groups: steady, growing, and one
 * with holidays — as imported attendance, runs the backtest through the database (as
 * `npm run forecast -- --backtest` does) and reports its errors against the targets (totals within
 * 10 %, fill times within 5 minutes, late advice < 10 %), and the cost of one service's forecast
 * (computeForecast, reads included: ms per service).
 */
import { createDb } from '../../server/src/db/knex';
import { addDays, dateInTimezone, instantAt } from '../../contracts/rules';
import { syntheticHistory, type SyntheticOptions } from '../../server/src/forecast/synthetic';
import { backtestCampus, type GroupBacktest } from '../../server/src/forecast/cli';
import { computeForecast } from '../../server/src/forecast/forecast.service';
import { findServiceContext } from '../../server/src/sites/sites.repo';

export const FORECAST_DB = 'kcbench_forecast';
export const TARGETS = { totalMaePct: 10, fillMaeMinutes: 5, lateShare: 0.1 };

const TZ = 'America/Chicago';
/** the groups: rooms in fill order (the first open as a Sunday starts), and the slot's known curve */
const GROUPS: { group: string; rooms: { name: string; capacity: number; kind?: 'overflow' }[]; history: Omit<SyntheticOptions, 'weeks' | 'firstDate'> }[] = [
  {
    group: 'Nursery',
    rooms: [
      { name: 'Nursery A', capacity: 8 },
      { name: 'Nursery B', capacity: 8 },
    ],
    history: { total: 11, noise: 0.1, seed: 11, shape: { meanMinute: -12, sdMinute: 10, fromMinute: -45, toMinute: 30 } },
  },
  {
    group: 'Toddlers',
    rooms: [
      { name: 'Toddlers A', capacity: 12 },
      { name: 'Toddlers B', capacity: 12 },
      { name: 'Toddlers Overflow', capacity: 20, kind: 'overflow' },
    ],
    history: { total: 22, growthPerWeek: 0.3, noise: 0.08, seed: 22 },
  },
  {
    group: 'Preschool',
    rooms: [
      { name: 'Preschool A', capacity: 15 },
      { name: 'Preschool B', capacity: 15 },
      { name: 'Preschool C', capacity: 15 },
    ],
    history: {
      total: 36,
      noise: 0.08,
      seed: 33,
      holidays: { 15: 0.4, 33: 1.6, 47: 0.5 },
      shape: { meanMinute: -5, sdMinute: 8, fromMinute: -45, toMinute: 30 },
    },
  },
];

export interface ForecastBench {
  weeks: number;
  groups: GroupBacktest[];
  overall: {
    totalMaePct: number;
    typicalTotalMaePct: number;
    typicalLateShare: number;
    totalMapePct: number;
    fillMaeMinutes: number;
    lateShare: number;
    msPerServiceForecast: number;
  };
  targets: typeof TARGETS;
  met: { totals: boolean; fillTimes: boolean; lateAdvice: boolean };
}

export async function benchForecast(url: string, weeks: number, log: (m: string) => void): Promise<ForecastBench> {
  const db = createDb(url, 4);
  try {
    const [site] = await db('sites')
      .insert({ name: `Forecast Bench ${Date.now()}`, timezone: TZ })
      .returning(['id', 'organization_id']);
    // the latest past Sunday at 09:00, check-in from 8:15 to 10:00: the slot's latest service
    let last = dateInTimezone(new Date(), TZ);
    while (new Date(`${last}T12:00:00Z`).getUTCDay() !== 0 || last >= dateInTimezone(new Date(), TZ)) last = addDays(last, -1);
    const startsAt = instantAt(last, '09:00', TZ);
    const [service] = await db('services')
      .insert({
        site_id: site.id,
        name: 'Sunday 9:00',
        starts_at: startsAt,
        checkin_opens_at: new Date(startsAt.getTime() - 45 * 60_000),
        checkin_closes_at: new Date(startsAt.getTime() + 60 * 60_000),
        service_date: last,
      })
      .returning('id');
    const rows: Record<string, unknown>[] = [];
    let sort = 0;
    for (const g of GROUPS) {
      const ids: { id: string; capacity: number }[] = [];
      for (const [i, r] of g.rooms.entries()) {
        const [room] = await db('rooms')
          .insert({ site_id: site.id, name: r.name, age_group: g.group, kind: r.kind ?? 'regular', default_capacity: r.capacity, ratio: 5, sort_order: ++sort })
          .returning('id');
        await db('service_rooms').insert({ service_id: service.id, room_id: room.id, open: i === 0, capacity: r.capacity, volunteers: 0 });
        ids.push({ id: room.id, capacity: r.capacity });
      }
      // arrivals fill the rooms in order (the room only says which group a past arrival counts for)
      const history = syntheticHistory({ weeks, firstDate: addDays(last, -7 * (weeks - 1)), ...g.history });
      for (const occ of history) {
        const start = instantAt(occ.date, '09:00', TZ);
        occ.minutes.forEach((m, n) => {
          let k = 0;
          let seats = ids[0]!.capacity;
          while (n >= seats && k < ids.length - 1) seats += ids[++k]!.capacity;
          rows.push({
            organization_id: site.organization_id,
            site_id: site.id,
            room_id: ids[k]!.id,
            checked_in_at: new Date(start.getTime() + m * 60_000),
            source: 'generic',
            row_key: `${g.group}-${occ.date}-${n}`,
          });
        });
      }
    }
    for (let i = 0; i < rows.length; i += 1000) await db('attendance_history').insert(rows.slice(i, i + 1000));
    log(`forecast: seeded ${rows.length} past arrivals over ${weeks} Sundays in ${GROUPS.length} age groups; backtesting…`);
    const groups = await backtestCampus(db, site.id, weeks);
    // one service's forecast as the endpoint and the alerts' pass compute it (reads included)
    const ctx = (await findServiceContext(db, service.id))!;
    const runs = 20;
    await computeForecast(db, ctx, new Date(startsAt.getTime() - 60 * 60_000));
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await computeForecast(db, ctx, new Date(startsAt.getTime() - 60 * 60_000));
    const msPerServiceForecast = (performance.now() - t0) / runs;
    const weighted = (pick: (g: GroupBacktest) => number | null, weight: (g: GroupBacktest) => number) => {
      const used = groups.filter((g) => pick(g) != null && weight(g) > 0);
      const w = used.reduce((s, g) => s + weight(g), 0);
      return w ? used.reduce((s, g) => s + pick(g)! * weight(g), 0) / w : 0;
    };
    const overall = {
      totalMaePct: round(
        weighted(
          (g) => g.totalMaePct,
          (g) => g.services,
        ),
      ),
      typicalTotalMaePct: round(
        weighted(
          (g) => g.typicalTotalMaePct,
          (g) => g.services,
        ),
      ),
      typicalLateShare: round(
        weighted(
          (g) => g.typicalLateShare,
          (g) => g.roomsNeeded,
        ),
        3,
      ),
      totalMapePct: round(
        weighted(
          (g) => g.totalMapePct,
          (g) => g.services,
        ),
      ),
      fillMaeMinutes: round(
        weighted(
          (g) => g.fillMaeMinutes,
          (g) => g.roomsNeeded,
        ),
      ),
      lateShare: round(
        weighted(
          (g) => g.lateShare,
          (g) => g.roomsNeeded,
        ),
        3,
      ),
      msPerServiceForecast: round(msPerServiceForecast),
    };
    return {
      weeks,
      groups: groups.map((g) => ({
        ...g,
        totalMaePct: g.totalMaePct == null ? null : round(g.totalMaePct),
        totalMapePct: g.totalMapePct == null ? null : round(g.totalMapePct),
        fillMaeMinutes: g.fillMaeMinutes == null ? null : round(g.fillMaeMinutes),
        lateShare: g.lateShare == null ? null : round(g.lateShare, 3),
        msPerForecast: round(g.msPerForecast, 3),
      })),
      overall,
      targets: TARGETS,
      met: {
        totals: overall.totalMaePct <= TARGETS.totalMaePct,
        fillTimes: overall.fillMaeMinutes <= TARGETS.fillMaeMinutes,
        lateAdvice: overall.lateShare < TARGETS.lateShare,
      },
    };
  } finally {
    await db.destroy();
  }
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
