import type { Knex } from 'knex';
import { refundAttempt, takeAttempt } from './attempts.repo';

/** One attempt limit: `limit` wrong attempts per `windowMs` for whatever `key` names. */
export interface AttemptLimit {
  key: string;
  limit: number;
  windowMs: number;
}

/** Handed to the judge: it says when the attempt turned out wrong (only those stay counted). */
export interface Attempt {
  wrong(): void;
}

/**
 * Runs `judge` with one attempt of `lim` reserved before it (CONVENTIONS 22). The slot is taken on
 * its own connection before the caller opens its transaction (a transaction waiting for a second
 * connection could starve the pool), so attempts sent at once are counted before any of them is
 * judged; when none is left `refused()` answers instead. Unless the judge called `wrong()`, the
 * slot is given back afterwards, whatever the outcome: only wrong attempts count.
 */
export async function withAttempt<T>(db: Knex, lim: AttemptLimit, refused: () => Promise<never>, judge: (attempt: Attempt) => Promise<T>): Promise<T> {
  const slot = await takeAttempt(db, lim.key, lim.limit, lim.windowMs);
  if (!slot) return refused();
  let wrong = false;
  try {
    return await judge({ wrong: () => (wrong = true) });
  } finally {
    // a refund that fails leaves one attempt counted: never worth hiding the answer for
    if (!wrong) await refundAttempt(db, slot).catch(() => undefined);
  }
}
