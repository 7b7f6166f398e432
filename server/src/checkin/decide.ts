/**
 * The check-in's decision as pure functions (read → decide → write, #27): which child goes to
 * which room of which service, and whether a request that admits nobody may be answered without
 * the rooms' locks. No I/O: checkin.service.ts reads, calls these, and writes.
 */
import type { RefusalReason } from '../../../contracts';
import type { ServiceContext } from '../sites/sites.repo';
import { assignRooms, type ChildForAssignment, type RoomState } from '../capacity/rules';
import { toState } from '../capacity/capacity.repo';
import { refusalAlerts, type StandingAlert } from '../capacity/capacity.service';
import type { Present, ServiceRoomJson } from './checkin.repo';

export type Placement = { serviceId: string; roomId: string; childId: string };
export type PlanRefusal = { childId: string; reason: RefusalReason; serviceId: string };
export interface Plan {
  assigned: Placement[];
  refused: PlanRefusal[];
  /** per room, the children this request puts in it who were not physically there already */
  addedTo: Map<string, Set<string>>;
}

/**
 * Plans every open service in start order over the rooms given (locked, or as last committed). A
 * room's headcount is its physical count plus the distinct children this request has already put
 * in it; a child already in an eligible room (an earlier service today, or this request's first
 * service) stays there at no cost.
 */
export function planAll(
  services: ServiceContext[],
  kids: ChildForAssignment[],
  rows: ServiceRoomJson[],
  headcounts: Map<string, number>,
  present: Present[],
  extendStay: boolean,
  waiveRatios = false,
): Plan {
  const assigned: Placement[] = [];
  const refused: PlanRefusal[] = [];
  const addedTo = new Map<string, Set<string>>();
  const physicallyIn = (roomId: string, childId: string) =>
    present.some((p) => p.room_id === roomId && p.child_id === childId) || !!addedTo.get(roomId)?.has(childId);
  const presentIn = new Map<string, string>();
  for (const p of present) if (!presentIn.has(p.child_id)) presentIn.set(p.child_id, p.room_id);
  for (const s of services) {
    const eligibleKids = kids.filter((c) => {
      const here = present.filter((p) => p.child_id === c.childId);
      if (here.some((p) => p.service_id === s.id) || (here.length && !extendStay)) {
        refused.push({ childId: c.childId, reason: 'already_checked_in', serviceId: s.id });
        return false;
      }
      return true;
    });
    if (!eligibleKids.length) continue;
    const rooms: RoomState[] = rows
      .filter((r) => r.service_id === s.id)
      .map((r) => toState(r, (headcounts.get(r.room_id) ?? 0) + (addedTo.get(r.room_id)?.size ?? 0)));
    // a staff soft override lifts the volunteer ratio only: capacity still holds
    const plan = assignRooms(eligibleKids, rooms, s.settings.strategy, waiveRatios ? false : s.settings, presentIn);
    for (const a of plan.assigned) {
      assigned.push({ serviceId: s.id, roomId: a.roomId, childId: a.childId });
      if (!physicallyIn(a.roomId, a.childId)) addedTo.set(a.roomId, new Set([...(addedTo.get(a.roomId) ?? []), a.childId]));
      presentIn.set(a.childId, a.roomId);
    }
    for (const r of plan.refused) refused.push({ ...r, serviceId: s.id });
  }
  return { assigned, refused, addedTo };
}

/**
 * A request that admits nobody by the last committed state — every candidate room plainly full,
 * or the children already in — is answered without taking the rooms' locks, as long as every
 * alert its refusals call for already stands (the first refusal of a condition takes the locked
 * path and raises it there, once). Returns that plan, or null: take the locks and plan again.
 *
 * The committed counts can only be older than the truth: a seat freed a moment ago is missed (the
 * child is refused as if they had come a moment earlier), and nothing is ever admitted without
 * the lock, so this never overbooks.
 */
export function refusalWithoutLock(
  plan: Plan,
  services: ServiceContext[],
  kids: ChildForAssignment[],
  rows: ServiceRoomJson[],
  headcounts: Map<string, number>,
  standing: (StandingAlert & { service_id: string })[],
): Plan | null {
  if (plan.assigned.length) return null;
  for (const s of services) {
    const refused = plan.refused.filter((r) => r.serviceId === s.id);
    if (!refused.length) continue;
    const rooms = rows.filter((r) => r.service_id === s.id).map((r) => toState(r, headcounts.get(r.room_id) ?? 0));
    const standingHere = standing.filter((a) => a.service_id === s.id);
    if (refusalAlerts(s, refused, kids, rooms, standingHere).length) return null;
  }
  return plan;
}
