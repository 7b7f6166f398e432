/** Calendar rules shared by the server and the UIs, zod-free: dates are the site's, not UTC's. */

/** Whole months from birthdate to a date (both calendar dates, YYYY-MM-DD, in the site's timezone). */
export function ageInMonths(birthdate: string, onDate: string): number {
  const [by, bm, bd] = birthdate.split('-').map(Number) as [number, number, number];
  const [sy, sm, sd] = onDate.split('-').map(Number) as [number, number, number];
  let months = (sy - by) * 12 + (sm - bm);
  if (sd < bd) {
    // born on the 31st: the month "anniversary" in a shorter month is its last day
    const lastDayOfMonth = new Date(Date.UTC(sy, sm, 0)).getUTCDate();
    if (!(sd === lastDayOfMonth && bd > lastDayOfMonth)) months -= 1;
  }
  return months;
}

/*
 * Time zones: the one conversion between an instant and a campus's wall clock, used by the server
 * and both UIs (issue 26: a copy in the staff UI disagreed with the server's on some DST nights).
 * Only Intl with an explicit timeZone and Date.UTC are used, never the process's own zone, so a
 * server whose machine runs in Pacific/Kiritimati computes what a UTC one does.
 *
 * Daylight-saving rules (the same as Temporal's default, 'compatible'):
 * - a wall time the clocks skip (02:30 on a spring-forward night in Chicago) is read with the
 *   offset in force before the jump, so it lands after it by the gap: 02:30 → 03:30 CDT;
 * - a wall time that happens twice (01:30 on a fall-back night) is the first, earlier instant
 *   (01:30 CDT, not 01:30 CST) — for zones east of UTC as well as west.
 */
const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallFormat(timezone: string): Intl.DateTimeFormat {
  let f = wallFormats.get(timezone);
  if (!f) {
    // throws RangeError for a zone Intl does not know
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormats.set(timezone, f);
  }
  return f;
}
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}
function wallParts(ms: number, timezone: string): Wall {
  const w: Record<string, number> = {};
  for (const p of wallFormat(timezone).formatToParts(new Date(ms))) if (p.type !== 'literal') w[p.type] = Number(p.value);
  // some engines still write midnight as 24 with hourCycle h23
  return { year: w.year!, month: w.month!, day: w.day!, hour: w.hour! % 24, minute: w.minute!, second: w.second! };
}
const pad = (n: number, l = 2) => String(n).padStart(l, '0');

/** Milliseconds a timezone's wall clock is ahead of UTC at an instant (America/Chicago in July: -5 h). */
export function zoneOffsetMs(at: Date | number, timezone: string): number {
  const ms = Math.floor(Number(at) / 1000) * 1000; // Intl shows whole seconds
  const w = wallParts(ms, timezone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - ms;
}

/** An instant as the wall clock in `timezone` shows it, "YYYY-MM-DDTHH:MM:SS" (no offset). */
export function wallTimeIn(at: Date | string | number, timezone: string): string {
  const w = wallParts(new Date(at).getTime(), timezone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The calendar date of an instant in a timezone, as YYYY-MM-DD. */
export function dateInTimezone(at: Date, timezone: string): string {
  return wallTimeIn(at, timezone).slice(0, 10);
}

/**
 * An instant as the campus's wall-clock time, "YYYY-MM-DD HH:MM:SS" (24 h, no offset): what a
 * spreadsheet opened at the campus should show. Falls back to UTC when the zone is unknown.
 */
export function localDateTime(at: Date | string, timezone: string): string {
  let wall: string;
  try {
    wall = wallTimeIn(at, timezone);
  } catch {
    wall = wallTimeIn(at, 'UTC');
  }
  return wall.replace('T', ' ');
}

/** An instant (Date, or a string the database gave) as ISO 8601; null stays null. */
export function iso(d: Date | string): string;
export function iso(d: Date | string | null | undefined): string | null;
export function iso(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}

/*
 * Birthdates: a real calendar date between 25 years ago and today, "today" being the site's
 * date (its timezone), so a birthdate typed at 23:30 in Chicago is not "in the future".
 */
export const MAX_CHILD_AGE_YEARS = 25;

/** YYYY-MM-DD of `at` in `timezone` (UTC when the zone is unknown). */
export function isoDateIn(timezone: string, at: Date = new Date()): string {
  try {
    return dateInTimezone(at, timezone);
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

/**
 * The instant a wall clock in `timezone` shows `time` (HH:MM or HH:MM:SS) on `date` (YYYY-MM-DD),
 * across DST: 09:00 on a March Sunday in Chicago is 15:00 UTC before the change and 14:00 UTC after
 * it. A skipped time moves forward by the gap, a repeated one is the earlier instant (see above).
 */
export function instantAt(date: string, time: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss = 0] = time.split(':').map(Number) as [number, number, number?];
  const wall = Date.UTC(y, m - 1, d, hh, mm, ss);
  // the offsets in force a day either side: a change (and at most one) lies between them
  const before = zoneOffsetMs(wall - 86_400_000, timezone);
  const after = zoneOffsetMs(wall + 86_400_000, timezone);
  const fits = [before, after].filter((o) => zoneOffsetMs(wall - o, timezone) === o).map((o) => wall - o);
  // both fit: the time happens twice, take the first; none fits: it was skipped, read it with the offset before
  return new Date(fits.length ? Math.min(...fits) : wall - before);
}

/** A wall time typed for the campus ("2026-12-06T09:30", as a datetime-local input gives it) as an instant. */
export function instantOfWallTime(local: string, timezone: string): Date {
  const [date, time] = local.split('T') as [string, string?];
  return instantAt(date, time || '00:00', timezone);
}

/** The day `days` after a YYYY-MM-DD (negative: before). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Day of the week of a YYYY-MM-DD: 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The school year a date falls in, named by the calendar year it starts in: with promotion on
 * 08-01, 2026-07-31 is in 2025 and 2026-08-01 in 2026.
 */
export function schoolYearOf(date: string, promotion = '08-01'): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= promotion ? year : year - 1;
}
