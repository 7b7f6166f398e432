import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** Children of a service (optionally one room), checked in or (with `all`) also checked out. */
export function rosterRows(db: Db, serviceId: string, opts: { roomId?: string; status: 'checked_in' | 'all' }) {
  const q = db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
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
  return new Set(rows.map((r) => r.household_id as string));
}

/** The most recent page of each check-in: all its rows (one per guardian), newest first. */
export function latestPages(db: Db, checkinIds: string[]) {
  if (!checkinIds.length) return Promise.resolve([] as Record<string, any>[]);
  return db('notifications as n')
    .select('n.id', 'n.checkin_id', 'n.status', 'n.error', 'n.created_at', 'n.updated_at')
    .where('n.kind', 'page')
    .whereIn('n.checkin_id', checkinIds)
    .whereRaw("n.created_at = (SELECT max(m.created_at) FROM notifications m WHERE m.checkin_id = n.checkin_id AND m.kind = 'page')")
    .orderBy([{ column: 'n.created_at', order: 'desc' }, 'n.id']);
}

export const serviceHasRoom = async (db: Db, serviceId: string, roomId: string) =>
  !!(await db('service_rooms').select('room_id').where({ service_id: serviceId, room_id: roomId }).first());
