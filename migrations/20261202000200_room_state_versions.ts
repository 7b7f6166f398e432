import type { Knex } from 'knex';

/**
 * Live room state carries a version (CONVENTIONS habit 15): every change of a physical room's
 * state (a check-in, a checkout, a move, open/close, capacity, volunteers) takes the next value of
 * one sequence while it holds the room's lock, so versions follow commit order per room and a
 * client keeps the newer of an HTTP answer and a socket event. Its own table, so the hot `rooms`
 * rows and their columns stay as they are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE room_state_version_seq AS bigint');
  await knex.schema.createTable('room_state_versions', (t) => {
    t.uuid('room_id').primary().references('id').inTable('rooms').onDelete('CASCADE');
    t.bigInteger('version').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('room_state_versions');
  await knex.raw('DROP SEQUENCE room_state_version_seq');
}
