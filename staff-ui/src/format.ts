/**
 * How ages, grades and times read on screen. Times are shown in the site's timezone; converting a
 * typed wall time to an instant and back is contracts/rules (instantOfWallTime, wallTimeIn).
 */
import { dateInTimezone } from '../../contracts/rules';

export function ageLabel(ageMonths: number | null | undefined, grade: number | null | undefined): string {
  if (grade != null) return grade === -1 ? 'Pre-K' : grade === 0 ? 'Kindergarten' : `Grade ${grade}`;
  if (ageMonths == null) return '';
  if (ageMonths < 24) return `${ageMonths} mo`;
  const y = Math.floor(ageMonths / 12);
  const m = ageMonths % 12;
  return m ? `${y} y ${m} mo` : `${y} y`;
}

export const gradeName = (g: number) => (g === -1 ? 'Pre-K' : g === 0 ? 'K' : String(g));

export function timeIn(iso: string, tz?: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}
export function dateTimeIn(iso: string, tz?: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(
    new Date(iso),
  );
}
/** The site's calendar date of an instant (the browser's own zone only when the site's is not known yet). */
export function dateIn(iso: string, tz?: string): string {
  return dateInTimezone(new Date(iso), tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
}
export const ago = (iso: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
};
