/**
 * The forecast itself (DESIGN §17), pure: no I/O, no clock — every input is passed in, so it is
 * unit-tested on synthetic histories and the backtest runs it thousands of times.
 *
 * Method (docs/FORECAST.md says why):
 *  - each past occurrence gives a total and a cumulative arrival curve by minute relative to the
 *    start; a holiday outlier (total far from the median, by a MAD test) is left out of the level
 *    and the shape;
 *  - the level is the Hodges–Lehmann estimate (median of the pairwise means) of the totals, each
 *    moved to today by a robust weekly trend: the Theil–Sen slope, used only when the Mann–Kendall
 *    test finds a trend at the 5 % level (from 4 occurrences on), capped at ±2.5 % of the level a
 *    week — an untested slope on 8 noisy Sundays chased the noise (docs/FORECAST.md);
 *  - the shape is the mean of the occurrences' normalised curves; the band at each minute is the
 *    10th–90th percentile of the trended occurrences' curves (never narrower than the level's
 *    own spread);
 *  - once check-in is open, today's arrivals so far are blended in: the total today's pace implies
 *    (arrived / share of the curve that is behind us) weighs as much as that share.
 *  - rooms and adults: planned against the busiest of the recent (trended) Sundays, at least the
 *    band's high edge (`plan`): a further room in fill order must be open when that curve reaches
 *    the seats of the rooms before it; the expected curve's crossing is reported too (when the
 *    room is likely needed).
 */
import { adultsNeeded, type RatioRules } from '../../../contracts/rules';

/** One past occurrence of the slot for one age group: arrival times in minutes from its start. */
export interface Occurrence {
  /** its date (YYYY-MM-DD): the trend runs over weeks */
  date: string;
  minutes: number[];
}

export interface PlanRoom {
  roomId: string;
  name: string;
  kind: 'regular' | 'overflow';
  sortOrder: number;
  open: boolean;
  capacity: number;
  ratio: number | null;
  /** volunteers checked in now */
  volunteers: number;
}

export interface CurveInput {
  history: Occurrence[];
  /** the date being forecast (YYYY-MM-DD) */
  date: string;
  /** the check-in window relative to the start, in minutes (open is ≤ 0) */
  fromMinute: number;
  toMinute: number;
  /** today's arrivals so far (minutes from the start) and the minute it is now, when check-in is open */
  today?: { minutes: number[]; now: number };
}

export interface Curve {
  /** minutes from the start: fromMinute … toMinute, one per minute */
  from: number;
  expected: number[];
  low: number[];
  high: number[];
  /**
   * what rooms and adults are planned against: the busiest of the recent occurrences (trended),
   * never below the band's high edge — the backtest found the 90th percentile of 8 Sundays late
   * about 1 time in 8 (docs/FORECAST.md)
   */
  plan: number[];
  total: { expected: number; low: number; high: number };
  basis: { occurrences: number; outliers: string[] };
}

export const MIN_TREND_OCCURRENCES = 4;
const MAX_TREND_SHARE = 0.025;
/** the Mann–Kendall |Z| a trend must reach to be used: the two-sided 5 % level */
export const TREND_Z = 1.96;
const LOW_Q = 0.1;
const HIGH_Q = 0.9;

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Linear-interpolated quantile (type 7). */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const weeksBetween = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (7 * 86_400_000);

/**
 * A holiday (Easter, a snow day) is an outlier: its total is more than 3 scaled MADs and more than
 * 25 % away from the median. Needs 4 occurrences to judge; below that nothing is left out.
 */
export function outliers(totals: number[]): boolean[] {
  if (totals.length < 4) return totals.map(() => false);
  const m = median(totals);
  const mad = median(totals.map((t) => Math.abs(t - m))) * 1.4826;
  return totals.map((t) => Math.abs(t - m) > Math.max(3 * mad, 0.25 * m, 2));
}

/** Theil–Sen slope of totals per week (median of pairwise slopes). */
export function theilSen(points: { x: number; y: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) if (points[j]!.x !== points[i]!.x) slopes.push((points[j]!.y - points[i]!.y) / (points[j]!.x - points[i]!.x));
  return slopes.length ? median(slopes) : 0;
}

/**
 * The Mann–Kendall trend statistic Z of totals over weeks (normal approximation with the tie
 * correction and the continuity correction): |Z| ≥ 1.96 is a trend at the two-sided 5 % level.
 */
export function mannKendallZ(points: { x: number; y: number }[]): number {
  const p = [...points].sort((a, b) => a.x - b.x);
  const n = p.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (p[j]!.x !== p[i]!.x) s += Math.sign(p[j]!.y - p[i]!.y);
  const ties = new Map<number, number>();
  for (const q of p) ties.set(q.y, (ties.get(q.y) ?? 0) + 1);
  let v = n * (n - 1) * (2 * n + 5);
  for (const t of ties.values()) v -= t * (t - 1) * (2 * t + 5);
  v /= 18;
  if (v <= 0 || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(v);
}

/** The Hodges–Lehmann location: the median of all pairwise means (each value with itself included). */
export function hodgesLehmann(xs: number[]): number {
  const w: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i; j < xs.length; j++) w.push((xs[i]! + xs[j]!) / 2);
  return median(w);
}

/** Cumulative count of arrivals by each minute from..to (arrivals before `from` count at `from`). */
export function cumulative(minutes: number[], from: number, to: number): number[] {
  const out = new Array<number>(to - from + 1).fill(0);
  for (const m of minutes) {
    const i = Math.max(0, Math.ceil(m - from));
    if (i < out.length) out[i]! += 1;
  }
  for (let i = 1; i < out.length; i++) out[i]! += out[i - 1]!;
  return out;
}

/** The expected cumulative arrivals with a band, per minute; null with no history. */
export function forecastCurve(input: CurveInput): Curve | null {
  const { from, to } = { from: input.fromMinute, to: input.toMinute };
  const hist = input.history.filter((o) => o.date < input.date);
  if (!hist.length) return null;
  const curves = hist.map((o) => cumulative(o.minutes, from, to));
  const totals = curves.map((c) => c[c.length - 1]!);
  const out = outliers(totals);
  const keep = hist.map((_, i) => i).filter((i) => !out[i]);
  const kTotals = keep.map((i) => totals[i]!);
  const base = median(kTotals);
  // robust weekly trend, only with enough points and only when the Mann–Kendall test finds one,
  // capped so that two odd Sundays cannot run away
  const points = keep.map((i) => ({ x: weeksBetween(input.date, hist[i]!.date), y: totals[i]! }));
  let slope = keep.length >= MIN_TREND_OCCURRENCES && Math.abs(mannKendallZ(points)) >= TREND_Z ? theilSen(points) : 0;
  const cap = MAX_TREND_SHARE * Math.max(base, 1);
  slope = Math.max(-cap, Math.min(cap, slope));
  const factor = (i: number) => {
    const t = totals[i]!;
    const moved = t + slope * -weeksBetween(input.date, hist[i]!.date);
    return t > 0 ? Math.max(0, moved) / t : 1;
  };
  const level = Math.max(0, hodgesLehmann(keep.map((i) => totals[i]! * factor(i))));
  const n = to - from + 1;
  const share = new Array<number>(n).fill(0);
  const keptWithArrivals = keep.filter((i) => totals[i]! > 0);
  for (const i of keptWithArrivals) for (let k = 0; k < n; k++) share[k]! += curves[i]![k]! / totals[i]! / keptWithArrivals.length;
  if (!keptWithArrivals.length) share.fill(1);
  const expected = share.map((s) => level * s);
  const low: number[] = [];
  const high: number[] = [];
  const plan: number[] = [];
  for (let k = 0; k < n; k++) {
    const vals = keep.map((i) => curves[i]![k]! * factor(i));
    low.push(Math.min(expected[k]!, quantile(vals, LOW_Q)));
    high.push(Math.max(expected[k]!, quantile(vals, HIGH_Q)));
    plan.push(Math.max(high[k]!, quantile(vals, 1)));
  }
  const curve: Curve = {
    from,
    expected,
    low,
    high,
    plan,
    total: { expected: level, low: low[n - 1]!, high: high[n - 1]! },
    basis: { occurrences: hist.length, outliers: hist.filter((_, i) => out[i]).map((o) => o.date) },
  };
  return input.today ? blend(curve, share, input.today) : curve;
}

/**
 * Today's arrivals so far, blended in: the pace implies a total (arrived ÷ the share of the usual
 * curve that is behind us); it counts as much as that share. After `now` the curve runs from what
 * has arrived along the usual shape, the band scaled the same way.
 */
function blend(c: Curve, share: number[], today: { minutes: number[]; now: number }): Curve {
  const n = c.expected.length;
  const k = Math.max(0, Math.min(n - 1, Math.floor(today.now - c.from)));
  if (today.now < c.from) return c;
  const arrived = today.minutes.filter((m) => m <= today.now).length;
  const s = share[k]!;
  const paced = s > 0.02 ? arrived / s : c.total.expected;
  const w = Math.min(1, s);
  const total = Math.max(arrived, (1 - w) * c.total.expected + w * paced);
  const scale = c.total.expected > 0 ? total / c.total.expected : 1;
  const rest = (i: number) => (s < 1 ? Math.max(0, (share[i]! - s) / (1 - s)) : 1);
  const expected = c.expected.map((v, i) => (i <= k ? v : arrived + (total - arrived) * rest(i)));
  const lowT = Math.max(arrived, c.total.low * scale);
  const highT = Math.max(arrived, c.total.high * scale);
  const low = c.low.map((v, i) => (i <= k ? v : Math.min(expected[i]!, arrived + (lowT - arrived) * rest(i))));
  const high = c.high.map((v, i) => (i <= k ? v : Math.max(expected[i]!, arrived + (highT - arrived) * rest(i))));
  const planT = Math.max(arrived, c.plan[n - 1]! * scale);
  const plan = c.plan.map((v, i) => (i <= k ? v : Math.max(high[i]!, arrived + (planT - arrived) * rest(i))));
  return { ...c, expected, low, high, plan, total: { expected: total, low: Math.min(total, lowT), high: Math.max(total, highT) } };
}

/** The first minute (from the curve's start) at which `curve` reaches `level`; null if it never does. */
export function crossing(curve: number[], from: number, level: number): number | null {
  for (let i = 0; i < curve.length; i++) if (curve[i]! >= level - 1e-9) return from + i;
  return null;
}

export const fillOrder = (a: PlanRoom, b: PlanRoom) =>
  (a.kind === b.kind ? 0 : a.kind === 'regular' ? -1 : 1) || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name) || a.roomId.localeCompare(b.roomId);

export interface OpenByPlan {
  roomId: string;
  roomName: string;
  /** minute (from the start) by which it must be open: the planned curve reaches the seats before it */
  at: number;
  /** minute the expected curve reaches them (null: likely not needed) */
  expectedAt: number | null;
}

/**
 * Each further (closed) room in fill order, overflow last: the room must be open when the planned
 * arrivals plus the children already sitting in the group's rooms (`carried`) reach the
 * seats of the rooms before it — the open ones and the closed ones before it (opened as advised).
 */
export function planOpenings(curve: Curve, rooms: PlanRoom[], carried = 0): OpenByPlan[] {
  const ordered = [...rooms].sort(fillOrder);
  let seats = ordered.filter((r) => r.open).reduce((s, r) => s + r.capacity, 0);
  const plan: OpenByPlan[] = [];
  for (const r of ordered.filter((x) => !x.open)) {
    const need = seats - carried;
    const at = crossing(curve.plan, curve.from, need);
    if (at == null) break;
    plan.push({ roomId: r.roomId, roomName: r.name, at, expectedAt: crossing(curve.expected, curve.from, need) });
    seats += r.capacity;
  }
  return plan;
}

/**
 * The adults the group needs at each minute on the planned curve: the children fill the
 * open rooms in order (closed rooms from their open-by minute), each open room needs its ratio's
 * adults — two at least under the two-adult rule once it is open. Returned as steps: the minute a
 * new count is needed from, with the adults each room needs then.
 */
export interface VolunteerStep {
  at: number;
  count: number;
  rooms: { roomId: string; roomName: string; count: number }[];
}

export function planVolunteers(curve: Curve, rooms: PlanRoom[], openings: OpenByPlan[], rules: RatioRules, carried = 0): VolunteerStep[] {
  const ordered = [...rooms].sort(fillOrder);
  const opensAt = new Map(openings.map((o) => [o.roomId, o.at]));
  const steps: VolunteerStep[] = [];
  let last = -1;
  for (let i = 0; i < curve.plan.length; i++) {
    const minute = curve.from + i;
    let children = Math.ceil(curve.plan[i]! + carried - 1e-9);
    let count = 0;
    const where: VolunteerStep['rooms'] = [];
    for (const r of ordered) {
      const open = r.open || (opensAt.has(r.roomId) && minute >= opensAt.get(r.roomId)!);
      if (!open) continue;
      const here = Math.min(children, r.capacity);
      children -= here;
      const adults = adultsNeeded(here, r, rules);
      count += adults;
      if (adults > 0) where.push({ roomId: r.roomId, roomName: r.name, count: adults });
    }
    if (count > last) {
      steps.push({ at: minute, count, rooms: where });
      last = count;
    }
  }
  return steps;
}
