import type { Knex } from 'knex';
import { PRESENT_WITHIN_HOURS } from '../rollcall/emergency.repo';

type Db = Knex | Knex.Transaction;

export const roomOfSite = (db: Db, roomId: string, siteId: string): Promise<{ id: string; name: string } | undefined> =>
  db('rooms').select('id', 'name').where({ id: roomId, site_id: siteId }).first();
export const serviceOfSite = (db: Db, serviceId: string, siteId: string): Promise<{ id: string; name: string } | undefined> =>
  db('services').select('id', 'name').where({ id: serviceId, site_id: siteId }).first();

export interface RecipientRow {
  guardian_id: string;
  phone: string;
  language: string | null;
}
/**
 * Who a broadcast texts: the guardians who take texts (opted in, never STOP) of every household
 * with a child checked in and not yet picked up — of the service, or here now at the campus
 * (PRESENT_WITHIN_HOURS), in the room if one is named. One text per phone number, even when a
 * number belongs to two households.
 */
export async function recipients(db: Db, q: { siteId: string; serviceId: string | null; roomId: string | null }): Promise<RecipientRow[]> {
  const r = await db.raw(
    `SELECT DISTINCT ON (g.phone) g.id AS guardian_id, g.phone, h.language
       FROM checkins c
       JOIN children ch ON ch.id = c.child_id
       JOIN households h ON h.id = ch.household_id
       JOIN guardians g ON g.household_id = h.id AND g.sms_opt_in AND g.sms_opted_out_at IS NULL
      WHERE c.site_id = :siteId AND c.status = 'checked_in'
        AND (CASE WHEN CAST(:serviceId AS uuid) IS NULL THEN c.checked_in_at > now() - make_interval(hours => CAST(:hours AS int))
                  ELSE c.service_id = CAST(:serviceId AS uuid) END)
        AND (CAST(:roomId AS uuid) IS NULL OR c.room_id = CAST(:roomId AS uuid))
      ORDER BY g.phone, g.id`,
    { ...q, hours: PRESENT_WITHIN_HOURS },
  );
  return r.rows;
}

export async function insertBroadcast(
  trx: Knex.Transaction,
  row: { organization_id: string; site_id: string; service_id: string | null; room_id: string | null; message: string; recipients: number; created_by: string },
): Promise<string> {
  const [r] = await trx('broadcasts').insert(row).returning('id');
  return r.id;
}

export interface BroadcastRow {
  id: string;
  service_id: string | null;
  room_id: string | null;
  service_name: string | null;
  room_name: string | null;
  message: string;
  recipients: number;
  created_at: Date;
  created_by: string | null;
  waiting: number;
  sent: number;
  delivered: number;
  failed: number;
}
/** The campus's latest broadcasts with their texts counted by the outbox's statuses. */
export async function listBroadcasts(db: Db, siteId: string, limit = 50): Promise<BroadcastRow[]> {
  const r = await db.raw(
    `SELECT b.id, b.service_id, b.room_id, s.name AS service_name, r.name AS room_name, b.message, b.recipients, b.created_at,
            (SELECT coalesce(u.name, u.email) FROM users u WHERE u.id = b.created_by) AS created_by,
            count(n.id) FILTER (WHERE n.status IN ('pending', 'sending', 'queued'))::int AS waiting,
            count(n.id) FILTER (WHERE n.status IN ('sent', 'logged'))::int AS sent,
            count(n.id) FILTER (WHERE n.status = 'delivered')::int AS delivered,
            count(n.id) FILTER (WHERE n.status IN ('failed', 'undelivered'))::int AS failed
       FROM broadcasts b
       LEFT JOIN services s ON s.id = b.service_id
       LEFT JOIN rooms r ON r.id = b.room_id
       LEFT JOIN notifications n ON n.broadcast_id = b.id
      WHERE b.site_id = :siteId
      GROUP BY b.id, s.name, r.name
      ORDER BY b.created_at DESC, b.id
      LIMIT :limit`,
    { siteId, limit },
  );
  return r.rows;
}
