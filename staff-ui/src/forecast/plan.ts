/**
 * The forecast (DESIGN §17) as staff read it: the plan of a service in one line ("Sunday 9:00:
 * Toddlers B at 9:42, Overflow unlikely") and the scales of the timeline. Pure: the campus's time
 * zone is passed in, so the same instants read the same on every screen.
 */
import type { ServiceForecast } from '../../../contracts';

/** "9:42" (the campus's wall clock, 12-hour without the am/pm a Sunday plan never needs twice) */
export function clockIn(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit', hour12: true }).format(new Date(iso)).replace(/\s?[AP]M$/i, '');
}
/** "Sunday" — the campus's weekday of an instant */
export const weekdayIn = (iso: string, tz: string) => new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'long' }).format(new Date(iso));

/**
 * The plan of one service: each further room to open, in the order it is needed, at its open-by
 * time, or "unlikely" when only the band's high edge reaches it. No history: said plainly, no
 * invented numbers.
 */
export function planSentence(forecast: ServiceForecast | null | undefined, service: { startsAt: string }, tz: string): string {
  const head = `${weekdayIn(service.startsAt, tz)} ${clockIn(service.startsAt, tz)}`;
  if (!forecast || forecast.basis.services === 0) return `${head}: no forecast yet — no past services to learn from`;
  const rooms = forecast.groups
    .flatMap((g) => g.openBy)
    .sort((a, b) => (a.expectedFullAt ? 0 : 1) - (b.expectedFullAt ? 0 : 1) || a.at.localeCompare(b.at))
    .map((o) => (o.expectedFullAt ? `${o.roomName} at ${clockIn(o.at, tz)}` : `${o.roomName} unlikely`));
  if (!rooms.length) return `${head}: the open rooms should hold everyone`;
  return `${head}: ${rooms.join(', ')}`;
}

/** A linear map of [d0, d1] onto [r0, r1] (a zero-width domain maps to r0). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** A round top for a count axis (≥ the value, 1, 2 or 5 × 10ⁿ steps of which four or five fit), and its ticks. */
export function niceCountAxis(max: number): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 5, ticks: [0, 5] };
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { top, ticks };
}

/** Time ticks every `minutes` between two instants (on the wall clock's round minutes). */
export function timeTicks(fromIso: string, toIso: string, minutes = 15): string[] {
  const step = minutes * 60_000;
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  const out: string[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(new Date(t).toISOString());
  return out;
}

/** An SVG path through points (x, y); undefined points break the line. */
export function linePath(points: ({ x: number; y: number } | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    pen = true;
  }
  return d;
}
