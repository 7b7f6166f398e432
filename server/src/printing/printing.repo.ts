import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface LabelBatchRow {
  id: string;
  site_id: string;
  kiosk_id: string | null;
  security_code: string | null;
  created_at: Date;
  service_date: string;
  service_name: string;
  timezone: string;
  settings: unknown;
  /** the organisation's defaults under the campus's settings */
  org_settings: unknown;
  pass_id: string | null;
  /** the family's language (labels in it) */
  language: string | null;
  /** the adult who brought the children (DESIGN §16), else the family's first guardian: the labels' parent name */
  parent_name: string | null;
}

const fullName = (g: string) => `${g}.first_name || ' ' || ${g}.last_name`;
/** The family's first guardian (as the pickup list orders them), when no drop-off was recorded. */
const FIRST_GUARDIAN = `(SELECT ${fullName('g')} FROM guardians g WHERE g.household_id = b.household_id ORDER BY g.first_name, g.id LIMIT 1)`;
/** The adult who dropped off with this request, else the first guardian. */
const REQUEST_PARENT = `COALESCE((SELECT ${fullName('g')} FROM guardians g WHERE g.id = q.dropped_off_by), ${FIRST_GUARDIAN}) AS parent_name`;
/** The adult of the family's latest drop-off of the day that recorded one, else the first guardian. */
const BATCH_PARENT = `COALESCE((SELECT ${fullName('g')} FROM checkin_requests rq JOIN guardians g ON g.id = rq.dropped_off_by
   WHERE rq.batch_id = b.id ORDER BY rq.created_at DESC LIMIT 1), ${FIRST_GUARDIAN}) AS parent_name`;

/**
 * One check-in request with its family batch (code, pass): by its id, or — for a kiosk that names
 * the family's batch — that kiosk's latest request into the batch.
 */
export function findRequest(
  db: Db,
  by: { requestId?: string; batchId?: string; kioskId: string },
): Promise<(LabelBatchRow & { request_id: string }) | undefined> {
  const q = db('checkin_requests as q')
    .join('checkin_batches as b', 'b.id', 'q.batch_id')
    .join('services as s', 's.id', 'b.service_id')
    .join('sites as st', 'st.id', 'b.site_id')
    .join('organizations as o', 'o.id', 'st.organization_id')
    .leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .join('households as h', 'h.id', 'b.household_id')
    .select(
      'b.id',
      'q.id as request_id',
      'b.site_id',
      'q.kiosk_id',
      'b.security_code',
      'q.created_at',
      'b.service_date',
      's.name as service_name',
      'st.timezone',
      'st.settings',
      'o.settings as org_settings',
      'p.id as pass_id',
      'h.language',
      db.raw(REQUEST_PARENT),
    );
  if (by.requestId) q.where('q.id', by.requestId);
  else q.where('q.batch_id', by.batchId!).orderByRaw('q.kiosk_id = ? DESC, q.created_at DESC', [by.kioskId]);
  return q.first();
}

/** The family's batch for the day (code, pass) with its first service. */
export function findBatch(db: Db, batchId: string): Promise<LabelBatchRow | undefined> {
  return db('checkin_batches as b')
    .join('services as s', 's.id', 'b.service_id')
    .join('sites as st', 'st.id', 'b.site_id')
    .join('organizations as o', 'o.id', 'st.organization_id')
    .leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .join('households as h', 'h.id', 'b.household_id')
    .select(
      'b.id',
      'b.site_id',
      'b.kiosk_id',
      'b.security_code',
      'b.created_at',
      'b.service_date',
      's.name as service_name',
      'st.timezone',
      'st.settings',
      'o.settings as org_settings',
      'p.id as pass_id',
      'h.language',
      db.raw(BATCH_PARENT),
    )
    .where('b.id', batchId)
    .first();
}

export interface LabelChildRow {
  child_id: string;
  first_name: string;
  last_name: string;
  allergies: string;
  allergy_severity: string | null;
  medical: boolean;
  room_name: string;
  service_name: string;
  starts_at: Date;
}

/** a medical note exists: the label carries a marker, never the note */
const MEDICAL = "(ch.medical_notes <> '') as medical";

/**
 * The children still checked in, one row per service (a child moved or checked out prints where
 * they are now): of one request (the kiosk's labels right after it), or of the family's whole day
 * (a reprint of the family's labels).
 */
function childrenStillIn(db: Db, where: { 'c.request_id': string } | { 'c.batch_id': string }): Promise<LabelChildRow[]> {
  return db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .join('services as s', 's.id', 'c.service_id')
    .select(
      'c.child_id',
      'ch.first_name',
      'ch.last_name',
      'ch.allergies',
      'ch.allergy_severity',
      db.raw(MEDICAL),
      'r.name as room_name',
      's.name as service_name',
      's.starts_at',
    )
    .where({ ...where, 'c.status': 'checked_in' })
    .orderBy(['ch.first_name', 'c.child_id', 's.starts_at']);
}
export const batchChildren = (db: Db, batchId: string) => childrenStillIn(db, { 'c.batch_id': batchId });
export const requestChildren = (db: Db, requestId: string) => childrenStillIn(db, { 'c.request_id': requestId });

/** How many times this request's labels were sent to a printer (each send is audited). */
export async function countPrints(db: Db, siteId: string, requestId: string): Promise<number> {
  const [row] = await db('audit_log').where({ site_id: siteId, entity: 'checkin_request', entity_id: requestId, action: 'labels.print' }).count('* as n');
  return Number(row?.n ?? 0);
}

export const batchOfCheckin = async (db: Db, checkinId: string) =>
  (await db('checkins').select('batch_id', 'site_id').where({ id: checkinId }).first()) as { batch_id: string; site_id: string } | undefined;

export const kioskOfSite = (db: Db, kioskId: string, siteId: string) =>
  db('kiosks').select('id', 'name').where({ id: kioskId, site_id: siteId }).whereNull('revoked_at').first() as Promise<
    { id: string; name: string } | undefined
  >;

export interface KioskPrinterRow {
  id: string;
  name: string;
  printer_id: string;
  printer_name: string;
  address: string;
  health: string;
  last_ok: boolean | null;
  last_at: Date | null;
  last_error: string | null;
}
/** The site's check-in kiosks that have a network label printer, with it. */
export const listPrinters = (db: Db, siteId: string): Promise<KioskPrinterRow[]> =>
  db('kiosks as k')
    .join('printers as p', 'p.id', 'k.printer_id')
    .select('k.id', 'k.name', 'p.id as printer_id', 'p.name as printer_name', 'p.address', 'p.health', 'p.last_ok', 'p.last_at', 'p.last_error')
    .where({ 'k.site_id': siteId, 'k.mode': 'checkin', 'p.type': 'zebra' })
    .whereNull('k.revoked_at')
    .whereNotNull('p.address')
    .orderBy(['k.name', 'k.id']);

/** The family's day at this campus on the service's date (the batch holding its code and pass). */
export async function familyBatchForService(db: Db, siteId: string, householdId: string, serviceId: string): Promise<string | undefined> {
  const { rows } = await db.raw<{ rows: { id: string }[] }>(
    `SELECT b.id FROM checkin_batches b JOIN services s ON s.id = :serviceId AND s.site_id = :siteId
     WHERE b.site_id = :siteId AND b.household_id = :householdId AND b.service_date = s.service_date AND b.family_day`,
    { siteId, householdId, serviceId },
  );
  return rows[0]?.id;
}

/** How many times a family reprinted its own labels at a kiosk (each reprint is audited). */
export async function countFamilyReprints(db: Db, batchId: string): Promise<number> {
  const [row] = await db('audit_log').where({ entity: 'checkin_batch', entity_id: batchId, action: 'labels.family_reprint' }).count('* as n');
  return Number(row?.n ?? 0);
}
