import type { Knex } from 'knex';

/**
 * The pre-check-in tables (20261205000200) follow the tenancy rules of 20261205000100 (DESIGN §10):
 * precheckins gains organization_id (from its campus; filled by the same BEFORE INSERT trigger
 * for a row that does not name it), both tables get the composite key to their campus, so a row
 * cannot name another organisation's campus, and every unique key ends with organization_id.
 */
const UNIQUE: [string, string, string, string][] = [
  ['precheckin_links', 'precheckin_links_token_hash_unique', 'token_hash', ''],
  ['precheckin_links', 'precheckin_links_one_per_week', 'site_id, household_id, send_date', 'send_date IS NOT NULL'],
  ['precheckins', 'precheckins_one_pending', 'household_id, service_id', 'used_at IS NULL'],
];

async function setUnique(knex: Knex, [table, name, columns, where]: (typeof UNIQUE)[number], withOrg: boolean) {
  const cols = withOrg ? `${columns}, organization_id` : columns;
  if (!where) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE (${cols})`);
  } else {
    await knex.raw(`DROP INDEX ${name}`);
    await knex.raw(`CREATE UNIQUE INDEX ${name} ON ${table} (${cols}) WHERE ${where}`);
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE precheckins ADD COLUMN organization_id uuid');
  await knex.raw('UPDATE precheckins x SET organization_id = s.organization_id FROM sites s WHERE s.id = x.site_id');
  await knex.raw('ALTER TABLE precheckins ALTER COLUMN organization_id SET NOT NULL');
  await knex.raw('CREATE TRIGGER precheckins_org_from_site BEFORE INSERT ON precheckins FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()');
  await knex.raw('CREATE TRIGGER precheckin_links_org_from_site BEFORE INSERT ON precheckin_links FOR EACH ROW EXECUTE FUNCTION kc_org_from_site()');
  for (const t of ['precheckins', 'precheckin_links']) {
    await knex.raw(
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_org_site_foreign FOREIGN KEY (organization_id, site_id) REFERENCES sites(organization_id, id) ON DELETE CASCADE`,
    );
  }
  for (const u of UNIQUE) await setUnique(knex, u, true);
}

export async function down(knex: Knex): Promise<void> {
  for (const u of UNIQUE) await setUnique(knex, u, false);
  for (const t of ['precheckins', 'precheckin_links']) await knex.raw(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_org_site_foreign`);
  await knex.raw('DROP TRIGGER precheckin_links_org_from_site ON precheckin_links');
  await knex.raw('DROP TRIGGER precheckins_org_from_site ON precheckins');
  await knex.raw('ALTER TABLE precheckins DROP COLUMN organization_id');
}
