import type { Knex } from 'knex';

/**
 * Volunteer check-in at a kiosk (DESIGN §13): a person's phone number (E.164, unique within the
 * organisation) identifies them at the kiosk; a shift checked in or out by a kiosk names it
 * (`checked_in_by` / `checked_out_by` stay the user who did it, null for a kiosk). Existing rows
 * keep their values: the new columns start empty.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('phone', 20);
  });
  await knex.raw('CREATE UNIQUE INDEX users_organization_phone_unique ON users (organization_id, phone) WHERE phone IS NOT NULL');
  await knex.schema.alterTable('volunteer_shifts', (t) => {
    t.uuid('checked_in_kiosk_id').references('kiosks.id').onDelete('SET NULL');
    t.uuid('checked_out_kiosk_id').references('kiosks.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('volunteer_shifts', (t) => {
    t.dropColumns('checked_in_kiosk_id', 'checked_out_kiosk_id');
  });
  await knex.raw('DROP INDEX users_organization_phone_unique');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('phone');
  });
}
