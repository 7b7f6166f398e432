import type { Knex } from 'knex';

/**
 * The last unique key without organization_id (DESIGN §10): checkins_child_once, a child checked in
 * once per service, gains the column like the other keys of 20261205000100 (appended, same name and
 * predicate). It changes together with the check-in statement that names it as its ON CONFLICT
 * target (server/src/checkin/checkin.repo.ts INSERT_CHECKINS_SQL): a target must match an index's
 * columns exactly.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX checkins_child_once');
  await knex.raw("CREATE UNIQUE INDEX checkins_child_once ON checkins (child_id, service_id, organization_id) WHERE status = 'checked_in'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX checkins_child_once');
  await knex.raw("CREATE UNIQUE INDEX checkins_child_once ON checkins (child_id, service_id) WHERE status = 'checked_in'");
}
