import type { Knex } from 'knex';

/**
 * A merge that can be undone for 24 hours (DESIGN §16, issue #25): each merge keeps a record of
 * what it did — the merged household's own row, the ids of every row it moved per table, the
 * guardians it folded into one (their rows and every reference it re-pointed), and each row it
 * changed to make the two families fit (a family day dropped, an express code revoked, a pending
 * pre-check-in folded, a link's send week cleared) — so an undo puts each back exactly.
 * No foreign key to households: the merged family's row is gone until an undo brings it back, and
 * the kept family may itself be merged later (its undo is then refused until that one is undone).
 * New table: no existing data to carry.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('household_merges', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('into_household_id').notNullable();
    t.uuid('from_household_id').notNullable();
    t.string('from_name', 200).notNullable();
    t.uuid('merged_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('undo_until', { useTz: true }).notNullable();
    t.timestamp('undone_at', { useTz: true });
    t.uuid('undone_by').references('users.id').onDelete('SET NULL');
    t.jsonb('record').notNullable();
    t.index(['into_household_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('household_merges');
}
