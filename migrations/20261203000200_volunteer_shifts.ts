import type { Knex } from 'knex';

/**
 * Volunteers in the room (DESIGN §13): who served in which room for which service, and when
 * (`volunteer_shifts`); each person's background check (status and expiry, on `users`).
 * `service_rooms.volunteers` stays the count the check-in reads under the room lock: volunteer
 * check-in and check-out move it under that same lock.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('volunteer_shifts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('checked_in_at', { useTz: true }).notNullable().defaultTo(knex.raw('clock_timestamp()'));
    t.timestamp('checked_out_at', { useTz: true });
    t.uuid('checked_in_by').references('users.id').onDelete('SET NULL');
    t.uuid('checked_out_by').references('users.id').onDelete('SET NULL');
    t.index(['site_id', 'checked_in_at']);
    t.index(['service_id', 'room_id']);
    t.check('checked_out_at IS NULL OR checked_out_at >= checked_in_at', [], 'volunteer_shifts_order_check');
  });
  // one open shift per person and service: checking in to another room of the service moves them
  await knex.raw('CREATE UNIQUE INDEX volunteer_shifts_open_unique ON volunteer_shifts (service_id, user_id) WHERE checked_out_at IS NULL');
  await knex.schema.alterTable('users', (t) => {
    t.string('background_check_status', 16).notNullable().defaultTo('none');
    t.date('background_check_expires_on');
    t.check("background_check_status in ('none','pending','cleared','failed')", [], 'users_background_check_status_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropChecks(['users_background_check_status_check']);
    t.dropColumn('background_check_expires_on');
    t.dropColumn('background_check_status');
  });
  await knex.schema.dropTable('volunteer_shifts');
}
