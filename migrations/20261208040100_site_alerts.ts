import type { Knex } from 'knex';

/**
 * Site-level alerts (DESIGN §18, #29): a label printer belongs to a campus, not to a service, and
 * a dead printer on a setup day or a weekday event (no service) must still reach staff. An alert
 * may now have no service (`service_id` NULL: the campus's alert); such an alert stands once per
 * campus, kind and subject (the printer's id in `age_group`), by its own partial unique index —
 * the service one cannot see NULLs as equal.
 *
 * Carried forward: a printer's standing alerts (one per service of the day until now) become one
 * campus alert — the latest raised is kept without its service, the others of the same printer
 * and state are cleared. Down: the campus alerts have no service to go back to and are deleted
 * (the printer poll raises a standing one again, per service, within a minute).
 */
const PRINTER_KINDS = ['printer_paper_out', 'printer_head_open', 'printer_paused', 'printer_unreachable'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE alerts ALTER COLUMN service_id DROP NOT NULL');
  await knex.raw(
    `WITH ranked AS (
       SELECT id, row_number() OVER (PARTITION BY organization_id, site_id, kind, age_group ORDER BY raised_at DESC, id) AS n
         FROM alerts WHERE cleared_at IS NULL AND kind = ANY(:kinds))
     UPDATE alerts a SET cleared_at = CASE WHEN r.n = 1 THEN NULL ELSE now() END,
                         service_id = CASE WHEN r.n = 1 THEN NULL ELSE a.service_id END
       FROM ranked r WHERE r.id = a.id`,
    { kinds: PRINTER_KINDS },
  );
  await knex.raw(
    'CREATE UNIQUE INDEX alerts_site_standing_unique ON alerts (site_id, kind, age_group, organization_id) WHERE service_id IS NULL AND cleared_at IS NULL',
  );
  await knex.raw('CREATE INDEX alerts_site_level_index ON alerts (site_id, raised_at) WHERE service_id IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX alerts_site_level_index');
  await knex.raw('DROP INDEX alerts_site_standing_unique');
  await knex('alerts').whereNull('service_id').delete();
  await knex.raw('ALTER TABLE alerts ALTER COLUMN service_id SET NOT NULL');
}
