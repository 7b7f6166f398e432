/**
 * A bench that agrees with itself (DESIGN §9): the database settled before anything is timed
 * (VACUUM ANALYZE, CHECKPOINT, no autovacuum worker running), every repetition of a phase started
 * from the same state (the check-in tables emptied, the rooms as seeded), and each figure reported
 * as the median of its repetitions with their min and max.
 */
import { Client } from 'pg';
import { restoreHistory } from './history';

/** The tables a check-in writes (and nothing the seed wrote): emptied before each repetition. */
export const CHECKIN_TABLES = [
  'checkins',
  'pickup_passes',
  'checkin_requests',
  'checkin_batches',
  'notifications',
  'audit_log',
  'alerts',
  'room_state_versions',
  // the headcounts kept by the trigger on checkins (TRUNCATE fires no row trigger)
  'room_day_children',
  'room_day_occupancy',
];

export interface Settled {
  vacuumMs: number;
  checkpointMs: number;
  autovacuumWaitMs: number;
  autovacuumStillRunning: number;
}

/**
 * VACUUM ANALYZE (optional: a full one after the seed; the emptied tables only between
 * repetitions), CHECKPOINT (so no checkpoint started by the previous phase's writes lands in the
 * next one), then waits until no autovacuum worker runs (pg_stat_activity), at most `maxWaitMs`.
 */
export async function settle(url: string, opts: { vacuum: 'all' | 'checkin-tables' | 'none'; maxWaitMs?: number }): Promise<Settled> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    let t = performance.now();
    if (opts.vacuum === 'all') await c.query('VACUUM ANALYZE');
    else if (opts.vacuum === 'checkin-tables') await c.query(`VACUUM ANALYZE ${CHECKIN_TABLES.join(', ')}`);
    const vacuumMs = performance.now() - t;
    t = performance.now();
    await c.query('CHECKPOINT');
    const checkpointMs = performance.now() - t;
    t = performance.now();
    const deadline = t + (opts.maxWaitMs ?? 120_000);
    let running = 0;
    for (;;) {
      running = Number((await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`)).rows[0].n);
      if (running === 0 || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      vacuumMs: Math.round(vacuumMs),
      checkpointMs: Math.round(checkpointMs),
      autovacuumWaitMs: Math.round(performance.now() - t),
      autovacuumStillRunning: running,
    };
  } finally {
    await c.end();
  }
}

/** Empties what check-ins wrote, puts back the seeded history and the rooms as seeded, so the next repetition starts where the first did. */
export async function resetCheckins(url: string, capacity: number) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    // CASCADE: rows that hang off the check-ins (roll calls, say) go with them; the seed does not hold any.
    // The server keeps running between repetitions and its periodic jobs (printer health, alerts ahead,
    // the outboxes) read these tables: a TRUNCATE can deadlock with one of them, and is then tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`TRUNCATE ${CHECKIN_TABLES.join(', ')} CASCADE`);
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== '40P01' || attempt >= 5) throw e;
      }
    }
    // the past Sundays (bench/lib/history.ts): no repetition starts from empty tables
    await restoreHistory(c);
    await c.query('UPDATE service_rooms SET capacity = $1 WHERE capacity <> $1', [capacity]);
  } finally {
    await c.end();
  }
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round(((s[m - 1]! + s[m]!) / 2) * 1000) / 1000;
};

/**
 * Folds the repetitions of one phase: `value` has the shape of one run with every number replaced
 * by the median over the runs (other values from the first run; booleans recomputed by the
 * caller), `spread` has, for every number, its median, min and max.
 */
export function summarise<T>(runs: T[]): { value: T; spread: unknown } {
  const fold = (xs: unknown[]): [unknown, unknown] => {
    const present = xs.filter((x) => x !== undefined);
    const first = present[0];
    if (typeof first === 'number') {
      const nums = present.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      if (!nums.length) return [first, undefined];
      const s: Spread = { median: median(nums), min: Math.min(...nums), max: Math.max(...nums) };
      return [s.median, s];
    }
    if (first && typeof first === 'object' && !Array.isArray(first)) {
      const keys = [...new Set(present.flatMap((x) => (x && typeof x === 'object' ? Object.keys(x) : [])))];
      const value: Record<string, unknown> = {};
      const spread: Record<string, unknown> = {};
      for (const k of keys) {
        const [v, s] = fold(present.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined)));
        value[k] = v;
        if (s !== undefined) spread[k] = s;
      }
      return [value, Object.keys(spread).length ? spread : undefined];
    }
    return [first ?? null, undefined];
  };
  const [value, spread] = fold(runs);
  return { value: value as T, spread: spread ?? {} };
}

/** `{ ...median of the runs, spread, runs }`: the shape every repeated phase takes in latest.json. */
export function repeated<T extends object>(runs: T[]): T & { repetitions: number; spread: unknown; runs: T[] } {
  const { value, spread } = summarise(runs);
  return { ...value, repetitions: runs.length, spread, runs };
}
