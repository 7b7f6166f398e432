import type { Knex } from 'knex';

/**
 * The check-in path judges the "open a new room" projection on the arrivals of the last 10
 * minutes into one age group's rooms. With only (service_id, checked_in_at) to go by, that count
 * read every arrival of the whole service in the window (all age groups) on every check-in; this
 * index lets it read the group's rooms alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX IF NOT EXISTS checkins_room_time_index ON checkins (service_id, room_id, checked_in_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS checkins_room_time_index');
}
