import type { Knex } from 'knex';

import type { RoomRow } from '../admin/admin.repo';

type Db = Knex | Knex.Transaction;
/** An `organizations` row with its settings (the defaults its campuses inherit: JSON, only the keys changed). */
export interface OrganizationRow {
  id: string;
  name: string;
  settings: Record<string, unknown>;
}
export interface CampusRow {
  id: string;
  organization_id: string;
  name: string;
  timezone: string;
}
/** A campus's rooms as a template for a new campus (the columns a room is made from). */
export type RoomTemplateRow = Pick<
  RoomRow,
  'name' | 'age_group' | 'kind' | 'min_age_months' | 'max_age_months' | 'min_grade' | 'max_grade' | 'default_capacity' | 'ratio' | 'sort_order'
>;

/** Serialises first-run setups (two at once must not both find the database empty). */
export const lockSetup = (trx: Knex.Transaction): Promise<unknown> => trx.raw("SELECT pg_advisory_xact_lock(hashtext('kidsclub.setup'))");
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
export const findOrganization = (db: Db, id: string): Promise<OrganizationRow | undefined> =>
  db('organizations').select('id', 'name', 'settings').where({ id }).first();
export const lockOrganization = (trx: Knex.Transaction, id: string): Promise<OrganizationRow | undefined> =>
  trx('organizations').select('id', 'name', 'settings').where({ id }).forUpdate().first();
export const updateOrganization = (trx: Knex.Transaction, id: string, patch: { name?: string; settings?: string }) =>
  trx('organizations').where({ id }).update(patch);
export const listCampuses = (db: Db, organizationId: string): Promise<Omit<CampusRow, 'organization_id'>[]> =>
  db('sites').select('id', 'name', 'timezone').where({ organization_id: organizationId }).orderBy(['created_at', 'id']);
export const findCampus = (db: Db, id: string): Promise<(CampusRow & { settings: Record<string, unknown> }) | undefined> =>
  db('sites').select('id', 'organization_id', 'name', 'timezone', 'settings').where({ id }).first();

export const updateCampus = (trx: Knex.Transaction, id: string, patch: { name?: string; timezone?: string }) => trx('sites').where({ id }).update(patch);
export const lockCampus = (trx: Knex.Transaction, id: string): Promise<CampusRow | undefined> =>
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
export const listRoomRows = (db: Db, siteId: string): Promise<RoomTemplateRow[]> =>
  db('rooms')
    .select('name', 'age_group', 'kind', 'min_age_months', 'max_age_months', 'min_grade', 'max_grade', 'default_capacity', 'ratio', 'sort_order')
    .where({ site_id: siteId, archived: false })
    .orderBy(['sort_order', 'name']);
export const insertRooms = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => (rows.length ? trx('rooms').insert(rows) : Promise.resolve());

// a campus's first admin is written like any person (people.repo is the one writer of users and roles)
export { insertPerson, upsertRole } from '../people/people.repo';
