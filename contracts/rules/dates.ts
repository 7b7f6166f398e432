/**
 * Birthdates, zod-free: a real calendar date between 25 years ago and today, "today" being the
 * site's date (its timezone), so a birthdate typed at 23:30 in Chicago is not "in the future".
 */
export const MAX_CHILD_AGE_YEARS = 25;

/** YYYY-MM-DD of `at` in `timezone`. */
export function isoDateIn(timezone: string, at: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** A YYYY-MM-DD that names a real day (no 2023-02-30, no year 0000). */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  if (Number(s.slice(0, 4)) < 1) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `years` before `today` (Feb 29 → Feb 28 in a common year). */
export function yearsBefore(today: string, years: number): string {
  const y = Number(today.slice(0, 4)) - years;
  const md = today.slice(5);
  const candidate = `${String(y).padStart(4, '0')}-${md}`;
  return isRealDate(candidate) ? candidate : `${String(y).padStart(4, '0')}-02-28`;
}

/** Why a birthdate is refused (relative to the site's `today`), or null. */
export function birthdateProblem(s: string, today: string): string | null {
  if (!isRealDate(s)) return 'must be a real calendar date YYYY-MM-DD';
  if (s > today) return 'must not be in the future';
  if (s < yearsBefore(today, MAX_CHILD_AGE_YEARS)) return `must be within the last ${MAX_CHILD_AGE_YEARS} years`;
  return null;
}
