import type { Knex } from 'knex';

/**
 * The dispatcher asks, before each send, whether a number was ever texted before (the first text
 * says how to stop, DESIGN §19): by number and send time, not a scan of every message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX notifications_to_sent_index ON notifications ("to", sent_at) WHERE sent_at IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX notifications_to_sent_index');
}
