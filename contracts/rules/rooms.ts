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
  /** no grade on record: the grade the birthdate implies (impliedGrade), for rooms that place by grade only */
  inferredGrade?: number | null;
}

/** DESIGN §15: how a campus holds its rooms to their volunteer ratios. */
export type RatioEnforcement = 'off' | 'warn' | 'enforce';
/**
 * What a campus's settings say about ratios (SiteSettings fits as it is). A boolean is the old
 * `enforceRatios` (true: enforce without the two-adult rule; false: off), kept for pure tests.
 */
export type RatioRules = { ratioEnforcement: RatioEnforcement; twoAdultRule?: boolean | null } | boolean;

/** The mode in force, and whether the two-adult rule is (unset: on exactly where ratios are enforced). */
export function ratioPolicy(p: RatioRules): { mode: RatioEnforcement; twoAdults: boolean } {
  if (typeof p === 'boolean') return { mode: p ? 'enforce' : 'off', twoAdults: false };
  return { mode: p.ratioEnforcement, twoAdults: p.twoAdultRule ?? p.ratioEnforcement === 'enforce' };
}

/** Adults a room needs in it before it admits anyone under the two-adult rule. */
export const TWO_ADULTS = 2;

/**
 * The room's limit: its capacity, or — ratios enforced and not overridden by staff —
 * min(capacity, volunteers present × ratio), and 0 while fewer than two adults are in it under
 * the two-adult rule. `volunteers` is who is present (checked in, as staff corrected it).
 */
export function roomLimit(r: RoomLimits, rules: RatioRules): number {
  const { mode, twoAdults } = ratioPolicy(rules);
  if (mode !== 'enforce' || r.ratioOverride) return r.capacity;
  if (twoAdults && r.volunteers < TWO_ADULTS) return 0;
  return r.ratio != null ? Math.min(r.capacity, r.volunteers * r.ratio) : r.capacity;
}

/** The volunteers `headcount` children need at a ratio of one adult per `ratio` children (0 without a ratio). */
export function volunteersNeeded(headcount: number, ratio: number | null): number {
  return ratio != null && ratio > 0 ? Math.ceil(headcount / ratio) : 0;
}

/** The adults a room needs in it for `headcount` children under these rules (the ratio, and two under the two-adult rule). */
export function adultsNeeded(headcount: number, r: Pick<RoomLimits, 'ratio'>, rules: RatioRules): number {
  const need = volunteersNeeded(headcount, r.ratio);
  return ratioPolicy(rules).twoAdults ? Math.max(need, TWO_ADULTS) : need;
}

/**
 * More children in the room than its adults may look after (shown from `warn` on, never `off`):
 * headcount > volunteers × ratio, or children with fewer than two adults under the two-adult rule.
 * Not "full": a different problem.
 */
export function isOverRatio(r: RoomLimits & { headcount: number }, rules: RatioRules): boolean {
  const { mode, twoAdults } = ratioPolicy(rules);
  if (mode === 'off' || r.ratioOverride || r.headcount === 0) return false;
  return (r.ratio != null && r.headcount > r.volunteers * r.ratio) || (twoAdults && r.volunteers < TWO_ADULTS);
}

/** The room would take more children by its capacity, but not by the adults in it: it waits for volunteers. */
export function waitsForVolunteers(r: RoomLimits & { headcount: number; open?: boolean }, rules: RatioRules): boolean {
  return r.open !== false && r.headcount < r.capacity && r.headcount >= roomLimit(r, rules);
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
 * age — and, to a room that places by grade only, by the grade their birthdate implies (DESIGN
 * §15). A room with neither range (a general overflow room) takes anyone.
 */
export function isEligible<C extends ChildAge>(room: RoomRanges, child: C): boolean {
  if (!hasGradeRange(room) && !hasAgeRange(room)) return true;
  if (child.grade != null) return hasGradeRange(room) && within(child.grade, room.minGrade, room.maxGrade);
  if (child.ageMonths != null && hasAgeRange(room)) return within(child.ageMonths, room.minAgeMonths, room.maxAgeMonths);
  if (child.inferredGrade != null && hasGradeRange(room)) return within(child.inferredGrade, room.minGrade, room.maxGrade);
  return false;
}

/**
 * The school grade a birthdate implies on a date (0 kindergarten … 12): a child who is five by the
 * school cut-off day (`schoolCutoff`, MM-DD, default September 1) of the year a school year starts
 * is in kindergarten that year. School years start on the campus's promotion day (MM-DD). null
 * before kindergarten or past the last grade: that child is not placed by grade.
 */
export function impliedGrade(birthdate: string, onDate: string, schoolCutoff = '09-01', promotion = '08-01'): number | null {
  const by = Number(birthdate.slice(0, 4));
  const schoolYear = Number(onDate.slice(0, 4)) - (onDate.slice(5, 10) >= promotion ? 0 : 1);
  const kindergartenYear = by + 5 + (birthdate.slice(5, 10) > schoolCutoff ? 1 : 0);
  const grade = schoolYear - kindergartenYear;
  return grade >= 0 && grade <= 12 ? grade : null;
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
