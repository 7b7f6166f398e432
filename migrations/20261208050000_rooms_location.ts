import type { Knex } from 'knex';

/**
 * Where a room is (DESIGN §21, #30): a short directions text ("Upstairs, second door on the left")
 * that the kiosk shows a family new to the church beside each child's room. Nullable: a room
 * without one shows its name only, as before. 80 characters, the length the kiosk's finish screen
 * and the parent tag hold on one or two lines.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rooms', (t) => {
    t.string('location', 80);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rooms', (t) => {
    t.dropColumn('location');
  });
}
