import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
/**
 * A child "here now" at a campus: checked in within this many hours and not picked up — not "on
 * today's date", which a service starting just after midnight (or a roll call at 23:50) would
 * split in two.
 */
export const PRESENT_WITHIN_HOURS = 18;
export interface EmergencyRow {
  id: string;
  site_id: string;
  message: string;
  started_at: Date;
  started_by: string | null;
  ended_at: Date | null;
  ended_by: string | null;
}
/** started_by / ended_by as read: the person's name (or email), not their id */
const SELECT = `SELECT e.id, e.site_id, e.message, e.started_at, e.ended_at,
    (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = e.started_by) AS started_by,
    (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = e.ended_by) AS ended_by
  FROM emergencies e`;

export async function findEmergency(db: Db, id: string): Promise<EmergencyRow | undefined> {
  return (await db.raw(`${SELECT} WHERE e.id = :id`, { id })).rows[0];
}
export async function runningAt(db: Db, siteId: string): Promise<EmergencyRow | undefined> {
  return (await db.raw(`${SELECT} WHERE e.site_id = :siteId AND e.ended_at IS NULL`, { siteId })).rows[0];
}

/** One running per campus: a second start (even at the same instant) inserts nothing (emergencies_one_running). */
export async function insertIfNoneRunning(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string; message: string; started_by: string },
): Promise<string | undefined> {
  const r = await trx.raw(
    `INSERT INTO emergencies (organization_id, site_id, message, started_by) VALUES (:organization_id, :site_id, :message, :started_by)
     ON CONFLICT (site_id, organization_id) WHERE ended_at IS NULL DO NOTHING RETURNING id`,
    row,
  );
  return r.rows[0]?.id;
}

/** Ends it once: false when it had already ended. */
export async function endEmergency(trx: Knex.Transaction, id: string, endedBy: string): Promise<boolean> {
  const r = await trx.raw(`UPDATE emergencies SET ended_at = now(), ended_by = :endedBy WHERE id = :id AND ended_at IS NULL RETURNING id`, { id, endedBy });
  return r.rows.length > 0;
}

export interface EmergencyChildRow {
  checkin_id: string;
  first_name: string;
  last_name: string;
  room_id: string;
  room_name: string;
  accounted_at: Date | null;
  accounted_by: string | null;
}
/**
 * The children of the emergency: every child here at the campus (PRESENT_WITHIN_HOURS) and not
 * picked up — live, so a child checked in since counts, and one picked up since is with the
 * family. Optionally only some rooms (a volunteer's).
 */
export async function emergencyChildren(db: Db, id: string, roomIds?: string[]): Promise<EmergencyChildRow[]> {
  const r = await db.raw(
    `SELECT c.id AS checkin_id, ch.first_name, ch.last_name, c.room_id, r.name AS room_name, a.marked_at AS accounted_at,
            (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = a.marked_by) AS accounted_by
       FROM emergencies e
       JOIN checkins c ON c.site_id = e.site_id AND c.status = 'checked_in'
        AND c.checked_in_at > e.started_at - make_interval(hours => CAST(:hours AS int))
       JOIN children ch ON ch.id = c.child_id
       JOIN rooms r ON r.id = c.room_id
       LEFT JOIN emergency_accounts a ON a.emergency_id = e.id AND a.checkin_id = c.id
      WHERE e.id = :id AND (CAST(:roomIds AS uuid[]) IS NULL OR c.room_id = ANY(CAST(:roomIds AS uuid[])))
      ORDER BY r.sort_order, r.name, ch.first_name, ch.last_name, c.id`,
    { id, roomIds: roomIds ?? null, hours: PRESENT_WITHIN_HOURS },
  );
  return r.rows;
}

/** A check-in of the emergency's campus, still in a room (the one a volunteer may account for). */
export async function checkinOfEmergency(db: Db, id: string, checkinId: string): Promise<{ id: string; room_id: string; service_id: string } | undefined> {
  const r = await db.raw(
    `SELECT c.id, c.room_id, c.service_id
       FROM emergencies e
       JOIN checkins c ON c.site_id = e.site_id AND c.status = 'checked_in'
        AND c.checked_in_at > e.started_at - make_interval(hours => CAST(:hours AS int))
      WHERE e.id = :id AND c.id = :checkinId`,
    { id, checkinId, hours: PRESENT_WITHIN_HOURS },
  );
  return r.rows[0];
}

export async function markAccounted(
  trx: Knex.Transaction,
  row: { emergency_id: string; checkin_id: string; organization_id: string; room_id: string; marked_by: string },
): Promise<boolean> {
  const r = await trx.raw(`${trx('emergency_accounts').insert(row).toQuery()} ON CONFLICT (emergency_id, checkin_id) DO NOTHING RETURNING checkin_id`);
  return r.rows.length > 0;
}

/** The rooms a person is checked in to as a volunteer now (a shift still open, begun within the window). */
export async function servingRoomsToday(db: Db, userId: string, siteId: string): Promise<Set<string>> {
  const r = await db.raw(
    `SELECT DISTINCT v.room_id FROM volunteer_shifts v
      WHERE v.user_id = :userId AND v.site_id = :siteId AND v.checked_out_at IS NULL
        AND v.checked_in_at > now() - make_interval(hours => CAST(:hours AS int))`,
    { userId, siteId, hours: PRESENT_WITHIN_HOURS },
  );
  return new Set(r.rows.map((x: { room_id: string }) => x.room_id));
}
