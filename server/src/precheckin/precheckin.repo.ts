/** Pre-check-in's SQL (one query per function). */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface LinkInsert {
  id: string;
  organization_id: string;
  site_id: string;
  household_id: string;
  token_hash: string;
  reason: 'scheduled' | 'staff' | 'pass';
  send_date?: string | null;
  expires_at: Date;
  created_by?: string | null;
}
export const insertLink = (trx: Knex.Transaction, row: LinkInsert) => trx('precheckin_links').insert(row);

/** The weekly links of a campus, one per family and send date; those another instance or an earlier run made are skipped. */
export async function insertWeeklyLinks(trx: Knex.Transaction, rows: LinkInsert[]): Promise<{ id: string; household_id: string }[]> {
  if (!rows.length) return [];
  return trx('precheckin_links')
    .insert(rows)
    .onConflict(trx.raw('(site_id, household_id, send_date, organization_id) WHERE send_date IS NOT NULL'))
    .ignore()
    .returning(['id', 'household_id']);
}

export interface LinkRow {
  id: string;
  organization_id: string;
  site_id: string;
  household_id: string;
  expires_at: Date;
  valid: boolean;
  household_name: string;
  language: string | null;
  site_name: string;
  timezone: string;
}
/** A link by its token hash, valid or not (the page explains an expired one). */
export function findLink(db: Db, tokenHash: string): Promise<LinkRow | undefined> {
  return db('precheckin_links as l')
    .join('households as h', 'h.id', 'l.household_id')
    .join('sites as st', 'st.id', 'l.site_id')
    .select(
      'l.id',
      'l.organization_id',
      'l.site_id',
      'l.household_id',
      'l.expires_at',
      'h.name as household_name',
      'h.language',
      'st.name as site_name',
      'st.timezone',
      db.raw('(l.expires_at > now()) AS valid'),
    )
    .where('l.token_hash', tokenHash)
    .first();
}

export interface ServiceRow {
  id: string;
  name: string;
  starts_at: Date;
  checkin_opens_at: Date;
  checkin_closes_at: Date;
}
/** The campus's services a parent may choose now: window not closed, starting within `days`. */
export function eligibleServices(db: Db, siteId: string, days: number): Promise<ServiceRow[]> {
  return db('services')
    .select('id', 'name', 'starts_at', 'checkin_opens_at', 'checkin_closes_at')
    .where({ site_id: siteId })
    .where('checkin_closes_at', '>', db.fn.now())
    .where('starts_at', '<=', db.raw(`now() + make_interval(days => ?)`, [days]))
    .orderBy(['starts_at', 'name', 'id'])
    .limit(20);
}

export const householdChildren = (db: Db, householdId: string): Promise<{ id: string; first_name: string }[]> =>
  db('children').select('id', 'first_name').where({ household_id: householdId }).orderBy(['birthdate', 'first_name', 'id']);

export interface PendingRow {
  id: string;
  service_id: string;
  child_ids: string[];
}
export const pendingOf = (db: Db, siteId: string, householdId: string): Promise<PendingRow[]> =>
  db('precheckins').select('id', 'service_id', 'child_ids').where({ site_id: siteId, household_id: householdId }).whereNull('used_at');

/** Serialises a family's submits (two phones, a double tap). */
export const lockHousehold = (trx: Knex.Transaction, householdId: string): Promise<{ id: string } | undefined> =>
  trx('households').select('id').where({ id: householdId }).forUpdate().first();

export async function upsertPending(
  trx: Knex.Transaction,
  row: { site_id: string; household_id: string; service_id: string; link_id: string; child_ids: string[] },
) {
  await trx.raw(
    `INSERT INTO precheckins (site_id, household_id, service_id, link_id, child_ids)
     VALUES (:site_id, :household_id, :service_id, :link_id, :child_ids::uuid[])
     ON CONFLICT (household_id, service_id, organization_id) WHERE used_at IS NULL
     DO UPDATE SET child_ids = EXCLUDED.child_ids, link_id = EXCLUDED.link_id, updated_at = now()`,
    row,
  );
}
export const deletePending = (trx: Knex.Transaction, siteId: string, householdId: string, serviceIds: string[]) =>
  serviceIds.length
    ? trx('precheckins').where({ site_id: siteId, household_id: householdId }).whereIn('service_id', serviceIds).whereNull('used_at').del()
    : Promise.resolve(0);

/** Pending pre-check-ins of these families for the campus's services open for check-in now (the kiosk's look-up). */
export function pendingOpenNow(db: Db, siteId: string, householdIds: string[]): Promise<(PendingRow & { household_id: string })[]> {
  if (!householdIds.length) return Promise.resolve([]);
  return db('precheckins as p')
    .join('services as s', 's.id', 'p.service_id')
    .select('p.id', 'p.household_id', 'p.service_id', 'p.child_ids')
    .where('p.site_id', siteId)
    .whereIn('p.household_id', householdIds)
    .whereNull('p.used_at')
    .where('s.checkin_opens_at', '<=', db.fn.now())
    .where('s.checkin_closes_at', '>', db.fn.now())
    .orderBy('s.starts_at');
}

/** The check-in carried them out: used once, with its batch. */
export const markUsed = (trx: Knex.Transaction, m: { ids: string[]; siteId: string; householdId: string; serviceIds: string[]; batchId: string }) =>
  trx('precheckins')
    .whereIn('id', m.ids)
    .where({ site_id: m.siteId, household_id: m.householdId })
    .whereIn('service_id', m.serviceIds)
    .whereNull('used_at')
    .update({ used_at: trx.fn.now(), batch_id: m.batchId });

/** Sites with the weekly text switched on. */
export async function sitesWithPrecheckinSms(db: Db): Promise<{ id: string; organization_id: string; name: string; timezone: string; settings: unknown }[]> {
  return db('sites')
    .select('id', 'organization_id', 'name', 'timezone', 'settings')
    .whereRaw("settings->'preCheckinSms' IS NOT NULL AND settings->>'preCheckinSms' <> 'null'");
}

/**
 * Families who checked in at the campus since `since` (a campus date) with a guardian who may be
 * texted now: opted in, and that phone never sent STOP (on any family).
 */
export async function recentTextableGuardians(
  db: Db,
  siteId: string,
  since: string,
): Promise<{ household_id: string; guardian_id: string; phone: string; language: string | null }[]> {
  const { rows } = await db.raw(
    `SELECT g.household_id, g.id AS guardian_id, g.phone, h.language
       FROM guardians g JOIN households h ON h.id = g.household_id
      WHERE g.household_id IN (SELECT DISTINCT household_id FROM checkins WHERE site_id = :siteId AND service_date >= :since)
        AND g.sms_opt_in AND g.sms_opted_out_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM guardians o WHERE o.phone = g.phone AND o.sms_opted_out_at IS NOT NULL)
      ORDER BY g.household_id, g.id`,
    { siteId, since },
  );
  return rows;
}

export async function textableGuardians(db: Db, householdId: string): Promise<{ guardian_id: string; phone: string; language: string | null }[]> {
  const { rows } = await db.raw(
    `SELECT g.id AS guardian_id, g.phone, h.language FROM guardians g JOIN households h ON h.id = g.household_id
      WHERE g.household_id = :householdId AND g.sms_opt_in AND g.sms_opted_out_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM guardians o WHERE o.phone = g.phone AND o.sms_opted_out_at IS NOT NULL)
      ORDER BY g.id`,
    { householdId },
  );
  return rows;
}

export const siteName = (db: Knex | Knex.Transaction, siteId: string): Promise<{ name: string } | undefined> =>
  db('sites').select('name').where({ id: siteId }).first();
