import type { Knex } from 'knex';

/**
 * Pre-check-in (DESIGN §12): a parent chooses children and services on the phone before the
 * service; the kiosk scan later checks them in (capacity is decided then, never here).
 *
 * - precheckin_links: a single-family, expiring link. The token is HMAC(secret, link id), like the
 *   pickup pass: only its SHA-256 is stored, and the SMS renders the link at send time. A link the
 *   weekly scheduled SMS made carries the local date of that send (`send_date`): the partial unique
 *   index makes "once per family per service-week" hold across restarts and instances.
 * - precheckins: one pending choice per family and service (a later submit replaces it); the
 *   check-in that uses it stamps used_at and its batch. No seat is taken.
 * - notifications.precheckin_link_id: the link an SMS carries ({{precheckUrl}} rendered at send time).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('precheckin_links', (t) => {
    t.uuid('id').primary();
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('reason', 16).notNullable(); // scheduled | staff | pass
    t.date('send_date');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['household_id']);
  });
  await knex.raw('CREATE UNIQUE INDEX precheckin_links_one_per_week ON precheckin_links (site_id, household_id, send_date) WHERE send_date IS NOT NULL');
  await knex.schema.createTable('precheckins', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('household_id').notNullable().references('households.id').onDelete('CASCADE');
    t.uuid('service_id').notNullable().references('services.id').onDelete('CASCADE');
    t.uuid('link_id').references('precheckin_links.id').onDelete('SET NULL');
    t.specificType('child_ids', 'uuid[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('used_at', { useTz: true });
    t.uuid('batch_id').references('checkin_batches.id').onDelete('SET NULL');
    t.index(['service_id']);
  });
  await knex.raw('CREATE UNIQUE INDEX precheckins_one_pending ON precheckins (household_id, service_id) WHERE used_at IS NULL');
  await knex.schema.alterTable('notifications', (t) => {
    t.uuid('precheckin_link_id').references('precheckin_links.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumn('precheckin_link_id');
  });
  await knex.schema.dropTable('precheckins');
  await knex.schema.dropTable('precheckin_links');
}
