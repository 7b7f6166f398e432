import type { Knex } from 'knex';

/**
 * Outbound webhooks (DESIGN §20). `webhook_endpoints`: an organisation's subscriptions (a campus's
 * only when `site_id` is set), with the signing secret kept encrypted under the app secret (the
 * server must sign, so a hash will not do); a rotation keeps the previous secret, still signed
 * with, until `previous_secret_expires_at`. `webhook_deliveries`: the outbox, one row per event
 * and endpoint, written in the transaction of the change; its id is the stable `webhook-id`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id');
    t.string('url', 2000).notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.text('secret_enc').notNullable();
    t.text('previous_secret_enc');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organization_id', 'created_at']);
    t.foreign(['organization_id', 'site_id'], 'webhook_endpoints_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
    t.check('cardinality(events) > 0', [], 'webhook_endpoints_events_check');
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.uuid('site_id');
    t.string('event', 40).notNullable();
    t.jsonb('payload').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['endpoint_id', 'created_at']);
    t.check("status IN ('pending','sending','delivered','failed')", [], 'webhook_deliveries_status_check');
  });
  // the dispatcher's claim: due rows only (delivered and failed ones never enter the index)
  await knex.raw(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
  await knex.raw(`CREATE INDEX webhook_deliveries_sending ON webhook_deliveries (updated_at) WHERE status = 'sending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhook_endpoints');
}
