/** Percentiles by nearest rank, rounded to 0.01 ms. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const s = Float64Array.from(samples).sort();
  const at = (p: number) => r2(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
  let sum = 0;
  for (const v of s) sum += v;
  return { count: s.length, p50: at(50), p95: at(95), p99: at(99), max: r2(s[s.length - 1]!), mean: r2(sum / s.length) };
}

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
