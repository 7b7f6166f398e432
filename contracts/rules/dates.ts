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

/** The calendar date of an instant in a timezone, as YYYY-MM-DD. */
export function dateInTimezone(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * An instant as the campus's wall-clock time, "YYYY-MM-DD HH:MM:SS" (24 h, no offset): what a
 * spreadsheet opened at the campus should show. Falls back to UTC when the zone is unknown.
 */
export function localDateTime(at: Date | string, timezone: string): string {
  const d = new Date(at);
  const fmt = (timeZone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .reduce<Record<string, string>>((a, p) => ({ ...a, [p.type]: p.value }), {});
  let p: Record<string, string>;
  try {
    p = fmt(timezone);
  } catch {
    p = fmt('UTC');
  }
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
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

/** Minutes a timezone is ahead of UTC at an instant (America/Chicago in July: -300). */
function offsetMinutes(at: Date, timezone: string): number {
  const p = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (t: string) => Number(p.find((x) => x.type === t)!.value);
  return Math.round((Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at.getTime()) / 60_000);
}

/**
 * The instant a wall clock in `timezone` shows `time` (HH:MM) on `date` (YYYY-MM-DD), across DST:
 * 09:00 on a March Sunday in Chicago is 15:00 UTC before the change and 14:00 UTC after it. A time
 * the clocks skip (02:30 on the spring-forward night) is taken as the same time after the jump.
 */
export function instantAt(date: string, time: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let at = new Date(wall - offsetMinutes(new Date(wall), timezone) * 60_000);
  // the offset at the guess may differ from the offset at the answer (the guess crossed the change)
  const second = offsetMinutes(at, timezone);
  at = new Date(wall - second * 60_000);
  if (offsetMinutes(at, timezone) !== second) at = new Date(wall - offsetMinutes(at, timezone) * 60_000);
  return at;
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
