/**
 * Pre-check-in rules (DESIGN §12), zod-free: which services a parent may choose on the phone, how
 * long a link lives, and when a campus's weekly "pre-check-in" SMS is due. Capacity is never
 * decided here: the kiosk scan decides it.
 */
import { addDays, dateInTimezone, instantAt, weekdayOf } from './dates';

/** Services starting within this many days (whose check-in window has not closed) may be chosen. */
export const PRECHECKIN_DAYS_AHEAD = 7;
/** A link lives a week: long enough for Saturday's text to serve Sunday and the week after it. */
export const PRECHECKIN_LINK_TTL_MS = 7 * 24 * 3600_000;
/** Families who checked in at the campus in the last this many weeks get the weekly text. */
export const PRECHECKIN_SMS_RECENT_WEEKS = 8;
/** A send the server missed (it was down) is still made this long after its time, never later. */
export const PRECHECKIN_SMS_LATE_MS = 24 * 3600_000;

export interface PrecheckinSmsSetting {
  /** 0 = Sunday … 6 = Saturday, on the campus's calendar */
  weekday: number;
  /** HH:MM, campus time */
  time: string;
}

/** May a parent pre-check in for this service now? Its window has not closed and it starts within the week. */
export function isPrecheckinEligible(s: { startsAt: Date | string; checkinClosesAt: Date | string }, now = new Date()): boolean {
  const closes = new Date(s.checkinClosesAt).getTime();
  const starts = new Date(s.startsAt).getTime();
  return closes > now.getTime() && starts <= now.getTime() + PRECHECKIN_DAYS_AHEAD * 24 * 3600_000;
}

/**
 * The weekly send due now, if any: the latest (weekday, time) moment at or before `now` in the
 * campus's timezone, as its local date (the "service-week" key) and instant — or null when that
 * moment is more than PRECHECKIN_SMS_LATE_MS ago.
 */
export function precheckinSmsDue(setting: PrecheckinSmsSetting | null | undefined, timezone: string, now = new Date()): { sendDate: string; at: Date } | null {
  if (!setting) return null;
  const today = dateInTimezone(now, timezone);
  for (let back = 0; back <= 7; back++) {
    const date = addDays(today, -back);
    if (weekdayOf(date) !== setting.weekday) continue;
    const at = instantAt(date, setting.time, timezone);
    if (at.getTime() > now.getTime()) continue;
    return now.getTime() - at.getTime() <= PRECHECKIN_SMS_LATE_MS ? { sendDate: date, at } : null;
  }
  return null;
}
