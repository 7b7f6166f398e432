import type { Knex } from 'knex';

/**
 * Who dropped the children off (DESIGN §16): the adult of the family who brought them, on each
 * check-in request (a family's day may see two drop-offs: one parent at 9:00, the other with a
 * late sibling). Nullable: earlier check-ins did not record it; a guardian removed later leaves
 * the request without it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checkin_requests', (t) => {
    t.uuid('dropped_off_by').references('guardians.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checkin_requests', (t) => {
    t.dropColumn('dropped_off_by');
  });
}
