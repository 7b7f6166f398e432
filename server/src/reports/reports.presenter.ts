import type { AttendanceService, Timeline } from '../../../contracts';
import { iso } from '../../../contracts/rules';

export interface ServiceCounts {
  service: { id: string; name: string; starts_at: Date | string; service_date: string };
  rooms: { room_id: string; name: string }[];
  rows: { room_id: string; household_id: string; status: string }[];
  firstTime: Set<string>;
}

export function presentAttendance(c: ServiceCounts): AttendanceService {
  const households = new Set(c.rows.map((r) => r.household_id));
  const roomIds = new Set(c.rooms.map((r) => r.room_id));
  // a room used by a check-in but since removed from the service still counts
  const extra = [...new Set(c.rows.map((r) => r.room_id).filter((id) => !roomIds.has(id)))].map((id) => ({ room_id: id, name: 'Other room' }));
  return {
    id: c.service.id,
    name: c.service.name,
    startsAt: iso(c.service.starts_at),
    serviceDate: c.service.service_date,
    children: c.rows.length,
    households: households.size,
    firstTimeHouseholds: [...households].filter((h) => c.firstTime.has(h)).length,
    rooms: [...c.rooms, ...extra].map((room) => {
      const here = c.rows.filter((r) => r.room_id === room.room_id);
      return {
        roomId: room.room_id,
        name: room.name,
        children: here.length,
        firstTimeChildren: here.filter((r) => c.firstTime.has(r.household_id)).length,
        checkedOut: here.filter((r) => r.status === 'checked_out').length,
      };
    }),
  };
}

/**
 * Buckets from when check-in opened (or the first event, if earlier) to the last event, or to
 * now while check-in is still open; empty buckets included, so the axis is real time.
 */
export function presentTimeline(
  serviceId: string,
  bucketMinutes: number,
  counts: { ins: { at: Date; n: number }[]; outs: { at: Date; n: number }[] },
  window?: { opensAt: Date; closesAt: Date; now?: Date },
): Timeline {
  const step = bucketMinutes * 60_000;
  const times = [...counts.ins, ...counts.outs].map((r) => new Date(r.at).getTime());
  if (!times.length) return { serviceId, bucketMinutes, buckets: [] };
  const ins = new Map(counts.ins.map((r) => [new Date(r.at).getTime(), r.n]));
  const outs = new Map(counts.outs.map((r) => [new Date(r.at).getTime(), r.n]));
  const floor = (t: number) => Math.floor(t / step) * step;
  let start = Math.min(...times);
  let last = Math.max(...times);
  if (window) {
    start = Math.min(start, floor(new Date(window.opensAt).getTime()));
    const now = (window.now ?? new Date()).getTime();
    last = Math.max(last, floor(Math.min(now, new Date(window.closesAt).getTime() - 1)));
  }
  // a bounded axis: a check-out days later must not make a million empty buckets
  const end = Math.min(last, start + 500 * step);
  const buckets: Timeline['buckets'] = [];
  let present = 0;
  for (let t = start; t <= end; t += step) {
    const i = ins.get(t) ?? 0;
    const o = outs.get(t) ?? 0;
    present += i - o;
    buckets.push({ at: new Date(t).toISOString(), checkins: i, checkouts: o, present });
  }
  return { serviceId, bucketMinutes, buckets };
}

/** A spreadsheet cell: quoted when needed, and never read as a formula (CSV injection). */
export function csvCell(v: unknown): string {
  let s = v == null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',');
