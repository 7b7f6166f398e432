import type { Knex } from 'knex';

/**
 * Import jobs survive a restart (issue #15): a job's runner beats a heartbeat while it works, so a
 * job whose heartbeat stopped (the server that ran it was restarted or died) can be marked
 * `interrupted` by whichever server reads it next; the file and its options are kept with the job
 * so it can be run again (re-import is keyed on the source's ids: what was committed stays as it is).
 * Existing jobs keep their rows; their heartbeat starts empty (created_at stands in for it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.timestamp('heartbeat_at', { useTz: true });
    t.text('source_text');
    t.jsonb('options').notNullable().defaultTo('{}');
    t.uuid('rerun_of').references('import_jobs.id').onDelete('SET NULL');
  });
  await knex.raw(`CREATE INDEX import_jobs_running_idx ON import_jobs (heartbeat_at) WHERE status = 'running'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS import_jobs_running_idx');
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('rerun_of');
    t.dropColumn('options');
    t.dropColumn('source_text');
    t.dropColumn('heartbeat_at');
  });
}
