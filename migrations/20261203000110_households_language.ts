import type { Knex } from 'knex';

/**
 * The family's language (DESIGN §12): set when the family checks in in a language (or by staff);
 * their SMS, pass page and labels use it. NULL: the site's default (English).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('households', (t) => {
    t.string('language', 8);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('households', (t) => {
    t.dropColumn('language');
  });
}
