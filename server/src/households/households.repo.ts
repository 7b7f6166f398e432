import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
const LOOKUP_LIMIT = 20;

/** Household ids at a site whose guardian phone ends in `last4` (uses guardians_phone_last4_index). */
export async function householdIdsByLast4(db: Db, siteId: string, last4: string): Promise<string[]> {
  const rows = await db('guardians as g').join('households as h', 'h.id', 'g.household_id').distinct('h.id', 'h.name')
    .where('g.phone_last4', last4).where('h.site_id', siteId).orderBy('h.name').limit(LOOKUP_LIMIT);
  return rows.map((r) => r.id);
}

export async function householdIdsByPhone(db: Db, siteId: string, phone: string): Promise<string[]> {
  const rows = await db('guardians as g').join('households as h', 'h.id', 'g.household_id').distinct('h.id', 'h.name')
    .where('g.phone', phone).where('h.site_id', siteId).orderBy('h.name').limit(LOOKUP_LIMIT);
  return rows.map((r) => r.id);
}

export async function loadHouseholds(db: Db, ids: string[], serviceId?: string) {
  if (!ids.length) return { households: [], guardians: [], children: [], checkedIn: new Set<string>() };
  const [households, guardians, children] = await Promise.all([
    db('households').select('id', 'name', 'site_id').whereIn('id', ids).orderBy('name'),
    db('guardians').select('id', 'household_id', 'first_name', 'last_name', 'phone', 'sms_opt_in', 'sms_opted_out_at').whereIn('household_id', ids).orderBy('first_name'),
    db('children').select('id', 'household_id', 'first_name', 'last_name', 'birthdate', 'grade', 'allergies', 'medical_notes').whereIn('household_id', ids).orderBy(['birthdate', 'first_name']),
  ]);
  const q = db('checkins').select('child_id').where('status', 'checked_in').whereIn('household_id', ids);
  if (serviceId) q.where('service_id', serviceId);
  const checkedIn = new Set((await q).map((r) => r.child_id as string));
  return { households, guardians, children, checkedIn };
}

/** Inserts the household; with a key already used at this site, returns undefined instead. */
export async function insertHousehold(trx: Knex.Transaction, siteId: string, name: string, idempotencyKey?: string): Promise<string | undefined> {
  const q = trx('households').insert({ site_id: siteId, name, idempotency_key: idempotencyKey ?? null }).toQuery();
  const r = await trx.raw(`${q} ON CONFLICT (site_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`);
  return r.rows[0]?.id;
}

export async function householdIdByKey(db: Db, siteId: string, idempotencyKey: string): Promise<string | undefined> {
  return (await db('households').select('id').where({ site_id: siteId, idempotency_key: idempotencyKey }).first())?.id;
}
export const insertGuardians = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => trx('guardians').insert(rows).returning('id');
export const insertChildren = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => trx('children').insert(rows).returning('id');
export const insertAuthorizedPickups = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => (rows.length ? trx('authorized_pickups').insert(rows) : Promise.resolve());
export const insertCustodyAlerts = (trx: Knex.Transaction, rows: Record<string, unknown>[]) => (rows.length ? trx('custody_alerts').insert(rows) : Promise.resolve());
