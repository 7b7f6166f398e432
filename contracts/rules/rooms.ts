/**
 * The room rules of DESIGN §3 that the server and the UIs both need, zod-free (CONVENTIONS
 * habit 13): a room's limit and status, a child's age in months on a date, eligibility by age or
 * grade. The server's assignment (server/src/capacity/rules.ts) builds on these; nothing copies them.
 */
export type RoomStatusName = 'open' | 'nearly_full' | 'full' | 'over_ratio' | 'closed';

export interface RoomLimits {
  capacity: number;
  volunteers: number;
  ratio: number | null;
  ratioOverride: boolean;
}
export interface RoomRanges {
  minAgeMonths: number | null;
  maxAgeMonths: number | null;
  minGrade: number | null;
  maxGrade: number | null;
}
export interface ChildAge {
  ageMonths: number | null;
  grade: number | null;
}

/** limit = min(capacity, volunteers × ratio) when the room has a ratio and the site enforces ratios. */
export function roomLimit(r: RoomLimits, enforceRatios: boolean): number {
  if (enforceRatios && r.ratio != null && !r.ratioOverride) return Math.min(r.capacity, r.volunteers * r.ratio);
  return r.capacity;
}

/** The volunteers `headcount` children need at a ratio of one adult per `ratio` children (0 without a ratio). */
export function volunteersNeeded(headcount: number, ratio: number | null): number {
  return ratio != null && ratio > 0 ? Math.ceil(headcount / ratio) : 0;
}

/** More children in the room than its volunteers may look after (the ratio is in force): not "full", a different problem. */
export function isOverRatio(r: RoomLimits & { headcount: number }, enforceRatios: boolean): boolean {
  return enforceRatios && r.ratio != null && !r.ratioOverride && r.headcount > r.volunteers * r.ratio;
}

/**
 * A room's status. Given the room's limits (capacity, volunteers, ratio), a room whose headcount
 * is over volunteers × ratio but within capacity is `over_ratio`, distinct from an exactly full room.
 */
export function roomStatus(r: { open: boolean; headcount: number; capacity?: number }, limit: number, softThresholdPct: number): RoomStatusName {
  if (!r.open) return 'closed';
  if (r.headcount > limit && r.capacity != null && limit < r.capacity && r.headcount <= r.capacity) return 'over_ratio';
  if (r.headcount >= limit) return 'full';
  if (r.headcount >= Math.ceil((limit * softThresholdPct) / 100)) return 'nearly_full';
  return 'open';
}

const hasGradeRange = (r: RoomRanges) => r.minGrade != null || r.maxGrade != null;
const hasAgeRange = (r: RoomRanges) => r.minAgeMonths != null || r.maxAgeMonths != null;
const within = (v: number, min: number | null, max: number | null) => (min == null || v >= min) && (max == null || v <= max);

/**
 * A child with a grade goes by grade (to rooms with a grade range); a child without one goes by
 * age. A room with neither range (a general overflow room) takes anyone.
 */
export function isEligible<C extends ChildAge>(room: RoomRanges, child: C): boolean {
  if (!hasGradeRange(room) && !hasAgeRange(room)) return true;
  if (child.grade != null) return hasGradeRange(room) && within(child.grade, room.minGrade, room.maxGrade);
  if (child.ageMonths != null) return hasAgeRange(room) && within(child.ageMonths, room.minAgeMonths, room.maxAgeMonths);
  return false;
}

/** Which rooms are space for an age group (DESIGN §3, §14): the server judges alerts with it, the staff UI offers an alert's action with it. */
export type RoomRange = RoomRanges;

const hasGrades = (r: RoomRange) => r.minGrade != null || r.maxGrade != null;
const hasAges = (r: RoomRange) => r.minAgeMonths != null || r.maxAgeMonths != null;
const overlaps = (aMin: number | null, aMax: number | null, bMin: number | null, bMax: number | null) =>
  (aMin == null || bMax == null || aMin <= bMax) && (bMin == null || aMax == null || bMin <= aMax);

/**
 * An overflow room takes the children of a regular room when their age or grade ranges meet (or
 * the overflow room has no range at all): it is space for that room's age group.
 */
export function overflowServes(overflow: RoomRange, regular: RoomRange): boolean {
  if (!hasGrades(overflow) && !hasAges(overflow)) return true;
  if (hasGrades(regular) && hasGrades(overflow) && overlaps(overflow.minGrade, overflow.maxGrade, regular.minGrade, regular.maxGrade)) return true;
  return hasAges(regular) && hasAges(overflow) && overlaps(overflow.minAgeMonths, overflow.maxAgeMonths, regular.minAgeMonths, regular.maxAgeMonths);
}
