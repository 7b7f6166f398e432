import type { Knex } from 'knex';

/**
 * Roll call (DESIGN §13): a room volunteer marks a checked-in child present (one row per
 * check-in, kept apart from `checkins` so the check-in's hot statements do not change), and
 * records a manual headcount of the room.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roll_calls', (t) => {
    t.uuid('checkin_id').primary().references('checkins.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('marked_by').references('users.id').onDelete('SET NULL');
    t.timestamp('marked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('room_headcounts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.integer('count').notNullable();
    t.integer('system_count').notNullable();
    t.uuid('recorded_by').references('users.id').onDelete('SET NULL');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['service_id', 'room_id', 'recorded_at']);
    t.check('count >= 0', [], 'room_headcounts_count_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('room_headcounts');
  await knex.schema.dropTable('roll_calls');
}
