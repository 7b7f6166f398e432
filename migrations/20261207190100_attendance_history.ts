import type { Knex } from 'knex';

/**
 * Past attendance imported from another system (DESIGN §17), so the forecast has history on the
 * first Sunday after a church switches. The product's own check-ins stay in `checkins`; the
 * forecast reads both. One row per child per arrival: when (`checked_in_at`), where (`room_id`, one
 * of this campus's rooms), and, when the row names one, which child (`child_id`, matched by the
 * import; a row matched to no child still counts in its room's history) and which service
 * (`service_name`, as the export spelt it). `row_key` is a hash of the row's content within its
 * source, so importing the same file again changes nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attendance_history', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.uuid('site_id').notNullable();
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('child_id').references('children.id').onDelete('SET NULL');
    t.timestamp('checked_in_at', { useTz: true }).notNullable();
    t.string('service_name', 200);
    t.string('source', 20).notNullable();
    t.string('row_key', 64).notNullable();
    t.uuid('import_job_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['organization_id', 'site_id'], 'attendance_history_org_site_foreign').references(['organization_id', 'id']).inTable('sites').onDelete('CASCADE');
    t.unique(['site_id', 'source', 'row_key', 'organization_id'], { indexName: 'attendance_history_row_unique' });
    t.index(['site_id', 'checked_in_at'], 'attendance_history_site_time_index');
    t.check("source IN ('generic','pco','rock')", [], 'attendance_history_source_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attendance_history');
}
