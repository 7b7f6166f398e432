import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface BatchRow { id: string; site_id: string; service_id: string; household_id: string; security_code: string | null; idempotency_key: string; refused: any[]; pass_id: string | null }

export async function findBatchByKey(db: Db, siteId: string, key: string): Promise<BatchRow | undefined> {
  return db('checkin_batches as b').leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .select('b.id', 'b.site_id', 'b.service_id', 'b.household_id', 'b.security_code', 'b.idempotency_key', 'b.refused', 'p.id as pass_id')
    .where({ 'b.site_id': siteId, 'b.idempotency_key': key }).first();
}

/** Inserts the batch unless its key or its code is taken; undefined means a conflict. */
export async function tryInsertBatch(trx: Knex.Transaction, row: {
  site_id: string; service_id: string; household_id: string; service_date: string; security_code: string;
  idempotency_key: string; kiosk_id: string | null; user_id: string | null;
}): Promise<string | undefined> {
  const r = await trx.raw(`${trx('checkin_batches').insert(row).toQuery()} ON CONFLICT DO NOTHING RETURNING id`);
  return r.rows[0]?.id;
}

export const updateBatch = (trx: Knex.Transaction, id: string, patch: { refused?: string; security_code?: string | null }) =>
  trx('checkin_batches').where({ id }).update(patch);

export function householdChildren(db: Db, householdId: string, childIds: string[]) {
  return db('children').select('id', 'first_name', 'last_name', 'birthdate', 'grade', 'allergies')
    .where({ household_id: householdId }).whereIn('id', childIds);
}

export function findHousehold(db: Db, householdId: string) {
  return db('households').select('id', 'site_id', 'name').where({ id: householdId }).first();
}

export async function childrenCheckedIn(db: Db, serviceId: string, childIds: string[]): Promise<Set<string>> {
  const rows = await db('checkins').select('child_id').where({ service_id: serviceId, status: 'checked_in' }).whereIn('child_id', childIds);
  return new Set(rows.map((r) => r.child_id));
}

/** Inserts check-ins; a child already checked in by a concurrent kiosk is skipped, not an error. */
export async function insertCheckins(trx: Knex.Transaction, rows: Record<string, unknown>[]): Promise<{ id: string; child_id: string; room_id: string }[]> {
  if (rows.length === 0) return [];
  const q = trx('checkins').insert(rows).toQuery();
  const r = await trx.raw(`${q} ON CONFLICT (child_id, service_id) WHERE status = 'checked_in' DO NOTHING RETURNING id, child_id, room_id`);
  return r.rows;
}

export async function insertPass(trx: Knex.Transaction, batchId: string, tokenHashOf: (passId: string) => string, tz: string, serviceDate: string): Promise<string> {
  const passId = (await trx.raw('SELECT gen_random_uuid() AS id')).rows[0].id as string;
  // expires at the end of the service day in the site's timezone
  await trx('pickup_passes').insert({
    id: passId, batch_id: batchId, token_hash: tokenHashOf(passId),
    expires_at: trx.raw(`((?::date + 1)::timestamp AT TIME ZONE ?)`, [serviceDate, tz]),
  });
  return passId;
}

export function batchCheckins(db: Db, batchId: string) {
  return db('checkins as c').join('rooms as r', 'r.id', 'c.room_id').join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.child_id', 'c.room_id', 'r.name as room_name', 'ch.first_name', 'ch.last_name', 'c.status', 'c.checked_in_at')
    .where('c.batch_id', batchId).orderBy(['ch.first_name', 'c.id']);
}
