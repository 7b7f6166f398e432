/**
 * The room-capacity rules of DESIGN §3 as pure functions: no I/O, so they are unit-tested
 * exhaustively and the check-in transaction only feeds them locked rows.
 */
import type { RefusalReason } from '../../../contracts';
import { impliedGrade, isEligible, roomLimit, type RatioRules } from '../../../contracts/rules';

export type Strategy = 'fill_in_order' | 'balance';

export interface RoomState {
  roomId: string;
  name: string;
  kind: 'regular' | 'overflow';
  sortOrder: number;
  ageGroup: string;
  open: boolean;
  capacity: number;
  volunteers: number;
  ratio: number | null;
  ratioOverride: boolean;
  headcount: number;
  /** the state's version (room_state_versions), when it was read with it */
  version?: number;
  minAgeMonths: number | null;
  maxAgeMonths: number | null;
  minGrade: number | null;
  maxGrade: number | null;
  /** the care needs the room can meet (DESIGN §16) */
  careNeeds?: string[];
}
export interface ChildForAssignment {
  childId: string;
  ageMonths: number | null;
  grade: number | null;
  /** no grade on record: the grade the birthdate implies (rooms that place by grade only) */
  inferredGrade?: number | null;
  /** the child's care needs: a room that can meet them is preferred */
  careNeeds?: string[];
}

export { ageInMonths, dateInTimezone, impliedGrade, isEligible, roomLimit, roomStatus, type RatioRules } from '../../../contracts/rules';
import { roomMeetsNeeds } from '../../../contracts/rules/care';

/** An overflow room is space for a regular room's group when their ranges meet (the one copy lives in contracts/rules). */
export { overflowServes } from '../../../contracts/rules/rooms';

/**
 * The grade a child's birthdate implies on a day (a service's) under the campus's settings: the
 * organisation's school cut-off and the promotion day a school year starts on (DESIGN §15).
 */
export function gradeFromBirthdate(
  birthdate: string | Date,
  on: { serviceDate: string; settings: { schoolCutoff: string; gradePromotionDate: string } },
): number | null {
  const day = birthdate instanceof Date ? birthdate.toISOString().slice(0, 10) : String(birthdate).slice(0, 10);
  return impliedGrade(day, on.serviceDate, on.settings.schoolCutoff, on.settings.gradePromotionDate);
}

export interface Assignment {
  assigned: { childId: string; roomId: string }[];
  refused: { childId: string; reason: RefusalReason }[];
}

/**
 * Places children in rooms: siblings together where one regular room fits them all, otherwise
 * each child in the best room with space (preferring a sibling's room), regular rooms before
 * overflow rooms, ordered by sort order (`fill_in_order`) or by lowest fill (`balance`).
 * A child with care needs (DESIGN §16) goes to a room able to meet them where one of its kind
 * (regular before overflow) has space — before a sibling's room; siblings are kept together in
 * a room only when it meets every need it could. Without care needs nothing changes.
 */
export function assignRooms(
  children: ChildForAssignment[],
  rooms: RoomState[],
  strategy: Strategy,
  ratios: RatioRules,
  presentIn?: Map<string, string>,
): Assignment {
  // A child already sitting in an eligible open room (an earlier service today, or the first
  // service of this request) stays there: they are in its physical headcount already.
  const stay: Assignment['assigned'] = [];
  const rest = children.filter((c) => {
    const roomId = presentIn?.get(c.childId);
    const room = roomId ? rooms.find((r) => r.roomId === roomId && r.open && isEligible(r, c)) : undefined;
    if (room) stay.push({ childId: c.childId, roomId: room.roomId });
    return !room;
  });
  const placed = assignFresh(rest, rooms, strategy, ratios, new Set(stay.map((s) => s.roomId)));
  return { assigned: [...stay, ...placed.assigned], refused: placed.refused };
}

function assignFresh(children: ChildForAssignment[], rooms: RoomState[], strategy: Strategy, ratios: RatioRules, siblingRoomIds: Set<string>): Assignment {
  const taken = new Map<string, number>();
  const limits = new Map(rooms.map((r) => [r.roomId, roomLimit(r, ratios)]));
  const free = (r: RoomState) => (limits.get(r.roomId) ?? 0) - r.headcount - (taken.get(r.roomId) ?? 0);
  const fill = (r: RoomState) => {
    const lim = limits.get(r.roomId) ?? 0;
    return lim === 0 ? Infinity : (r.headcount + (taken.get(r.roomId) ?? 0)) / lim;
  };
  const order = (a: RoomState, b: RoomState) => {
    if (a.kind !== b.kind) return a.kind === 'regular' ? -1 : 1;
    if (strategy === 'balance') {
      const d = fill(a) - fill(b);
      if (d !== 0) return d;
    }
    return a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.roomId.localeCompare(b.roomId);
  };
  const open = rooms.filter((r) => r.open);
  const eligible = new Map(children.map((c) => [c.childId, open.filter((r) => isEligible(r, c))]));
  const result: Assignment = { assigned: [], refused: [] };
  const place = (childId: string, r: RoomState) => {
    taken.set(r.roomId, (taken.get(r.roomId) ?? 0) + 1);
    result.assigned.push({ childId, roomId: r.roomId });
  };

  const meets = (r: RoomState, c: ChildForAssignment) => roomMeetsNeeds(r.careNeeds, c.careNeeds);
  // a child whose needs some eligible room with space can meet
  const needMet = (c: ChildForAssignment) => !c.careNeeds?.length || eligible.get(c.childId)!.some((r) => free(r) > 0 && meets(r, c));
  if (children.length > 1 && siblingRoomIds.size === 0) {
    const shared = open.filter((r) => r.kind === 'regular' && children.every((c) => eligible.get(c.childId)!.includes(r)) && free(r) >= children.length);
    const unmet = (r: RoomState) => children.filter((c) => !meets(r, c)).length;
    const best = shared.sort((a, b) => unmet(a) - unmet(b) || order(a, b))[0];
    // together, unless that room fails a need another room could meet
    if (best && children.every((c) => meets(best, c) || !needMet(c))) {
      for (const c of children) place(c.childId, best);
      return result;
    }
  }
  const siblingRooms = new Set<string>(siblingRoomIds);
  for (const c of children) {
    const options = eligible.get(c.childId)!;
    if (options.length === 0) {
      result.refused.push({ childId: c.childId, reason: 'no_room_for_age' });
      continue;
    }
    const withSpace = options
      .filter((r) => free(r) > 0)
      .sort((a, b) => {
        if (a.kind !== b.kind) return a.kind === 'regular' ? -1 : 1;
        const ma = meets(a, c) ? 0 : 1;
        const mb = meets(b, c) ? 0 : 1;
        if (ma !== mb) return ma - mb;
        const sa = siblingRooms.has(a.roomId) ? 0 : 1;
        const sb = siblingRooms.has(b.roomId) ? 0 : 1;
        return sa - sb || order(a, b);
      });
    const chosen = withSpace[0];
    if (!chosen) {
      // seats by capacity, but not the adults to open them: the child waits for volunteers (DESIGN §15)
      const seats = options.some((r) => r.capacity - r.headcount - (taken.get(r.roomId) ?? 0) > 0);
      result.refused.push({ childId: c.childId, reason: seats ? 'waiting_for_volunteers' : 'room_full' });
      continue;
    }
    place(c.childId, chosen);
    siblingRooms.add(chosen.roomId);
  }
  return result;
}
