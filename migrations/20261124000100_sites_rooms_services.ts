import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  await knex.schema.createTable('sites', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('name', 120).notNullable();
    t.string('timezone', 64).notNullable().defaultTo('America/New_York');
    // strategy, softThresholdPct, enforceRatios, checkinWindowMinutes, labels, smsTemplates
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('rooms', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('name', 80).notNullable();
    t.string('age_group', 80).notNullable().defaultTo('');
    t.integer('min_age_months');
    t.integer('max_age_months');
    t.integer('min_grade');
    t.integer('max_grade');
    t.string('kind', 16).notNullable().defaultTo('regular');
    t.integer('default_capacity').notNullable().defaultTo(10);
    t.integer('ratio'); // kids per volunteer
    t.integer('sort_order').notNullable().defaultTo(0);
    t.boolean('archived').notNullable().defaultTo(false);
    t.unique(['site_id', 'name']);
    t.check("kind in ('regular','overflow')", [], 'rooms_kind_check');
    t.check('default_capacity >= 0', [], 'rooms_capacity_check');
    t.check('ratio is null or ratio > 0', [], 'rooms_ratio_check');
  });
  await knex.schema.createTable('services', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('checkin_opens_at', { useTz: true }).notNullable();
    t.timestamp('checkin_closes_at', { useTz: true }).notNullable();
    t.date('service_date').notNullable(); // in the site's timezone
    t.index(['site_id', 'checkin_closes_at']);
    t.check('checkin_opens_at < checkin_closes_at', [], 'services_window_check');
  });
  await knex.schema.createTable('service_rooms', (t) => {
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.boolean('open').notNullable().defaultTo(true);
    t.integer('capacity').notNullable();
    t.integer('volunteers').notNullable().defaultTo(0);
    t.boolean('ratio_override').notNullable().defaultTo(false);
    t.uuid('ratio_override_by');
    t.primary(['service_id', 'room_id']);
    t.check('capacity >= 0', [], 'service_rooms_capacity_check');
    t.check('volunteers >= 0', [], 'service_rooms_volunteers_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_rooms');
  await knex.schema.dropTable('services');
  await knex.schema.dropTable('rooms');
  await knex.schema.dropTable('sites');
}
