import type { Knex } from 'knex';

/**
 * An import job is of households (the family import, DESIGN §11) or of past attendance (DESIGN
 * §17): the staff screen's progress and summary read differently, and a re-run must run the same
 * kind again. Every existing job imported households.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.string('kind', 16).notNullable().defaultTo('households');
    t.check("kind IN ('households','attendance')", [], 'import_jobs_kind_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropChecks(['import_jobs_kind_check']);
    t.dropColumn('kind');
  });
}
