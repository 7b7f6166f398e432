import type { Knex } from 'knex';

/**
 * Issue 33: every tenant table carries two foreign keys to `sites` — the single-column
 * `(site_id) REFERENCES sites(id)` of its first migration and the composite
 * `(organization_id, site_id) REFERENCES sites(organization_id, id)` that tenancy added. The
 * composite one already proves the campus exists (organization_id is NOT NULL on every one of
 * these tables, so the composite key is checked whenever site_id is set) and deletes the same way
 * (CASCADE, or SET NULL (site_id) for users), so the single-column key only doubled the work of
 * every insert: one more index probe and one more KEY SHARE lock on the campus's row (on the
 * check-in path: checkin_requests, checkin_batches, checkins, notifications, alerts).
 *
 * Only keys that have the composite twin are dropped; the migration checks that before dropping,
 * and `down` puts each back with its old name and delete rule. No data changes.
 */
type SiteKey = { table: string; onDelete: 'CASCADE' | 'SET NULL' };
const TABLES: SiteKey[] = [
  'rooms',
  'services',
  'households',
  'sessions',
  'kiosks',
  'checkin_batches',
  'checkins',
  'notifications',
  'alerts',
  'checkin_requests',
  'user_roles',
  'displays',
  'household_join_codes',
  'external_ids',
  'import_jobs',
  'volunteer_shifts',
  'roll_calls',
  'room_headcounts',
  'service_schedules',
  'precheckin_links',
  'precheckins',
  'volunteer_corrections',
  'emergencies',
  'broadcasts',
]
  .map((table): SiteKey => ({ table, onDelete: 'CASCADE' }))
  .concat([{ table: 'users', onDelete: 'SET NULL' }]);

export async function up(knex: Knex): Promise<void> {
  for (const { table } of TABLES) {
    const twin = await knex.raw(
      `SELECT 1 FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f' AND confrelid = 'sites'::regclass
         AND pg_get_constraintdef(oid) LIKE 'FOREIGN KEY (organization_id, site_id) REFERENCES sites(organization_id, id)%'`,
      [table],
    );
    if (!twin.rows.length) throw new Error(`${table} has no (organization_id, site_id) key to sites: its site_id key is not redundant`);
    await knex.raw(`ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??`, [table, `${table}_site_id_foreign`]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table, onDelete } of TABLES)
    await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (site_id) REFERENCES sites(id) ON DELETE ${onDelete}`, [table, `${table}_site_id_foreign`]);
}
