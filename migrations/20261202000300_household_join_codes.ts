import type { Knex } from 'knex';

/**
 * "Is this you?" at the kiosk: a parent whose phone already belongs to a family joins it by the
 * code texted to that phone. Only the code's SHA-256 is stored; a code lives 10 minutes and is
 * used once. Wrong codes are counted from the audit log (they survive the refused request's rollback).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('household_join_codes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.uuid('guardian_id').references('guardians.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['household_id', 'created_at']);
  });
  // the duplicate check looks a phone up at a site: guardians.phone is indexed already
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('household_join_codes');
}
