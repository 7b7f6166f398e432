import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('households', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['site_id', 'name']);
  });
  await knex.schema.createTable('guardians', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('first_name', 80).notNullable();
    t.string('last_name', 80).notNullable();
    t.string('phone', 20).notNullable(); // E.164
    t.boolean('sms_opt_in').notNullable().defaultTo(true);
    t.timestamp('sms_opted_out_at', { useTz: true });
    t.index(['household_id']);
    t.index(['phone']);
  });
  // The kiosk's "last 4 digits" lookup must use an index, not scan every guardian.
  await knex.raw('ALTER TABLE guardians ADD COLUMN phone_last4 char(4) GENERATED ALWAYS AS (right(phone, 4)) STORED');
  await knex.raw('CREATE INDEX guardians_phone_last4_index ON guardians (phone_last4)');
  await knex.schema.createTable('children', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('first_name', 80).notNullable();
    t.string('last_name', 80).notNullable();
    t.date('birthdate');
    t.integer('grade');
    t.text('allergies').notNullable().defaultTo('');
    t.text('medical_notes').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['household_id']);
  });
  await knex.schema.createTable('authorized_pickups', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.string('relationship', 40).notNullable().defaultTo('');
    t.string('phone', 20);
    t.index(['household_id']);
  });
  await knex.schema.createTable('custody_alerts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.uuid('child_id').references('children.id').onDelete('CASCADE');
    t.string('name', 120).notNullable(); // who may NOT pick up
    t.text('note').notNullable().defaultTo('');
    t.index(['household_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('custody_alerts');
  await knex.schema.dropTable('authorized_pickups');
  await knex.schema.dropTable('children');
  await knex.schema.dropTable('guardians');
  await knex.schema.dropTable('households');
}
