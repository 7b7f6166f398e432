import type { Knex } from 'knex';
import type { NotificationRow } from './dispatch.repo';

type Db = Knex | Knex.Transaction;

/** A check-in as a page reads it: its ids, where it stands, the child's first name and the room's name. */
export interface PagedCheckinRow {
  id: string;
  site_id: string;
  service_id: string;
  household_id: string;
  child_id: string;
  batch_id: string;
  status: 'checked_in' | 'checked_out' | 'cancelled';
  first_name: string;
  room_name: string;
}

/** The check-in being paged, locked so two pages for one child are counted one after the other. */
export function lockCheckin(trx: Knex.Transaction, checkinId: string): Promise<PagedCheckinRow | undefined> {
  return trx('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .select('c.id', 'c.site_id', 'c.service_id', 'c.household_id', 'c.child_id', 'c.batch_id', 'c.status', 'ch.first_name', 'r.name as room_name')
    .where('c.id', checkinId)
    .forUpdate('c')
    .first();
}

/** Pages for a child in the last hour, counted from the audit trail (one row per page). */
export async function pagesInLastHour(db: Db, siteId: string, childId: string): Promise<number> {
  const r = await db('audit_log')
    .count<{ n: number }[]>('* as n')
    .where({ site_id: siteId, action: 'checkin.page' })
    .where('at', '>', db.raw(`now() - interval '1 hour'`))
    .whereRaw(`details->>'childId' = ?`, [childId]);
  return Number(r[0]?.n ?? 0);
}

export function findCheckin(db: Db, checkinId: string): Promise<{ id: string; site_id: string; batch_id: string; security_code: string } | undefined> {
  return db('checkins').select('id', 'site_id', 'batch_id', 'security_code').where({ id: checkinId }).first();
}

export function notificationsByIds(db: Db, ids: string[]): Promise<NotificationRow[]> {
  return db('notifications').select('*').whereIn('id', ids).orderBy('created_at');
}

/** A check-in's pages plus its batch's receipt and checkout texts, newest first. */
export function notificationsForCheckin(db: Db, checkinId: string, batchId: string): Promise<NotificationRow[]> {
  return db('notifications')
    .select('*')
    .where((q) => q.where({ checkin_id: checkinId }).orWhere((w) => w.where({ batch_id: batchId }).whereNull('checkin_id')))
    .orderBy('created_at', 'desc')
    .limit(100);
}
