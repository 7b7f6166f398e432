import type { Knex } from 'knex';

/**
 * Label templates (DESIGN §18): an organisation's template of each kind (site_id NULL) and a
 * campus's override of it (site_id set). The model — stock and elements — is JSON checked by
 * contracts/label-templates.ts before it is stored; a kind with no row prints the built-in default.
 * One row per (organisation, kind) and per (organisation, campus, kind): two partial unique keys,
 * both holding organization_id like every tenant key; the campus is tied to its organisation by
 * the composite foreign key, so an override cannot name another organisation's campus.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('label_templates', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id');
    t.string('kind', 20).notNullable();
    t.jsonb('stock').notNullable();
    t.jsonb('elements').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['organization_id', 'site_id'], 'label_templates_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
    t.check("kind IN ('child','parent','volunteer','keytag')", [], 'label_templates_kind_check');
  });
  await knex.raw('CREATE UNIQUE INDEX label_templates_org_kind_unique ON label_templates (organization_id, kind) WHERE site_id IS NULL');
  await knex.raw('CREATE UNIQUE INDEX label_templates_site_kind_unique ON label_templates (organization_id, site_id, kind) WHERE site_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('label_templates');
}
