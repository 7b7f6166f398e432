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

export async function takeAttempt(db: Knex, key: string, limit: number, windowMs: number, now = new Date()): Promise<AttemptSlot | null> {
  const windowStart = windowStartOf(now, windowMs);
  const { rows } = await db.raw<{ rows: { count: number }[] }>(
    `INSERT INTO attempt_counters AS a (key, window_start, count) VALUES (:key, :windowStart, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = a.count + 1 WHERE a.count < :limit
     RETURNING a.count`,
    { key, windowStart, limit },
  );
  const row = rows[0];
  return row ? { key, windowStart, count: row.count } : null;
}

export async function refundAttempt(db: Knex, slot: AttemptSlot): Promise<void> {
  await db.raw('UPDATE attempt_counters SET count = count - 1 WHERE key = :key AND window_start = :windowStart AND count > 0', {
    key: slot.key,
    windowStart: slot.windowStart,
  });
}

/** Failures counted in the current window (for a screen or a test). */
export async function attemptsUsed(db: Knex, key: string, windowMs: number, now = new Date()): Promise<number> {
  const row = await db('attempt_counters')
    .select('count')
    .where({ key, window_start: windowStartOf(now, windowMs) })
    .first();
  return row ? Number(row.count) : 0;
}

/** The periodic pass: windows that ended more than a day ago. */
export const deleteOldAttempts = (db: Knex, before: Date) => db('attempt_counters').where('window_start', '<', before).del();
