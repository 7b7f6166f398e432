import type { Knex } from 'knex';

/**
 * webhook_deliveries is a tenant table like every other (DESIGN §10): it names its organisation,
 * and a delivery for a campus names one of that organisation's (composite key to sites).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_deliveries', (t) => {
    t.uuid('organization_id');
  });
  await knex.raw(`UPDATE webhook_deliveries d SET organization_id = e.organization_id FROM webhook_endpoints e WHERE e.id = d.endpoint_id`);
  await knex.schema.alterTable('webhook_deliveries', (t) => {
    t.uuid('organization_id').notNullable().alter();
    t.foreign('organization_id', 'webhook_deliveries_organization_foreign').references('organizations.id').onDelete('CASCADE');
    t.foreign(['organization_id', 'site_id'], 'webhook_deliveries_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_deliveries', (t) => {
    t.dropForeign(['organization_id', 'site_id'], 'webhook_deliveries_org_site_foreign');
    t.dropForeign(['organization_id'], 'webhook_deliveries_organization_foreign');
    t.dropColumn('organization_id');
  });
}
