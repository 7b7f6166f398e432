/** The privacy area's own queries: the family's ids, its audit rows and the import files that mention it. */
import type { Knex } from 'knex';
import type { FamilyIds } from './family-tables';

type Db = Knex | Knex.Transaction;

export interface HouseholdRow {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  erased_at: Date | null;
}

export const lockHousehold = (trx: Knex.Transaction, id: string): Promise<HouseholdRow | undefined> =>
  trx('households').select('id', 'organization_id', 'site_id', 'name', 'erased_at').where({ id }).forUpdate().first();
export const findHousehold = (db: Db, id: string): Promise<HouseholdRow | undefined> =>
  db('households').select('id', 'organization_id', 'site_id', 'name', 'erased_at').where({ id }).first();

export async function familyIds(db: Db, h: { id: string; organization_id: string }): Promise<FamilyIds> {
  const { rows } = await db.raw(
    `SELECT
       ARRAY(SELECT id FROM guardians WHERE household_id = :id ORDER BY id) AS guardians,
       ARRAY(SELECT id FROM children WHERE household_id = :id ORDER BY id) AS children,
       ARRAY(SELECT id FROM checkin_batches WHERE household_id = :id ORDER BY id) AS batches,
       ARRAY(SELECT id FROM checkins WHERE household_id = :id ORDER BY id) AS checkins,
       ARRAY(SELECT id FROM precheckin_links WHERE household_id = :id ORDER BY id) AS links`,
    { id: h.id },
  );
  const r = rows[0];
  return {
    householdId: h.id,
    organizationId: h.organization_id,
    guardianIds: r.guardians,
    childIds: r.children,
    batchIds: r.batches,
    checkinIds: r.checkins,
    linkIds: r.links,
  };
}

/** The family's personal values, read before erasure (what must not be left anywhere after it). */
export async function personalValues(db: Db, householdId: string) {
  const { rows } = await db.raw(
    `SELECT 'person' AS kind, first_name AS a, last_name AS b FROM guardians WHERE household_id = :householdId
     UNION ALL SELECT 'phone', phone, NULL FROM guardians WHERE household_id = :householdId
     UNION ALL SELECT 'person', first_name, last_name FROM children WHERE household_id = :householdId
     UNION ALL SELECT 'note', allergies, medical_notes FROM children WHERE household_id = :householdId
     UNION ALL SELECT 'name', name, phone FROM authorized_pickups WHERE household_id = :householdId
     UNION ALL SELECT 'note', name, note FROM custody_alerts WHERE household_id = :householdId
     UNION ALL SELECT 'name', name, NULL FROM households WHERE id = :householdId
     UNION ALL SELECT 'name', picked_up_by, override_reason FROM checkins WHERE household_id = :householdId`,
    { householdId },
  );
  return rows as { kind: 'person' | 'phone' | 'note' | 'name'; a: string | null; b: string | null }[];
}

/**
 * Audit rows about the family, in its organisation: about one of its records, or naming one of
 * its ids in their details (a refusal, a merge, a checkout).
 */
export interface FamilyAuditRow {
  /** bigint, read as a number (db/knex.ts) */
  id: number;
  at: Date;
  site_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: unknown;
}
export function familyAuditRows(db: Db, f: FamilyIds): Promise<FamilyAuditRow[]> {
  const ids = [f.householdId, ...f.guardianIds, ...f.childIds, ...f.batchIds, ...f.checkinIds, ...f.linkIds];
  return db('audit_log')
    .select('id', 'at', 'site_id', 'actor_kind', 'actor_id', 'action', 'entity', 'entity_id', 'details')
    .where('organization_id', f.organizationId)
    .where((w) => {
      w.whereIn('entity_id', ids).orWhereRaw('details::text LIKE ANY(ARRAY[:patterns]::text[])', { patterns: ids.map((id) => `%${id}%`) });
    })
    .orderBy('id');
}

export const updateAuditDetails = (trx: Knex.Transaction, id: string | number, details: unknown) =>
  trx('audit_log')
    .where({ id })
    .update({ details: JSON.stringify(details) });

export const refusalsOfFamily = (db: Db, f: FamilyIds) =>
  Promise.all([
    db('checkin_batches').select('id', 'refused').where({ household_id: f.householdId }).whereNotNull('refused'),
    db('checkin_requests').select('id', 'refused').whereIn('batch_id', f.batchIds).whereNotNull('refused'),
  ]);
export const updateRefused = (trx: Knex.Transaction, table: 'checkin_batches' | 'checkin_requests', id: string, refused: unknown) =>
  trx(table)
    .where({ id })
    .update({ refused: JSON.stringify(refused) });

/** The organisation's kept import files and reports (they may hold the family among others). */
export const importJobsWithData = (db: Db, organizationId: string): Promise<{ id: string; source_text: string | null; problems: unknown }[]> =>
  db('import_jobs')
    .select('id', 'source_text', 'problems')
    .where({ organization_id: organizationId })
    .where((w) => w.whereNotNull('source_text').orWhereRaw("problems <> '[]'::jsonb"))
    .forUpdate();
export const updateImportJob = (trx: Knex.Transaction, id: string, patch: { source_text?: string | null; problems?: string }) =>
  trx('import_jobs').where({ id }).update(patch);

/** The organisation's webhook deliveries still holding a payload (queued or retrying: it is dropped once delivered or failed). */
export const webhookPayloads = (db: Db, organizationId: string): Promise<{ id: string; payload: unknown }[]> =>
  db('webhook_deliveries').select('id', 'payload').where({ organization_id: organizationId }).whereNotNull('payload').forUpdate();
export const updateWebhookPayload = (trx: Knex.Transaction, id: string, payload: unknown) =>
  trx('webhook_deliveries')
    .where({ id })
    .update({ payload: JSON.stringify(payload) });

/** The family has a child in a room now: erasing it would take the names staff need at pickup. */
export async function hasChildCheckedIn(db: Db, householdId: string): Promise<boolean> {
  return !!(await db('checkins').select('id').where({ household_id: householdId, status: 'checked_in' }).first());
}
