/**
 * `GET /api/services/:id/forecast` (DESIGN §17): read the slot's history and today's state, decide
 * with the pure method, present the contract's ServiceForecast. Read-only and off the check-in
 * path: nothing here locks a room.
 */
import type { Knex } from 'knex';
import type { ForecastGroup, ForecastPoint, ServiceForecast } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { notFound } from '../errors';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { listServiceRooms } from '../capacity/capacity.repo';
import { ageGroupsOf, loadHistory, type ForecastTarget } from './history';
import { forecastCurve, planOpenings, planVolunteers, type Curve, type PlanRoom } from './method';
import { findServiceSchedule, serviceArrivals } from './history.repo';

type Db = Knex | Knex.Transaction;
/** the curve runs to 30 minutes after the start (DESIGN §17) */
export const CURVE_END_MINUTE = 30;
const STEP_MINUTES = 5;

/** What the alerts need besides the reply: each group's rooms as planned, with who is in them now. */
export interface GroupPlanState {
  key: string;
  rooms: PlanRoom[];
  /** volunteers checked in to the group's open rooms now */
  volunteersPresent: number;
}

export interface ForecastResult {
  forecast: ServiceForecast;
  groups: GroupPlanState[];
}

export async function getForecast(tx: Tx, actor: Actor, serviceId: string): Promise<ServiceForecast> {
  const service = await findServiceContext(tx.trx, serviceId);
  // another campus's (or organisation's) service is not there for this actor
  if (!service || service.siteId !== actor.siteId) throw notFound('Service');
  return (await computeForecast(tx.trx, service, new Date())).forecast;
}

const minutesBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** The forecast of one service at `now`. */
export async function computeForecast(db: Db, service: ServiceContext, now: Date): Promise<ForecastResult> {
  const target: ForecastTarget = {
    serviceId: service.id,
    siteId: service.siteId,
    timezone: service.timezone,
    serviceDate: String(service.serviceDate).slice(0, 10),
    startsAt: new Date(service.startsAt),
    checkinOpensAt: new Date(service.checkinOpensAt),
    checkinClosesAt: new Date(service.checkinClosesAt),
    scheduleId: await findServiceSchedule(db, service.id),
  };
  const rooms = await listServiceRooms(db, service.id);
  const groups = ageGroupsOf(rooms);
  const history = await loadHistory(db, target, groups);
  const today = await serviceArrivals(db, [service.id]);
  const fromMinute = Math.round(minutesBetween(target.startsAt, target.checkinOpensAt));
  const nowMinute = minutesBetween(target.startsAt, now);
  const open = now >= target.checkinOpensAt;
  const at = (minute: number) => new Date(target.startsAt.getTime() + minute * 60_000).toISOString();

  const outGroups: ForecastGroup[] = [];
  const states: GroupPlanState[] = [];
  for (const g of groups) {
    const ids = new Set(g.rooms.map((r) => r.roomId));
    const mine = today.filter((a) => ids.has(a.room_id)).map((a) => a.minute);
    const arrivedSoFar = mine.filter((m) => m <= nowMinute).length;
    const headcount = g.rooms.reduce((s, r) => s + r.headcount, 0);
    const carried = Math.max(0, headcount - arrivedSoFar);
    const planRooms: PlanRoom[] = g.rooms.map((r) => ({
      roomId: r.roomId,
      name: r.name,
      kind: r.kind,
      sortOrder: r.sortOrder,
      open: r.open,
      capacity: r.capacity,
      ratio: r.ratio,
      volunteers: r.volunteers,
    }));
    states.push({ key: g.key, rooms: planRooms, volunteersPresent: g.rooms.filter((r) => r.open).reduce((s, r) => s + r.volunteers, 0) });
    const curve = forecastCurve({
      history: history.byGroup.get(g.key) ?? [],
      date: target.serviceDate,
      fromMinute,
      toMinute: CURVE_END_MINUTE,
      today: open ? { minutes: mine, now: nowMinute } : undefined,
    });
    outGroups.push(present(g.key, [...ids], curve, planRooms, service, carried, { fromMinute, nowMinute, mine, at }));
  }
  const occ = history.occurrences;
  return {
    forecast: {
      serviceId: service.id,
      generatedAt: now.toISOString(),
      basis: {
        services: occ.length,
        from: occ.length ? occ[occ.length - 1]!.startsAt.toISOString() : null,
        to: occ.length ? occ[0]!.startsAt.toISOString() : null,
      },
      groups: outGroups,
    },
    groups: states,
  };
}

function present(
  key: string,
  roomIds: string[],
  curve: Curve | null,
  rooms: PlanRoom[],
  service: ServiceContext,
  carried: number,
  t: { fromMinute: number; nowMinute: number; mine: number[]; at: (m: number) => string },
): ForecastGroup {
  const points: ForecastPoint[] = [];
  for (let m = t.fromMinute; m <= CURVE_END_MINUTE; m += STEP_MINUTES) {
    const i = m - t.fromMinute;
    points.push({
      at: t.at(m),
      expected: curve ? r1(curve.expected[i]!) : 0,
      low: curve ? r1(curve.low[i]!) : 0,
      high: curve ? r1(curve.high[i]!) : 0,
      actual: m <= t.nowMinute ? t.mine.filter((x) => x <= m).length : null,
    });
  }
  if (!curve)
    return {
      key,
      label: key,
      roomIds,
      expectedChildren: null,
      low: null,
      high: null,
      // no curve to draw: zeros would be invented numbers
      arrivals: [],
      openBy: [],
      volunteersNeeded: [],
      note: `No past ${key} check-ins in this slot yet: no forecast until there is history (import past attendance to start with some).`,
    };
  const openings = planOpenings(curve, rooms, carried);
  const volunteers = planVolunteers(curve, rooms, openings, service.settings, carried);
  return {
    key,
    label: key,
    roomIds,
    expectedChildren: Math.round(curve.total.expected),
    low: Math.floor(curve.total.low),
    high: Math.ceil(curve.total.high),
    arrivals: points,
    openBy: openings.map((o) => ({
      roomId: o.roomId,
      roomName: o.roomName,
      at: t.at(o.at),
      ...(o.expectedAt != null ? { expectedFullAt: t.at(o.expectedAt) } : {}),
    })),
    volunteersNeeded: volunteers.map((v) => ({ at: t.at(v.at), count: v.count, rooms: v.rooms })),
    ...(curve.basis.occurrences < 3 ? { note: `Only ${curve.basis.occurrences} past ${key} services in this slot: a wide band.` } : {}),
  };
}
