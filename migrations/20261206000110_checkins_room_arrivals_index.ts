import type { Knex } from 'knex';

/**
 * The capacity projection's arrivals count (check-ins into a room in the last few minutes,
 * server/src/checkin/checkin.repo.ts INSERT_CHECKINS_SQL `arrivals`) filters on room, day and
 * check-in time, and no index had those columns: `checkins_room_time_index` leads with service_id,
 * so PostgreSQL read `checkins_service_time_index` instead — every check-in of every service of the
 * last minutes, each fetched from the heap, on every check-in (~1,000 buffers per check-in in the
 * bench; more on a busier morning). With statistics gathered before the morning's first check-in,
 * the planner believes the window is empty and cannot tell these plans apart; this index matches
 * the condition column for column, so the count reads only the room's own recent arrivals.
 * Built in the migration's transaction (it blocks writes to checkins while it builds: seconds on
 * a year of a large church's check-ins; run migrations outside service hours).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX checkins_room_day_arrivals ON checkins (room_id, service_date, checked_in_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX checkins_room_day_arrivals');
}
