import type { Knex } from 'knex';

/**
 * API keys for integrations (DESIGN §20). Only the sha-256 of the secret is kept (the secret is
 * 256 random bits, so a fast hash is enough); `prefix` is its visible start, to tell keys apart.
 * A key limited to a campus names it (`site_id`), one of its organisation's (a composite key to
 * sites, as on every table naming a campus). `last_used_at` and `use_count` say how much a key reads; its writes are in the
 * audit log under actor_kind 'integration' and the key's id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id');
    t.string('name', 100).notNullable();
    t.specificType('scopes', 'text[]').notNullable();
    t.string('prefix', 16).notNullable();
    t.string('secret_hash', 64).notNullable();
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.bigInteger('use_count').notNullable().defaultTo(0);
    t.timestamp('revoked_at', { useTz: true });
    t.index(['organization_id', 'created_at']);
    // the lookup is by secret_hash alone (its leading column); organization_id appended as on every tenant table's unique key (DESIGN §10)
    t.unique(['secret_hash', 'organization_id'], { indexName: 'api_keys_secret_hash_unique' });
    // a key limited to a campus names one of its own organisation's (the database refuses another's)
    t.foreign(['organization_id', 'site_id'], 'api_keys_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
    t.check(
      "scopes <@ ARRAY['checkins:read','checkins:write','families:read','families:write','reports:read']::text[] AND cardinality(scopes) > 0",
      [],
      'api_keys_scopes_check',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
}
