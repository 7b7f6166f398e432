/** How ages, grades and times read on screen. Times are shown in the site's timezone. */
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
export function dateIn(iso: string, tz?: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}
export const ago = (iso: string) => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
};

/** Offset (ms) of a timezone from UTC at an instant. */
function offsetAt(utcMs: number, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - utcMs;
}
/** A wall-clock time typed for the site ("2026-12-06T09:30") as an instant. */
export function zonedToIso(local: string, tz: string): string {
  const [d, t] = local.split('T');
  const [y, mo, da] = d!.split('-').map(Number);
  const [h, mi] = (t ?? '00:00').split(':').map(Number);
  const guess = Date.UTC(y!, mo! - 1, da, h, mi);
  let utc = guess - offsetAt(guess, tz);
  utc = guess - offsetAt(utc, tz);
  return new Date(utc).toISOString();
}
/** An instant as the site's wall clock, for a datetime-local input. */
export function isoToZoned(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + offsetAt(ms, tz)).toISOString().slice(0, 16);
}
