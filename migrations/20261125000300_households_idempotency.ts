import type { Knex } from 'knex';

/** A kiosk registering a family retries with the same key after a dropped connection. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('households', (t) => {
    t.string('idempotency_key', 100);
  });
  await knex.raw('CREATE UNIQUE INDEX households_idempotency_unique ON households (site_id, idempotency_key) WHERE idempotency_key IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS households_idempotency_unique');
  await knex.schema.alterTable('households', (t) => {
    t.dropColumn('idempotency_key');
  });
}
