import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The SMS outbox: written in the same transaction as the event that caused the message.
  await knex.schema.createTable('notifications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('guardian_id').references('guardians.id').onDelete('SET NULL');
    t.uuid('checkin_id').references('checkins.id').onDelete('SET NULL');
    t.uuid('batch_id').references('checkin_batches.id').onDelete('SET NULL');
    t.string('to', 20).notNullable();
    t.string('kind', 32).notNullable(); // checkin_receipt | checkout_confirmation | page
    // May hold {{pickupUrl}}: the link is rendered at send time, so no token is stored.
    t.text('body').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('provider_id', 64).unique();
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['checkin_id']);
  });
  await knex.raw("CREATE INDEX notifications_due_index ON notifications (next_attempt_at) WHERE status = 'pending'");
  await knex.schema.createTable('alerts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.string('kind', 32).notNullable(); // open_room | room_full
    t.string('age_group', 80).notNullable();
    t.specificType('room_ids', 'uuid[]').notNullable().defaultTo('{}');
    t.text('message').notNullable();
    t.integer('projected_minutes');
    t.timestamp('raised_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('cleared_at', { useTz: true });
    t.timestamp('acknowledged_at', { useTz: true });
    t.uuid('acknowledged_by').references('users.id').onDelete('SET NULL');
  });
  // Never raised twice for the same standing condition.
  await knex.raw('CREATE UNIQUE INDEX alerts_standing_unique ON alerts (service_id, kind, age_group) WHERE cleared_at IS NULL');
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.uuid('site_id');
    t.string('actor_kind', 16).notNullable(); // user | kiosk | system | anonymous
    t.uuid('actor_id');
    t.string('action', 64).notNullable();
    t.string('entity', 32).notNullable();
    t.uuid('entity_id');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['entity', 'entity_id']);
    t.index(['site_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('alerts');
  await knex.schema.dropTable('notifications');
}
