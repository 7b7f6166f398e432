import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Serialises first-run setups (two at once must not both find the database empty). */
export const lockSetup = (trx: Knex.Transaction) => trx.raw("SELECT pg_advisory_xact_lock(hashtext('kidsclub.setup'))");
export async function countOrganizations(db: Db): Promise<number> {
  const [r] = await db('organizations').count<{ n: number }[]>('* as n');
  return Number(r?.n ?? 0);
}
export async function insertOrganization(trx: Knex.Transaction, name: string, settings: Record<string, unknown>): Promise<string> {
  const [o] = await trx('organizations')
    .insert({ name, settings: JSON.stringify(settings) })
    .returning('id');
  return o.id;
}
export const findOrganization = (db: Db, id: string) => db('organizations').select('id', 'name', 'settings').where({ id }).first();
export const lockOrganization = (trx: Knex.Transaction, id: string) => trx('organizations').select('id', 'name', 'settings').where({ id }).forUpdate().first();
export const updateOrganization = (trx: Knex.Transaction, id: string, patch: { name?: string; settings?: string }) =>
  trx('organizations').where({ id }).update(patch);
export const listCampuses = (db: Db, organizationId: string) =>
  db('sites').select('id', 'name', 'timezone').where({ organization_id: organizationId }).orderBy(['created_at', 'id']);
export const findCampus = (db: Db, id: string) => db('sites').select('id', 'organization_id', 'name', 'timezone', 'settings').where({ id }).first();

export const updateCampus = (trx: Knex.Transaction, id: string, patch: { name?: string; timezone?: string }) => trx('sites').where({ id }).update(patch);
export const lockCampus = (trx: Knex.Transaction, id: string) =>
  trx('sites').select('id', 'organization_id', 'name', 'timezone').where({ id }).forUpdate().first();

export async function insertCampus(
  trx: Knex.Transaction,
  row: { organization_id: string; name: string; timezone: string; settings: Record<string, unknown> },
): Promise<string> {
  const [s] = await trx('sites')
    .insert({ ...row, settings: JSON.stringify(row.settings) })
    .returning('id');
  return s.id;
}
export const listRoomRows = (db: Db, siteId: string) =>
  db('rooms')
    .select('name', 'age_group', 'kind', 'min_age_months', 'max_age_months', 'min_grade', 'max_grade', 'default_capacity', 'ratio', 'sort_order')
    .where({ site_id: siteId, archived: false })
    .orderBy(['sort_order', 'name']);
export const insertRooms = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => (rows.length ? trx('rooms').insert(rows) : Promise.resolve());

export async function insertPerson(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string | null; email: string; name: string; password_hash: string; org_admin: boolean },
): Promise<string> {
  const [u] = await trx('users').insert(row).returning('id');
  return u.id;
}
export const upsertRole = (trx: Knex.Transaction, row: { organization_id: string; user_id: string; site_id: string; role: string }) =>
  trx.raw(
    `INSERT INTO user_roles (organization_id, user_id, site_id, role) VALUES (:organization_id, :user_id, :site_id, :role)
     ON CONFLICT (user_id, site_id) DO UPDATE SET role = EXCLUDED.role`,
    row,
  );
