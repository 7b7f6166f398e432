import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
const SHIFT = [
  'v.id',
  'v.site_id',
  'v.service_id',
  'v.room_id',
  'v.user_id',
  'v.checked_in_at',
  'v.checked_out_at',
  'r.name as room_name',
  'u.name as user_name',
  'u.email as user_email',
];
export interface ShiftRow {
  id: string;
  site_id: string;
  service_id: string;
  room_id: string;
  user_id: string;
  checked_in_at: Date;
  checked_out_at: Date | null;
  room_name: string;
  user_name: string;
  user_email: string;
}

const shifts = (db: Db) => db('volunteer_shifts as v').join('rooms as r', 'r.id', 'v.room_id').join('users as u', 'u.id', 'v.user_id');

export const findShift = (db: Db, id: string): Promise<ShiftRow | undefined> => shifts(db).select(SHIFT).where('v.id', id).first();
/** The person's open shift for the service, if any (one at a time: a partial unique index). */
export const openShiftOf = (db: Db, serviceId: string, userId: string): Promise<ShiftRow | undefined> =>
  shifts(db).select(SHIFT).where({ 'v.service_id': serviceId, 'v.user_id': userId }).whereNull('v.checked_out_at').first();

export const serviceShifts = (db: Db, serviceId: string): Promise<ShiftRow[]> =>
  shifts(db)
    .select(SHIFT)
    .where('v.service_id', serviceId)
    .orderBy([{ column: 'v.checked_out_at', order: 'desc', nulls: 'first' }, { column: 'u.name' }, { column: 'v.checked_in_at' }]);

export async function insertShift(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string; service_id: string; room_id: string; user_id: string } & Record<string, string | null>,
): Promise<string> {
  const [r] = await trx('volunteer_shifts').insert(row).returning('id');
  return r.id;
}
/** `by`: checked_out_by (a user) or checked_out_kiosk_id (a kiosk). */
export async function closeShift(trx: Knex.Transaction, id: string, by: Record<string, string | null>): Promise<boolean> {
  const n = await trx('volunteer_shifts')
    .where({ id })
    .whereNull('checked_out_at')
    .update({ checked_out_at: trx.raw('clock_timestamp()'), ...by });
  return n === 1;
}

/**
 * The rooms where this person has an open shift on the day of the service (any service that day:
 * a room is physical, so the 9:00 volunteer still there at 10:30 is in the room).
 */
export async function servingRoomsOn(db: Db, userId: string, serviceId: string): Promise<Set<string>> {
  const rows = await db('volunteer_shifts as v')
    .join('services as s', 's.id', 'v.service_id')
    .distinct('v.room_id')
    .where('v.user_id', userId)
    .whereNull('v.checked_out_at')
    .whereRaw('s.service_date = (SELECT service_date FROM services WHERE id = ?)', [serviceId]);
  return new Set(rows.map((r) => r.room_id as string));
}

export interface PersonForShift {
  id: string;
  name: string;
  email: string;
  organization_id: string;
  deactivated_at: Date | null;
  background_check_status: string;
  background_check_expires_on: string | null;
  org_admin: boolean;
  has_role: boolean;
  phone?: string | null;
}
/** A person as a shift needs them: check status, and whether they hold a role at the campus. */
const personQuery = (db: Db, siteId: string) =>
  db('users as u').select(
    'u.id',
    'u.name',
    'u.email',
    'u.organization_id',
    'u.deactivated_at',
    'u.background_check_status',
    'u.background_check_expires_on',
    'u.org_admin',
    db.raw('EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.site_id = ?) AS has_role', [siteId]),
  );
export async function personAtSite(db: Db, userId: string, siteId: string): Promise<PersonForShift | undefined> {
  return personQuery(db, siteId).where('u.id', userId).first();
}

/** The organisation's person with this phone number (E.164), and whether they hold a role at the campus. */
export async function personByPhone(db: Db, organizationId: string, phone: string, siteId: string): Promise<PersonForShift | undefined> {
  return personQuery(db, siteId).where({ 'u.organization_id': organizationId, 'u.phone': phone }).first();
}
export const setPhone = (trx: Knex.Transaction, userId: string, phone: string | null) => trx('users').where({ id: userId }).update({ phone });

/** The service's open rooms, in their order: what a volunteer at a kiosk may choose. */
export function openRoomsOf(db: Db, serviceId: string): Promise<{ id: string; name: string }[]> {
  return db('service_rooms as sr')
    .join('rooms as r', 'r.id', 'sr.room_id')
    .select('r.id', 'r.name')
    .where({ 'sr.service_id': serviceId, 'sr.open': true, 'r.archived': false })
    .orderBy([{ column: 'r.sort_order' }, { column: 'r.name' }]);
}

/** Active people holding a role at the campus: who staff may check in as volunteers. */
export function candidatesAt(db: Db, siteId: string): Promise<PersonForShift[]> {
  return db('users as u')
    .join('user_roles as ur', 'ur.user_id', 'u.id')
    .select(
      'u.id',
      'u.name',
      'u.email',
      'u.organization_id',
      'u.deactivated_at',
      'u.background_check_status',
      'u.background_check_expires_on',
      'u.org_admin',
      'u.phone',
      db.raw('true AS has_role'),
    )
    .where('ur.site_id', siteId)
    .whereNull('u.deactivated_at')
    .orderBy([{ column: 'u.name' }, { column: 'u.email' }])
    .limit(500);
}

/** The organisation's setting (organizations.settings.requireBackgroundCheck), on unless turned off. */
export async function requiresBackgroundCheck(db: Db, organizationId: string): Promise<boolean> {
  const row = await db('organizations')
    .select(db.raw("coalesce((settings->>'requireBackgroundCheck')::boolean, true) AS required"))
    .where({ id: organizationId })
    .first();
  return row ? Boolean(row.required) : true;
}

export interface ReportShiftRow extends ShiftRow {
  service_name: string;
  service_date: string;
}
export function shiftsInRange(db: Db, siteId: string, from: string, to: string): Promise<ReportShiftRow[]> {
  return shifts(db)
    .join('services as s', 's.id', 'v.service_id')
    .select([...SHIFT, 's.name as service_name', 's.service_date'])
    .where('v.site_id', siteId)
    .whereBetween('s.service_date', [from, to])
    .orderBy([{ column: 's.service_date' }, { column: 's.starts_at' }, { column: 'r.sort_order' }, { column: 'v.checked_in_at' }])
    .limit(5000);
}

// ---- roll call and manual headcounts ----
export const checkinForRollCall = (
  db: Db,
  checkinId: string,
): Promise<{ id: string; site_id: string; service_id: string; room_id: string; status: 'checked_in' | 'checked_out' | 'cancelled' } | undefined> =>
  db('checkins').select('id', 'site_id', 'service_id', 'room_id', 'status').where({ id: checkinId }).first();
export async function markPresent(trx: Knex.Transaction, row: { checkin_id: string; site_id: string; marked_by: string }) {
  await trx.raw('INSERT INTO roll_calls (checkin_id, site_id, marked_by) VALUES (:checkin_id, :site_id, :marked_by) ON CONFLICT (checkin_id) DO NOTHING', row);
}
export const unmarkPresent = (trx: Knex.Transaction, checkinId: string) => trx('roll_calls').where({ checkin_id: checkinId }).delete();
/** A manual headcount; `recorded_by` is the user's id as stored, their name or email as read by latestHeadcount. */
export interface HeadcountRow {
  id: string;
  room_id: string;
  count: number;
  system_count: number;
  recorded_by: string | null;
  recorded_at: Date;
}
export async function insertHeadcount(
  trx: Knex.Transaction,
  row: { site_id: string; service_id: string; room_id: string; count: number; system_count: number; recorded_by: string; kind?: 'headcount' | 'roll_call' },
) {
  const [r] = await trx('room_headcounts').insert(row).returning(['id', 'room_id', 'count', 'system_count', 'recorded_by', 'recorded_at']);
  return r as HeadcountRow;
}
export async function rollCalls(db: Db, checkinIds: string[]): Promise<Map<string, Date>> {
  if (!checkinIds.length) return new Map();
  const rows = await db('roll_calls').select('checkin_id', 'marked_at').whereIn('checkin_id', checkinIds);
  return new Map(rows.map((r) => [r.checkin_id as string, r.marked_at as Date]));
}
export const latestHeadcount = (db: Db, serviceId: string, roomId: string): Promise<HeadcountRow | undefined> =>
  db('room_headcounts as h')
    .leftJoin('users as u', 'u.id', 'h.recorded_by')
    .select('h.id', 'h.room_id', 'h.count', 'h.system_count', 'h.recorded_at', db.raw('coalesce(u.name, u.email) AS recorded_by'))
    .where({ 'h.service_id': serviceId, 'h.room_id': roomId })
    .orderBy('h.recorded_at', 'desc')
    .first();

/** The children the system has in a room now (every service of the day: the physical room), and whether each was marked present. */
export async function childrenInRoom(
  db: Db,
  serviceId: string,
  roomId: string,
): Promise<{ id: string; first_name: string; last_name: string; marked: boolean }[]> {
  const r = await db.raw(
    `SELECT c.id, ch.first_name, ch.last_name, (rc.checkin_id IS NOT NULL) AS marked
       FROM checkins c JOIN children ch ON ch.id = c.child_id LEFT JOIN roll_calls rc ON rc.checkin_id = c.id
      WHERE c.room_id = :roomId AND c.status = 'checked_in' AND c.service_date = (SELECT service_date FROM services WHERE id = :serviceId)
      ORDER BY ch.first_name, ch.last_name, c.id`,
    { serviceId, roomId },
  );
  return r.rows;
}
