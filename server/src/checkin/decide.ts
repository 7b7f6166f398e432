/**
 * The check-in's decision as pure functions (read → decide → write, #27): which child goes to
 * which room of which service, which rooms must be locked first, and whether a request that admits
 * nobody may be answered without the rooms' locks. No I/O: checkin.service.ts reads, calls
 * `frameCase` and `decide`, and writes what they return.
 */
import type { RefusalReason } from '../../../contracts';
import { badRequest } from '../errors';
import type { ServiceContext } from '../sites/sites.repo';
import { ageInMonths, assignRooms, gradeFromBirthdate, isEligible, roomLimit, type ChildForAssignment, type RoomState } from '../capacity/rules';
import { toState } from '../capacity/capacity.repo';
import { refusalAlerts, type StandingAlert } from '../capacity/capacity.service';
import type { ChildJson, Present, ServiceRoomJson } from './checkin.repo';

export type Placement = { serviceId: string; roomId: string; childId: string };
export type PlanRefusal = { childId: string; reason: RefusalReason; serviceId: string };
export interface Plan {
  assigned: Placement[];
  refused: PlanRefusal[];
  /** per room, the children this request puts in it who were not physically there already */
  addedTo: Map<string, Set<string>>;
}

/** Check-in window: open from checkin_opens_at until checkin_closes_at. */
export const isCheckinOpen = (s: Pick<ServiceContext, 'checkinOpensAt' | 'checkinClosesAt'>, now = new Date()) =>
  now >= s.checkinOpensAt && now < s.checkinClosesAt;

/** The request as the rules see it: its services, its children as rooms judge them, and the rooms they could use. */
export interface CheckinCase {
  /** the requested services, in start order, all of one day */
  services: ServiceContext[];
  day: string;
  /** the requested children in request order, with the age, grade and needs rooms are chosen by */
  kids: ChildForAssignment[];
  /** the services open for check-in now, in start order */
  open: ServiceContext[];
  /** the open rooms of the open services some child could use: only those are locked, so other age groups check in in parallel */
  candidates: ServiceRoomJson[];
  /** staff add a service for a child already checked in today */
  extendStay: boolean;
  /** a staff soft override lifts the volunteer ratio only: capacity still holds */
  waiveRatios: boolean;
}

/**
 * Frames the request over what was read: every service of one day, every child of the household
 * (400 naming the field otherwise), each child's age on the day and — with no grade on record — the
 * grade the birthdate implies (a school-age child goes to a grade-only room by it, DESIGN §15).
 */
export function frameCase(
  input: { childIds: string[]; extendStay?: boolean; softOverride?: unknown },
  services: ServiceContext[],
  children: ChildJson[],
  rooms: ServiceRoomJson[],
  now = new Date(),
): CheckinCase {
  const day = services[0]!.serviceDate;
  if (services.some((s) => s.serviceDate !== day)) throw badRequest('serviceIds: must all be services of the same day', 'serviceIds');
  const byId = new Map(children.map((c) => [c.id, c]));
  const stranger = input.childIds.findIndex((id) => !byId.has(id));
  if (stranger >= 0) throw badRequest(`childIds.${stranger}: is not a child of this household`, `childIds.${stranger}`);
  const kids: ChildForAssignment[] = input.childIds.map((id) => {
    const c = byId.get(id)!;
    return {
      childId: id,
      grade: c.grade,
      ageMonths: c.birthdate ? ageInMonths(c.birthdate, day) : null,
      inferredGrade: c.grade == null && c.birthdate ? gradeFromBirthdate(c.birthdate, services[0]!) : null,
      ...(c.care_needs?.length ? { careNeeds: c.care_needs } : {}),
    };
  });
  const open = services.filter((s) => isCheckinOpen(s, now));
  const openIds = new Set(open.map((s) => s.id));
  const candidates = rooms.filter((r) => openIds.has(r.service_id) && r.open && kids.some((c) => isEligible(toState(r, 0), c)));
  return { services, day, kids, open, candidates, extendStay: !!input.extendStay, waiveRatios: !!input.softOverride };
}

/** Rooms' state as a plan sees it: the service_rooms rows, the physical headcounts, where the children already are today. */
export interface RoomsRead {
  rows: ServiceRoomJson[];
  headcounts: Map<string, number>;
  present: Present[];
}
/**
 * As last committed (read with the context, without any lock), with the services' standing alerts.
 * `rows` are every room of the requested services: the plan uses the case's candidates among them,
 * the alerts a refusal calls for are judged on them all.
 */
export interface Committed extends RoomsRead {
  standing: (StandingAlert & { service_id: string })[];
}
/** As read under the rooms' locks. */
export interface Locked extends RoomsRead {
  /** the overflow rooms' locks were taken too (the second and last lock) */
  overflowLocked: boolean;
}

export type Decision =
  /** take these rooms' locks (in the global order), read their state under them, and decide again */
  | { kind: 'lock'; roomIds: string[] }
  /** who goes where, and who is refused why (closed services first, then the plan's refusals) */
  | {
      kind: 'answer';
      assigned: Placement[];
      refused: PlanRefusal[];
      addedTo: Map<string, Set<string>>;
      /** decided on the committed state alone (refusalWithoutLock): every alert its refusals call for already stands */
      withoutLock: boolean;
    };

/**
 * The check-in's decision, one step at a time (DESIGN §3, §4):
 * 1. without `locked`: plan on the last committed state; a request that admits nobody there whose
 *    alerts already stand is answered at once (refusalWithoutLock), any other locks its regular
 *    candidate rooms first;
 * 2. with the regular rooms locked: plan on their live state; a child no regular room could take
 *    asks for the overflow rooms that could (always after the regular ones, so lock order stays
 *    acyclic), unless the committed state showed such a room at its limit — refusals then do not
 *    queue behind the one overflow room all age groups share. That read can only be older than the
 *    truth (a seat freed a moment ago is missed: the child is refused as if they had come a moment
 *    earlier); nothing is ever admitted without the lock;
 * 3. with the overflow rooms locked too: plan again, and that is the answer.
 * A service not open for check-in refuses every child `service_closed`.
 */
export function decide(c: CheckinCase, committed: Committed, locked?: Locked): Decision {
  const closed: PlanRefusal[] = c.services
    .filter((s) => !c.open.includes(s))
    .flatMap((s) => c.kids.map((k) => ({ childId: k.childId, reason: 'service_closed' as const, serviceId: s.id })));
  const answer = (plan: Plan, withoutLock: boolean): Decision => ({
    kind: 'answer',
    assigned: plan.assigned,
    refused: [...closed, ...plan.refused],
    addedTo: plan.addedTo,
    withoutLock,
  });
  if (!c.open.length) return answer({ assigned: [], refused: [], addedTo: new Map() }, false);
  if (!locked) {
    const plan = planAll(c.open, c.kids, c.candidates, committed.headcounts, committed.present, c.extendStay, c.waiveRatios);
    const refusal = refusalWithoutLock(plan, c.open, c.kids, committed.rows, committed.headcounts, committed.standing);
    if (refusal) return answer(refusal, true);
    return { kind: 'lock', roomIds: [...new Set(c.candidates.filter((r) => r.kind === 'regular').map((r) => r.room_id))] };
  }
  const plan = planAll(c.open, c.kids, locked.rows, locked.headcounts, locked.present, c.extendStay, c.waiveRatios);
  if (!locked.overflowLocked) {
    const overflow = overflowToLock(c, plan, committed.headcounts);
    if (overflow.length) return { kind: 'lock', roomIds: overflow };
  }
  return answer(plan, false);
}

/** The overflow rooms a child the regular rooms refused could use, except those the committed state showed at their limit. */
function overflowToLock(c: CheckinCase, plan: Plan, committedCounts: Map<string, number>): string[] {
  const serviceOf = new Map(c.open.map((s) => [s.id, s]));
  const seenFull = (r: ServiceRoomJson) =>
    (committedCounts.get(r.room_id) ?? 0) >= roomLimit(toState(r, 0), c.waiveRatios ? false : serviceOf.get(r.service_id)!.settings);
  const wanted = (r: ServiceRoomJson) =>
    plan.refused.some(
      (x) =>
        x.serviceId === r.service_id &&
        isEligible(
          toState(r, 0),
          c.kids.find((k) => k.childId === x.childId)!,
        ),
    );
  return [...new Set(c.candidates.filter((r) => r.kind === 'overflow' && !seenFull(r) && wanted(r)).map((r) => r.room_id))];
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
