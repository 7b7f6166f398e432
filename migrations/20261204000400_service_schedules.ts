import type { Knex } from 'knex';

/**
 * Recurring schedules (DESIGN §10): a campus's weekly service times (weekday and local time in
 * the campus's timezone, window offsets, which rooms open, overflow state) generate services 8
 * weeks ahead. `services.schedule_id` + `service_date` is unique, so generating again — on
 * another instance, or twice — makes nothing new. Skipped dates are kept per schedule. Existing
 * services (typed in one by one) have no schedule and are left as they are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_schedules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.smallint('weekday').notNullable(); // 0 = Sunday … 6 = Saturday
    t.string('local_time', 5).notNullable(); // HH:MM in the campus's timezone
    t.integer('opens_before_minutes').notNullable();
    t.integer('closes_after_minutes').notNullable();
    t.specificType('room_ids', 'uuid[]'); // null: every regular room open
    t.boolean('overflow_open').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['site_id']);
    t.check('weekday BETWEEN 0 AND 6', [], 'service_schedules_weekday_check');
    t.check("local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'", [], 'service_schedules_time_check');
    t.check('opens_before_minutes BETWEEN 0 AND 720 AND closes_after_minutes BETWEEN 0 AND 720', [], 'service_schedules_window_check');
  });
  await knex.schema.createTable('service_schedule_skips', (t) => {
    t.uuid('schedule_id').notNullable().references('service_schedules.id').onDelete('CASCADE');
    t.date('service_date').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['schedule_id', 'service_date']);
  });
  await knex.schema.alterTable('services', (t) => {
    t.uuid('schedule_id').references('service_schedules.id').onDelete('SET NULL');
    t.unique(['schedule_id', 'service_date'], { indexName: 'services_schedule_day_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('services', (t) => {
    t.dropUnique(['schedule_id', 'service_date'], 'services_schedule_day_unique');
    t.dropColumn('schedule_id');
  });
  await knex.schema.dropTable('service_schedule_skips');
  await knex.schema.dropTable('service_schedules');
}
