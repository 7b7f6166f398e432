/** The "open a new room" decision for one age group (DESIGN §3), pure. */
import { roomLimit, type RatioRules, type RoomState } from './rules';

export const PROJECTION_WINDOW_MINUTES = 10;
export const PROJECTION_HORIZON_MINUTES = 10;

export interface GroupVerdict {
  raise: boolean;
  projectedMinutes: number | null;
  reason: 'threshold' | 'rate' | null;
  openRoomIds: string[];
}

/**
 * Raise when every open room of the group is at or above the soft threshold, or when the
 * arrival rate over the last 10 minutes fills the remaining space within 10 minutes.
 */
export function judgeGroup(rooms: RoomState[], arrivalsInWindow: number, softPct: number, ratios: RatioRules): GroupVerdict {
  const open = rooms.filter((r) => r.open);
  const none: GroupVerdict = { raise: false, projectedMinutes: null, reason: null, openRoomIds: open.map((r) => r.roomId) };
  if (open.length === 0) return none;
  const limits = open.map((r) => roomLimit(r, ratios));
  const remaining = open.reduce((sum, r, i) => sum + Math.max(0, limits[i]! - r.headcount), 0);
  const ratePerMinute = arrivalsInWindow / PROJECTION_WINDOW_MINUTES;
  const projected = ratePerMinute > 0 ? Math.ceil(remaining / ratePerMinute) : null;
  const allOver = open.every((r, i) => limits[i]! === 0 || r.headcount >= Math.ceil((limits[i]! * softPct) / 100));
  if (allOver) return { ...none, raise: true, projectedMinutes: remaining === 0 ? 0 : projected, reason: 'threshold' };
  if (projected != null && projected <= PROJECTION_HORIZON_MINUTES) return { ...none, raise: true, projectedMinutes: projected, reason: 'rate' };
  return none;
}

export function openRoomMessage(group: string, v: GroupVerdict): string {
  if (v.projectedMinutes === 0) return `Open a new ${group} room — ${group} is full`;
  if (v.projectedMinutes != null) return `Open a new ${group} room — full in ~${v.projectedMinutes} min at the current rate`;
  return `Open a new ${group} room — every ${group} room is nearly full`;
}
