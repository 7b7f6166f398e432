import type { Knex } from 'knex';
import type { ServiceRow } from '../services/services.repo';

type Db = Knex | Knex.Transaction;
/** A `rooms` row as the admin pages read it (ROOM_COLUMNS). */
export interface RoomRow {
  id: string;
  site_id: string;
  name: string;
  age_group: string;
  kind: 'regular' | 'overflow';
  min_age_months: number | null;
  max_age_months: number | null;
  min_grade: number | null;
  max_grade: number | null;
  default_capacity: number;
  ratio: number | null;
  sort_order: number;
  archived: boolean;
  care_needs: string[];
  location: string | null;
}
const ROOM_COLUMNS = [
  'id',
  'site_id',
  'name',
  'age_group',
  'kind',
  'min_age_months',
  'max_age_months',
  'min_grade',
  'max_grade',
  'default_capacity',
  'ratio',
  'sort_order',
  'archived',
  'care_needs',
  'location',
];
const SERVICE_COLUMNS = ['id', 'site_id', 'name', 'starts_at', 'checkin_opens_at', 'checkin_closes_at', 'service_date'];

// ---- rooms ----

export const listRooms = (db: Db, siteId: string): Promise<RoomRow[]> =>
  db('rooms').select(ROOM_COLUMNS).where({ site_id: siteId, archived: false }).orderBy(['sort_order', 'name']);
export const lockRoom = (trx: Knex.Transaction, id: string): Promise<RoomRow | undefined> =>
  trx('rooms').select(ROOM_COLUMNS).where({ id }).forUpdate().first();
export const findRoomByName = (db: Db, siteId: string, name: string): Promise<{ id: string; archived: boolean } | undefined> =>
  db('rooms').select('id', 'archived').where({ site_id: siteId }).whereRaw('lower(name) = lower(?)', [name]).first();
export async function insertRoom(trx: Knex.Transaction, row: Record<string, unknown>) {
  const [r] = await trx('rooms').insert(row).returning(ROOM_COLUMNS);
  return r as RoomRow;
}
export async function updateRoom(trx: Knex.Transaction, id: string, patch: Record<string, unknown>) {
  const [r] = await trx('rooms').where({ id }).update(patch).returning(ROOM_COLUMNS);
  return r as RoomRow;
}

/** Services of a site that have not closed yet (current and upcoming). */
export const openOrUpcomingServiceIds = async (db: Db, siteId: string): Promise<string[]> =>
  (await db('services').select('id').where({ site_id: siteId }).where('checkin_closes_at', '>', db.fn.now())).map((r) => r.id);

/** A new room joins current and upcoming services closed, for staff to open when they need it. */
export async function addRoomToServices(trx: Knex.Transaction, roomId: string, serviceIds: string[], capacity: number, volunteers: number) {
  if (!serviceIds.length) return;
  await trx('service_rooms').insert(serviceIds.map((id) => ({ service_id: id, room_id: roomId, open: false, capacity, volunteers })));
}
/** Current and upcoming services containing a room, with the room open there. */
export async function servicesWithRoomOpen(db: Db, roomId: string, serviceIds: string[]): Promise<string[]> {
  if (!serviceIds.length) return [];
  return (await db('service_rooms').select('service_id').where({ room_id: roomId, open: true }).whereIn('service_id', serviceIds)).map((r) => r.service_id);
}
export async function servicesWithRoom(db: Db, roomId: string, serviceIds: string[]): Promise<string[]> {
  if (!serviceIds.length) return [];
  return (await db('service_rooms').select('service_id').where({ room_id: roomId }).whereIn('service_id', serviceIds)).map((r) => r.service_id);
}
export const closeRoomIn = (trx: Knex.Transaction, roomId: string, serviceIds: string[]) =>
  trx('service_rooms').where({ room_id: roomId }).whereIn('service_id', serviceIds).update({ open: false });

// ---- services ----

/** A service with its room and check-in counts (Admin → Services). */
export interface ServiceListRow extends ServiceRow {
  rooms: number;
  checkins: number;
}
export function listServices(db: Db, siteId: string, from?: string, to?: string): Promise<ServiceListRow[]> {
  const q = db('services as s')
    .select(SERVICE_COLUMNS.map((c) => `s.${c}`))
    .select(db.raw('(SELECT count(*)::int FROM service_rooms sr WHERE sr.service_id = s.id) AS rooms'))
    .select(db.raw("(SELECT count(*)::int FROM checkins c WHERE c.service_id = s.id AND c.status <> 'cancelled') AS checkins"))
    .where('s.site_id', siteId)
    .orderBy('s.starts_at', 'desc')
    .limit(500);
  if (from) q.where('s.service_date', '>=', from);
  if (to) q.where('s.service_date', '<=', to);
  return q;
}
export const findService = (db: Db, id: string): Promise<ServiceRow | undefined> => db('services').select(SERVICE_COLUMNS).where({ id }).first();
export const lockService = (trx: Knex.Transaction, id: string): Promise<ServiceRow | undefined> =>
  trx('services').select(SERVICE_COLUMNS).where({ id }).forUpdate().first();
export async function insertService(trx: Knex.Transaction, row: Record<string, unknown>) {
  const [r] = await trx('services').insert(row).returning(SERVICE_COLUMNS);
  return r as ServiceRow;
}
export async function updateService(trx: Knex.Transaction, id: string, patch: Record<string, unknown>) {
  const [r] = await trx('services').where({ id }).update(patch).returning(SERVICE_COLUMNS);
  return r as ServiceRow;
}
export const deleteService = (trx: Knex.Transaction, id: string) => trx('services').where({ id }).delete();
export async function serviceCheckinCount(db: Db, id: string): Promise<number> {
  const r = await db('checkins').count<{ n: number }[]>('* as n').where({ service_id: id });
  return Number(r[0]?.n ?? 0);
}
export const insertServiceRooms = (trx: Knex.Transaction, rows: Record<string, unknown>[]) =>
  rows.length ? trx('service_rooms').insert(rows) : Promise.resolve();
/** Paired kiosks of a site: they hear when its services change. */
export const pairedKioskIds = async (db: Db, siteId: string): Promise<string[]> =>
  (await db('kiosks').select('id').where({ site_id: siteId }).whereNotNull('token_hash').whereNull('revoked_at')).map((r) => r.id);

// ---- site ----

/** A `sites` row with its stored settings (JSON, as saved: only the keys the campus changed). */
export interface SiteRawRow {
  id: string;
  name: string;
  timezone: string;
  settings: Record<string, unknown>;
}
export const findSiteRaw = (db: Db, id: string): Promise<SiteRawRow | undefined> =>
  db('sites').select('id', 'name', 'timezone', 'settings').where({ id }).first();
export const lockSite = (trx: Knex.Transaction, id: string): Promise<SiteRawRow | undefined> =>
  trx('sites').select('id', 'name', 'timezone', 'settings').where({ id }).forUpdate().first();
/** The organisation's stored settings: the defaults its campuses inherit. */
export const findOrganizationSettings = async (db: Db, organizationId: string): Promise<unknown> =>
  (await db('organizations').select('settings').where({ id: organizationId }).first())?.settings;
export const updateSite = (trx: Knex.Transaction, id: string, patch: Record<string, unknown>) => trx('sites').where({ id }).update(patch);
