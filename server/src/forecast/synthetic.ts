/**
 * Synthetic slot histories with known curves and noise, for the unit tests and the bench's
 * backtest (DESIGN §17): a seeded generator, so a run is repeatable.
 */
import type { Occurrence } from './method';

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normal draw (Box–Muller). */
export function normal(r: () => number, mean = 0, sd = 1): number {
  const u = Math.max(r(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export interface SlotShape {
  /** mean and spread of arrival minutes around the start (e.g. −8 and 9: most arrive 20 min before to 5 after) */
  meanMinute: number;
  sdMinute: number;
  /** the window arrivals stay in */
  fromMinute: number;
  toMinute: number;
}
export const DEFAULT_SHAPE: SlotShape = { meanMinute: -8, sdMinute: 9, fromMinute: -30, toMinute: 30 };

export interface SyntheticOptions {
  weeks: number;
  /** the first occurrence's date (a Sunday, YYYY-MM-DD) */
  firstDate: string;
  total: number;
  /** children more (or fewer) per week */
  growthPerWeek?: number;
  /** relative noise of the total (sd) */
  noise?: number;
  /** weeks (0-based) whose total is multiplied (a holiday: 0.4; Easter: 1.8) */
  holidays?: Record<number, number>;
  shape?: SlotShape;
  seed?: number;
}

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** One occurrence per week: a total with noise and trend, arrival minutes drawn from the shape. */
export function syntheticHistory(o: SyntheticOptions): Occurrence[] {
  const r = rng(o.seed ?? 1);
  const shape = o.shape ?? DEFAULT_SHAPE;
  const out: Occurrence[] = [];
  for (let w = 0; w < o.weeks; w++) {
    const mean = (o.total + (o.growthPerWeek ?? 0) * w) * (o.holidays?.[w] ?? 1);
    const n = Math.max(0, Math.round(normal(r, mean, mean * (o.noise ?? 0))));
    const minutes: number[] = [];
    for (let i = 0; i < n; i++) {
      const m = Math.round(normal(r, shape.meanMinute, shape.sdMinute) * 10) / 10;
      minutes.push(Math.max(shape.fromMinute, Math.min(shape.toMinute, m)));
    }
    out.push({ date: addDays(o.firstDate, 7 * w), minutes: minutes.sort((a, b) => a - b) });
  }
  return out;
}
