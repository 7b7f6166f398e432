import type { Knex } from 'knex';

/**
 * Express check-in (DESIGN §12, issue #16): a family's printed key tag or card carries a random
 * code (never derived from ids); only its SHA-256 is stored. At most one active (unrevoked) code
 * per household; issuing again revokes the old one. New table: no existing data to carry.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('household_express_codes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable().unique();
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX household_express_codes_one_active ON household_express_codes (household_id) WHERE revoked_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('household_express_codes');
}
