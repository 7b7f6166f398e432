import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
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
 * The children of the emergency: every child checked in at the campus on the emergency's day (in
 * the campus's time zone) and not picked up — live, so a child checked in since counts, and one
 * picked up since is with the family. Optionally only some rooms (a volunteer's).
 */
export async function emergencyChildren(db: Db, id: string, roomIds?: string[]): Promise<EmergencyChildRow[]> {
  const r = await db.raw(
    `SELECT c.id AS checkin_id, ch.first_name, ch.last_name, c.room_id, r.name AS room_name, a.marked_at AS accounted_at,
            (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = a.marked_by) AS accounted_by
       FROM emergencies e
       JOIN sites st ON st.id = e.site_id
       JOIN checkins c ON c.site_id = e.site_id AND c.status = 'checked_in' AND c.service_date = (e.started_at AT TIME ZONE st.timezone)::date
       JOIN children ch ON ch.id = c.child_id
       JOIN rooms r ON r.id = c.room_id
       LEFT JOIN emergency_accounts a ON a.emergency_id = e.id AND a.checkin_id = c.id
      WHERE e.id = :id AND (CAST(:roomIds AS uuid[]) IS NULL OR c.room_id = ANY(CAST(:roomIds AS uuid[])))
      ORDER BY r.sort_order, r.name, ch.first_name, ch.last_name, c.id`,
    { id, roomIds: roomIds ?? null },
  );
  return r.rows;
}

/** A check-in of the emergency's campus and day, still in a room (the one a volunteer may account for). */
export async function checkinOfEmergency(db: Db, id: string, checkinId: string): Promise<{ id: string; room_id: string; service_id: string } | undefined> {
  const r = await db.raw(
    `SELECT c.id, c.room_id, c.service_id
       FROM emergencies e JOIN sites st ON st.id = e.site_id
       JOIN checkins c ON c.site_id = e.site_id AND c.status = 'checked_in' AND c.service_date = (e.started_at AT TIME ZONE st.timezone)::date
      WHERE e.id = :id AND c.id = :checkinId`,
    { id, checkinId },
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

/** The rooms a person is checked in to as a volunteer now, on the day of the emergency. */
export async function servingRoomsToday(db: Db, userId: string, siteId: string): Promise<Set<string>> {
  const r = await db.raw(
    `SELECT DISTINCT v.room_id FROM volunteer_shifts v JOIN services s ON s.id = v.service_id JOIN sites st ON st.id = s.site_id
      WHERE v.user_id = :userId AND v.site_id = :siteId AND v.checked_out_at IS NULL
        AND s.service_date = (now() AT TIME ZONE st.timezone)::date`,
    { userId, siteId },
  );
  return new Set(r.rows.map((x: { room_id: string }) => x.room_id));
}
