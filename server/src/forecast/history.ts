/**
 * History (DESIGN §17): per campus, weekly slot and age group, the last 8 occurrences — arrivals by
 * minute relative to the start, from the product's check-ins and the imported attendance that
 * falls in the slot's check-in window on that date. Reads only.
 */
import type { Knex } from 'knex';
import { addDays, instantAt, wallTimeIn } from '../../../contracts/rules';
import type { RoomState } from '../capacity/rules';
import { groupOf, roomsForGroup } from '../capacity/capacity.service';
import type { Occurrence } from './method';
import * as repo from './history.repo';

type Db = Knex | Knex.Transaction;
export const OCCURRENCES = 8;
/** how far back to look for 8 occurrences (skipped Sundays, summer breaks) */
export const LOOKBACK_WEEKS = 26;
/**
 * Imported rows have no opening time of their own: arrivals up to this many minutes before the
 * target's opening still count (at the opening minute, as `cumulative` clamps them) — a slot whose
 * check-in opens later this year than it did (8:45 now, 8:40 arrivals then) keeps its early
 * children — but never before an earlier service of the day has closed its check-in.
 */
export const EARLY_ARRIVAL_MINUTES = 60;

export interface ForecastTarget {
  serviceId: string;
  siteId: string;
  timezone: string;
  serviceDate: string;
  startsAt: Date;
  checkinOpensAt: Date;
  checkinClosesAt: Date;
  scheduleId: string | null;
}

export interface AgeGroup {
  key: string;
  rooms: RoomState[];
}

/** The service's age groups: each regular room's group with the overflow rooms that take it; an overflow room serving none is its own group. */
export function ageGroupsOf(rooms: RoomState[]): AgeGroup[] {
  const keys: string[] = [];
  const add = (k: string) => !keys.includes(k) && keys.push(k);
  const ordered = [...rooms].sort(
    (a, b) => (a.kind === b.kind ? 0 : a.kind === 'regular' ? -1 : 1) || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name),
  );
  for (const r of ordered.filter((x) => x.kind === 'regular')) add(groupOf(r));
  const groups = keys.map((key) => ({ key, rooms: roomsForGroup(rooms, key) }));
  for (const r of ordered.filter((x) => x.kind === 'overflow'))
    if (!groups.some((g) => g.rooms.includes(r))) {
      const g = groups.find((x) => x.key === groupOf(r));
      if (g) g.rooms.push(r);
      else groups.push({ key: groupOf(r), rooms: [r] });
    }
  return groups;
}

/**
 * The group a past arrival counts for, by its room: the room's own group when the service has it;
 * an overflow room's arrivals go to the first group (fill order) it takes children for.
 */
export function groupResolver(groups: AgeGroup[], siteRooms: repo.SiteRoomRow[]): (roomId: string) => string | null {
  const byId = new Map(siteRooms.map((r) => [r.id, r]));
  const cache = new Map<string, string | null>();
  return (roomId) => {
    if (cache.has(roomId)) return cache.get(roomId)!;
    const room = byId.get(roomId);
    let key: string | null = null;
    if (room) {
      const own = room.age_group || room.name;
      key = groups.find((g) => g.key === own)?.key ?? groups.find((g) => g.rooms.some((r) => r.roomId === roomId))?.key ?? null;
    }
    cache.set(roomId, key);
    return key;
  };
}

export interface SlotHistory {
  /** the occurrences used, newest first: date and its start */
  occurrences: { date: string; startsAt: Date }[];
  byGroup: Map<string, Occurrence[]>;
}

/** The last 8 occurrences of the target's slot, per age group (a date nobody checked in on is taken as not held). */
export async function loadHistory(
  db: Db,
  target: ForecastTarget,
  groups: AgeGroup[],
  limit = OCCURRENCES,
  lookbackWeeks = LOOKBACK_WEEKS,
): Promise<SlotHistory> {
  const lookbackDays = lookbackWeeks * 7;
  const services = await repo.slotServices(db, { ...target, lookbackDays });
  // one service per date: the same schedule first, then the nearest start
  const chosen = new Map<string, repo.SlotService>();
  for (const s of services) {
    const had = chosen.get(s.date);
    const rank = (x: repo.SlotService) => (target.scheduleId && x.schedule_id === target.scheduleId ? 0 : 1000) + Math.abs(x.offset_minutes);
    if (!had || rank(s) < rank(had)) chosen.set(s.date, s);
  }
  const localTime = wallTimeIn(target.startsAt, target.timezone).slice(11, 16);
  const slots: { date: string; startsAt: Date }[] = [];
  for (let w = 1; w <= lookbackWeeks; w++) {
    const date = addDays(target.serviceDate, -7 * w);
    slots.push({ date, startsAt: instantAt(date, localTime, target.timezone) });
  }
  const before = Math.round((target.startsAt.getTime() - target.checkinOpensAt.getTime()) / 60_000);
  const after = Math.round((target.checkinClosesAt.getTime() - target.startsAt.getTime()) / 60_000);
  // how far before the start an earlier service of the day still had check-in open: on the
  // target's date, and on the newest past date of the slot the product held (the backtest's
  // target is a virtual next week with no services of its own)
  const gap = async (s: { id: string; date: string; startsAt: Date }) => {
    const closes = await repo.earlierServiceClose(db, { siteId: target.siteId, serviceId: s.id, serviceDate: s.date, startsAt: s.startsAt });
    return closes ? Math.floor((s.startsAt.getTime() - closes.getTime()) / 60_000) : Infinity;
  };
  const newest = [...chosen.values()].sort((a, b) => b.date.localeCompare(a.date))[0];
  const earliest = Math.max(
    before,
    Math.min(
      before + EARLY_ARRIVAL_MINUTES,
      await gap({ id: target.serviceId, date: target.serviceDate, startsAt: target.startsAt }),
      newest ? await gap({ id: newest.id, date: newest.date, startsAt: new Date(newest.starts_at) }) : Infinity,
    ),
  );
  const [own, imported, rooms] = [
    await repo.serviceArrivals(
      db,
      [...chosen.values()].map((s) => s.id),
    ),
    await repo.importedArrivals(db, target.siteId, slots, earliest, after),
    await repo.siteRooms(db, target.siteId),
  ];
  const groupOfRoom = groupResolver(groups, rooms);
  const dateOf = new Map([...chosen.values()].map((s) => [s.id, s.date]));
  const perDate = new Map<string, Map<string, number[]>>();
  const push = (date: string, roomId: string, minute: number) => {
    const g = groupOfRoom(roomId);
    if (!g) return;
    let m = perDate.get(date);
    if (!m) perDate.set(date, (m = new Map()));
    if (!m.has(g)) m.set(g, []);
    m.get(g)!.push(minute);
  };
  for (const a of own) push(dateOf.get(a.service_id)!, a.room_id, a.minute);
  for (const a of imported) push(a.date, a.room_id, a.minute);
  const dates = [...perDate.keys()].sort().reverse().slice(0, limit);
  const startOf = (date: string) => chosen.get(date)?.starts_at ?? slots.find((s) => s.date === date)!.startsAt;
  const byGroup = new Map<string, Occurrence[]>();
  for (const g of groups) byGroup.set(g.key, dates.map((date) => ({ date, minutes: perDate.get(date)!.get(g.key) ?? [] })).reverse());
  return { occurrences: dates.map((date) => ({ date, startsAt: new Date(startOf(date)) })), byGroup };
}
