import type { Knex } from 'knex';

/**
 * Less WAL per check-in (bench/RESULTS.md): checkins_room_open_index (service_id, room_id) WHERE
 * status = 'checked_in' is served entirely by checkins_room_time_index (service_id, room_id,
 * checked_in_at), whose leading columns are the same (the partial predicate only made it
 * smaller), and no statement of the check-in's hot path reads it since headcounts became physical
 * (they read checkins_room_day_open). Every check-in wrote one entry of it per child.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS checkins_room_open_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX IF NOT EXISTS checkins_room_open_index ON checkins (service_id, room_id) WHERE status = 'checked_in'");
}
