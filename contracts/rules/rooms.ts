/**
 * Which rooms are space for an age group (DESIGN §3, §14), zod-free: the server judges alerts with
 * it and the staff UI offers an alert's action ("Open overflow") with the same rule.
 */
export interface RoomRange { minAgeMonths: number | null; maxAgeMonths: number | null; minGrade: number | null; maxGrade: number | null }

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
