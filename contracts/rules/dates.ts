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

/** An instant (Date, or a string the database gave) as ISO 8601; null stays null. */
export function iso(d: Date | string): string;
export function iso(d: Date | string | null | undefined): string | null;
export function iso(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}
