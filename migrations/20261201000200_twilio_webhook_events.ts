import type { Knex } from 'knex';

/**
 * Twilio webhooks already processed, so a replayed (correctly signed) request changes nothing: an
 * inbound message once per MessageSid (an old START cannot re-subscribe a parent who sent STOP),
 * a status callback once per (MessageSid, MessageStatus) — queued → sent → delivered all land.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('twilio_webhook_events', (t) => {
    t.string('message_sid', 64).notNullable();
    t.string('kind', 16).notNullable();
    // '' for inbound messages
    t.string('message_status', 32).notNullable().defaultTo('');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['message_sid', 'kind', 'message_status']);
    t.check("kind in ('inbound','status')", [], 'twilio_webhook_events_kind_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('twilio_webhook_events');
}
