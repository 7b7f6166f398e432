import type { Knex } from 'knex';

/**
 * The release rules (DESIGN §4): a staff override PIN per user (scrypt hash only), and on each
 * checkout who exactly was released to (a listed guardian or authorised pickup, or a typed name),
 * which kiosk verified it when no user did, and the staff override that allowed it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('override_pin_hash', 200);
  });
  await knex.schema.alterTable('checkins', (t) => {
    t.string('picked_up_kind', 20); // guardian | authorized_pickup | typed
    t.uuid('picked_up_person_id');
    t.uuid('checked_out_kiosk_id').references('kiosks.id').onDelete('SET NULL');
    t.uuid('override_by').references('users.id').onDelete('SET NULL');
    t.text('override_reason');
    t.check("picked_up_kind is null or picked_up_kind in ('guardian','authorized_pickup','typed')", [], 'checkins_picked_up_kind_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checkins', (t) => {
    t.dropChecks(['checkins_picked_up_kind_check']);
    t.dropColumns('picked_up_kind', 'picked_up_person_id', 'checked_out_kiosk_id', 'override_by', 'override_reason');
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('override_pin_hash');
  });
}
