import type { Knex } from 'knex';

/**
 * Attempt limits that count before they judge (CONVENTIONS 22). `takeAttempt` reserves one of
 * `limit` attempts in the current window with one atomic upsert, on its own connection (outside
 * the request's transaction, so a refusal that rolls the request back still counts); it answers
 * null when the window is used up. A caller that then finds the attempt was right gives the slot
 * back with `refundAttempt`, so only failures stay counted.
 */
export interface AttemptSlot {
  key: string;
  windowStart: Date;
  count: number;
}

export const windowStartOf = (now: Date, windowMs: number) => new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/**
 * The attempts of the window before count too, so a window's boundary never hands out a fresh
 * allowance in the middle of a burst: a limit of 5 per 10 minutes refuses the 6th attempt made
 * within any 10 minutes (and a used-up limit lasts into the next window).
 */
const TAKE_SQL = `
  WITH prev AS (SELECT coalesce(sum(count), 0) AS n FROM attempt_counters WHERE key = :key AND window_start = :prevStart)
  INSERT INTO attempt_counters AS a (key, window_start, count)
  SELECT :key, :windowStart, 1 FROM prev WHERE prev.n < :limit
  ON CONFLICT (key, window_start) DO UPDATE SET count = a.count + 1
   WHERE a.count + (SELECT coalesce(sum(count), 0) FROM attempt_counters WHERE key = :key AND window_start = :prevStart) < :limit
  RETURNING a.count`;

export async function takeAttempt(db: Knex, key: string, limit: number, windowMs: number, now = new Date()): Promise<AttemptSlot | null> {
  const windowStart = windowStartOf(now, windowMs);
  const prevStart = new Date(windowStart.getTime() - windowMs);
  const { rows } = await db.raw<{ rows: { count: number }[] }>(TAKE_SQL, { key, windowStart, prevStart, limit });
  const row = rows[0];
  return row ? { key, windowStart, count: row.count } : null;
}

export async function refundAttempt(db: Knex, slot: AttemptSlot): Promise<void> {
  await db.raw('UPDATE attempt_counters SET count = count - 1 WHERE key = :key AND window_start = :windowStart AND count > 0', {
    key: slot.key,
    windowStart: slot.windowStart,
  });
}

/** Attempts counted against the limit now: this window's and the one before (for a limiter, a screen or a test). */
export async function attemptsUsed(db: Knex, key: string, windowMs: number, now = new Date()): Promise<number> {
  const windowStart = windowStartOf(now, windowMs);
  const row = await db('attempt_counters')
    .where({ key })
    .whereIn('window_start', [windowStart, new Date(windowStart.getTime() - windowMs)])
    .sum<{ n: string | null }>('count as n')
    .first();
  return Number(row?.n ?? 0);
}

/** The periodic pass: windows that ended more than a day ago. */
export const deleteOldAttempts = (db: Knex, before: Date) => db('attempt_counters').where('window_start', '<', before).del();
