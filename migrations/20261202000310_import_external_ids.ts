import type { Knex } from 'knex';

/**
 * CSV import (DESIGN §11): each imported household and person remembers the source's id, unique
 * per site, so importing the same file again changes nothing; import jobs carry the progress
 * the staff screen shows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('external_ids', (t) => {
    t.bigIncrements('id');
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.string('source', 32).notNullable(); // pco | rock | breeze | generic
    t.string('entity', 16).notNullable(); // household | guardian | child
    t.string('external_id', 120).notNullable();
    t.uuid('entity_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['site_id', 'source', 'entity', 'external_id']);
    t.index(['entity_id']);
  });
  await knex.schema.createTable('import_jobs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('site_id').notNullable().references('sites.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.string('format', 16).notNullable();
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.string('status', 16).notNullable().defaultTo('queued'); // queued | running | done | failed
    t.integer('total').notNullable().defaultTo(0);
    t.integer('processed').notNullable().defaultTo(0);
    t.jsonb('summary').notNullable().defaultTo('{}');
    t.jsonb('problems').notNullable().defaultTo('[]');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['site_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_jobs');
  await knex.schema.dropTable('external_ids');
}
