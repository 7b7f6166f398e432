import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per household check-in at a kiosk: carries the shared security code and the
  // idempotency key, so a retried request returns the same answer.
  await knex.schema.createTable('checkin_batches', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.date('service_date').notNullable();
    t.string('security_code', 8);
    t.string('idempotency_key', 100).notNullable();
    t.jsonb('refused').notNullable().defaultTo('[]');
    t.uuid('kiosk_id').references('kiosks.id').onDelete('SET NULL');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['site_id', 'idempotency_key']);
    t.index(['service_id', 'security_code']);
  });
  // A code is unique at a site for the whole service day (stronger than "among open check-ins").
  await knex.raw('CREATE UNIQUE INDEX checkin_batches_code_unique ON checkin_batches (site_id, service_date, security_code) WHERE security_code IS NOT NULL');
  await knex.schema.createTable('checkins', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('batch_id').notNullable().references('checkin_batches.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id');
    t.uuid('child_id').notNullable().references('children.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('security_code', 8).notNullable();
    t.string('status', 16).notNullable().defaultTo('checked_in');
    t.timestamp('checked_in_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('checked_out_at', { useTz: true });
    t.uuid('kiosk_id').references('kiosks.id').onDelete('SET NULL');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.string('picked_up_by', 120);
    t.uuid('checked_out_by').references('users.id').onDelete('SET NULL');
    t.index(['batch_id']);
    t.index(['child_id']);
    t.check("status in ('checked_in','checked_out','cancelled')", [], 'checkins_status_check');
  });
  // Headcount per room is counted from this index under the service_rooms row lock.
  await knex.raw("CREATE INDEX checkins_room_open_index ON checkins (service_id, room_id) WHERE status = 'checked_in'");
  await knex.raw('CREATE INDEX checkins_service_time_index ON checkins (service_id, checked_in_at)');
  // A child is never checked in twice for the same service.
  await knex.raw("CREATE UNIQUE INDEX checkins_child_once ON checkins (child_id, service_id) WHERE status = 'checked_in'");
  await knex.schema.createTable('pickup_passes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('batch_id').notNullable().unique().references('checkin_batches.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pickup_passes');
  await knex.schema.dropTable('checkins');
  await knex.schema.dropTable('checkin_batches');
}
