import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** A roster line as read: the check-in, its room's name and the child. */
export interface RosterRow {
  id: string;
  child_id: string;
  household_id: string;
  room_id: string;
  room_name: string;
  security_code: string;
  status: 'checked_in' | 'checked_out' | 'cancelled';
  checked_in_at: Date;
  checked_out_at: Date | null;
  picked_up_by: string | null;
  first_name: string;
  last_name: string;
  /** a `date`: YYYY-MM-DD (db/knex.ts keeps dates as text) */
  birthdate: string | null;
  grade: number | null;
  allergies: string | null;
  medical_notes: string | null;
  allergy_severity: string | null;
  care_needs: string[] | null;
  /** the adult of the family who dropped the child off (DESIGN §16) */
  dropped_off_by_name: string | null;
}
/** One guardian's row of a page (the latest page of a check-in). */
export interface PageRow {
  id: string;
  checkin_id: string;
  status: string;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Children of a service (optionally one room), checked in or (with `all`) also checked out. */
export function rosterRows(db: Db, serviceId: string, opts: { roomId?: string; status: 'checked_in' | 'all' }): Promise<RosterRow[]> {
  const q = db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .leftJoin('checkin_requests as q', 'q.id', 'c.request_id')
    .leftJoin('guardians as dg', 'dg.id', 'q.dropped_off_by')
    .select(
      'c.id',
      'c.child_id',
      'c.household_id',
      'c.room_id',
      'r.name as room_name',
      'c.security_code',
      'c.status',
      'c.checked_in_at',
      'c.checked_out_at',
      'c.picked_up_by',
      'ch.first_name',
      'ch.last_name',
      'ch.birthdate',
      'ch.grade',
      'ch.allergies',
      'ch.medical_notes',
      'ch.allergy_severity',
      'ch.care_needs',
      db.raw("trim(dg.first_name || ' ' || dg.last_name) AS dropped_off_by_name"),
    )
    .where('c.service_id', serviceId)
    .orderBy([{ column: 'c.status', order: 'desc' }, 'ch.first_name', 'ch.last_name', 'c.id']);
  if (opts.roomId) q.where('c.room_id', opts.roomId);
  if (opts.status === 'checked_in') q.where('c.status', 'checked_in');
  else q.whereNot('c.status', 'cancelled');
  return q;
}

export async function householdsWithCustodyAlerts(db: Db, householdIds: string[]): Promise<Set<string>> {
  if (!householdIds.length) return new Set();
  const rows = await db('custody_alerts').distinct('household_id').whereIn('household_id', householdIds);
  return new Set(rows.map((r: { household_id: string }) => r.household_id));
}

/** The most recent page of each check-in: all its rows (one per guardian), newest first. */
export async function latestPages(db: Db, checkinIds: string[]): Promise<PageRow[]> {
  if (!checkinIds.length) return [];
  return db('notifications as n')
    .select('n.id', 'n.checkin_id', 'n.status', 'n.error', 'n.created_at', 'n.updated_at')
    .where('n.kind', 'page')
    .whereIn('n.checkin_id', checkinIds)
    .whereRaw("n.created_at = (SELECT max(m.created_at) FROM notifications m WHERE m.checkin_id = n.checkin_id AND m.kind = 'page')")
    .orderBy([{ column: 'n.created_at', order: 'desc' }, 'n.id']);
}

export const serviceHasRoom = async (db: Db, serviceId: string, roomId: string) =>
  !!(await db('service_rooms').select('room_id').where({ service_id: serviceId, room_id: roomId }).first());

/** A check-in with its child's medical note (for the audited opening). */
export interface CheckinNoteRow {
  id: string;
  site_id: string;
  service_id: string;
  room_id: string;
  child_id: string;
  first_name: string;
  medical_notes: string | null;
}
export const checkinWithNote = (db: Db, checkinId: string): Promise<CheckinNoteRow | undefined> =>
  db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.site_id', 'c.service_id', 'c.room_id', 'c.child_id', 'ch.first_name', 'ch.medical_notes')
    .where('c.id', checkinId)
    .first();
