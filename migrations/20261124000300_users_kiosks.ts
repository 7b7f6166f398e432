import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('email', 200).notNullable().unique();
    t.string('name', 120).notNullable().defaultTo('');
    t.string('password_hash', 200).notNullable();
    t.string('role', 16).notNullable();
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("role in ('admin','staff','volunteer')", [], 'users_role_check');
  });
  await knex.schema.createTable('sessions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique(); // sha256 hex; the token itself is never stored
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
  });
  await knex.schema.createTable('kiosks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('name', 80).notNullable();
    t.string('mode', 16).notNullable().defaultTo('checkin');
    t.string('token_hash', 64).unique();
    t.string('pairing_code_hash', 64).unique();
    t.timestamp('pairing_expires_at', { useTz: true });
    t.string('printer_host', 200);
    t.timestamp('last_seen_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("mode in ('checkin','pickup')", [], 'kiosks_mode_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kiosks');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
