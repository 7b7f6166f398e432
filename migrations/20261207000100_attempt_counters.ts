import type { Knex } from 'knex';

/**
 * Attempt counters shared by every server instance (CONVENTIONS 21–22): one row per key and fixed
 * window, incremented by an atomic upsert that refuses past the limit, so attempts sent at once
 * are counted before any of them is judged. Keys name what is limited and whose it is
 * (e.g. `checkin_proof:<householdId>`); rows of past windows are deleted by the periodic pass.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE attempt_counters (
      key text NOT NULL,
      window_start timestamptz NOT NULL,
      count integer NOT NULL CHECK (count >= 0),
      PRIMARY KEY (key, window_start)
    )`);
  await knex.raw('CREATE INDEX attempt_counters_window ON attempt_counters (window_start)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE attempt_counters');
}
