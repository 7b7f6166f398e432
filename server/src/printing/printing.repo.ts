import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface LabelBatchRow {
  id: string; site_id: string; kiosk_id: string | null; security_code: string | null; created_at: Date;
  service_date: string; service_name: string; timezone: string; settings: unknown; pass_id: string | null;
}

export function findBatch(db: Db, batchId: string): Promise<LabelBatchRow | undefined> {
  return db('checkin_batches as b').join('services as s', 's.id', 'b.service_id').join('sites as st', 'st.id', 'b.site_id')
    .leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .select('b.id', 'b.site_id', 'b.kiosk_id', 'b.security_code', 'b.created_at', 'b.service_date', 's.name as service_name',
      'st.timezone', 'st.settings', 'p.id as pass_id')
    .where('b.id', batchId).first();
}

export interface LabelChildRow { first_name: string; last_name: string; allergies: string; room_name: string }

/** The children of a batch still checked in (a child moved or checked out prints where they are now). */
export function batchChildren(db: Db, batchId: string): Promise<LabelChildRow[]> {
  return db('checkins as c').join('children as ch', 'ch.id', 'c.child_id').join('rooms as r', 'r.id', 'c.room_id')
    .select('ch.first_name', 'ch.last_name', 'ch.allergies', 'r.name as room_name')
    .where({ 'c.batch_id': batchId, 'c.status': 'checked_in' }).orderBy(['ch.first_name', 'c.id']);
}

export async function kioskPrinterHost(db: Db, kioskId: string): Promise<string | null> {
  const row = await db('kiosks').select('printer_host').where({ id: kioskId }).first();
  return (row?.printer_host as string | null | undefined) ?? null;
}

/** How many times this batch's labels were sent to a printer (each send is audited). */
export async function countPrints(db: Db, siteId: string, batchId: string): Promise<number> {
  const [row] = await db('audit_log').where({ site_id: siteId, entity: 'checkin_batch', entity_id: batchId, action: 'labels.print' }).count('* as n');
  return Number(row?.n ?? 0);
}

export const batchOfCheckin = async (db: Db, checkinId: string) =>
  (await db('checkins').select('batch_id', 'site_id').where({ id: checkinId }).first()) as { batch_id: string; site_id: string } | undefined;

export const kioskOfSite = (db: Db, kioskId: string, siteId: string) =>
  db('kiosks').select('id', 'name', 'printer_host').where({ id: kioskId, site_id: siteId }).whereNull('revoked_at').first();
