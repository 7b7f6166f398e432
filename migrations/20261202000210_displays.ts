import type { Knex } from 'knex';

/**
 * Wall displays (DESIGN §14): a TV that shows a campus's rooms and alerts and stays signed in. An
 * admin creates one and gets a single-use pairing code; the screen pairs with it and holds a
 * display token that reads rooms, alerts and today's services — nothing else.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('displays', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('id').inTable('sites').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.string('token_hash', 64).unique();
    t.string('pairing_code_hash', 64).unique();
    t.timestamp('pairing_expires_at', { useTz: true });
    t.timestamp('last_seen_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['site_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('displays');
}
