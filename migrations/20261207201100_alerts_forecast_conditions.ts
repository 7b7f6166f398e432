import type { Knex } from 'knex';

/**
 * Alerts ahead (DESIGN §17): `forecast_open_room` and `forecast_volunteers` are raised by a pass
 * every instance runs. Each names its condition (`condition_key`: "open:<room id>",
 * "volunteers:<count>" per age group); a condition is raised at most once per service — even after
 * it cleared — whichever instance gets there first (the unique index, ON CONFLICT DO NOTHING).
 * `forecast_need` is the number of adults a forecast_volunteers alert asks for: it clears when
 * that many are checked in. `alerts.kind` has no check constraint to extend.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.string('condition_key', 200);
    t.integer('forecast_need');
  });
  await knex.raw(
    'CREATE UNIQUE INDEX alerts_condition_once ON alerts (service_id, kind, age_group, condition_key, organization_id) WHERE condition_key IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX alerts_condition_once');
  await knex.schema.alterTable('alerts', (t) => {
    t.dropColumn('forecast_need');
    t.dropColumn('condition_key');
  });
}
