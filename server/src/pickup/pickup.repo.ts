import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export function findBatchByTokenHash(db: Db, tokenHash: string) {
  return db('pickup_passes as p').join('checkin_batches as b', 'b.id', 'p.batch_id')
    .select('b.id', 'b.site_id', 'b.service_id', 'b.household_id', 'b.security_code', 'p.id as pass_id')
    .where('p.token_hash', tokenHash).whereNull('p.revoked_at').where('p.expires_at', '>', db.fn.now()).first();
}

export function findBatchByCode(db: Db, siteId: string, serviceId: string, code: string) {
  return db('checkin_batches as b').leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .select('b.id', 'b.site_id', 'b.service_id', 'b.household_id', 'b.security_code', 'p.id as pass_id')
    // a code is the family's for the whole day (every service), unique per site and day
    .where({ 'b.site_id': siteId, 'b.security_code': code })
    .where('b.service_date', db('services').select('service_date').where({ id: serviceId, site_id: siteId })).first();
}

export function batchChildren(db: Db, batchId: string) {
  return db('checkins as c').join('children as ch', 'ch.id', 'c.child_id').join('rooms as r', 'r.id', 'c.room_id')
    .select('c.id', 'c.child_id', 'c.room_id', 'c.status', 'ch.first_name', 'ch.last_name', 'ch.allergies', 'ch.medical_notes', 'ch.birthdate', 'ch.grade', 'r.name as room_name')
    .where('c.batch_id', batchId).orderBy(['ch.first_name', 'c.id']);
}

export const householdName = async (db: Db, id: string) => (await db('households').select('name').where({ id }).first())?.name as string ?? '';
export const authorizedPickups = (db: Db, householdId: string) => db('authorized_pickups').select('name', 'relationship').where({ household_id: householdId }).orderBy('name');
export const guardians = (db: Db, householdId: string) => db('guardians').select('first_name', 'last_name').where({ household_id: householdId }).orderBy('first_name');
export const custodyAlerts = (db: Db, householdId: string) => db('custody_alerts').select('name', 'note', 'child_id').where({ household_id: householdId }).orderBy('name');

/** Locks the check-ins being checked out so two volunteers cannot check out the same child. */
export function lockCheckins(trx: Knex.Transaction, siteId: string, ids: string[]) {
  return trx('checkins as c').join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.batch_id', 'c.service_id', 'c.room_id', 'c.status', 'c.household_id', 'ch.first_name')
    .where('c.site_id', siteId).whereIn('c.id', ids).orderBy('c.id').forUpdate('c');
}

export const markCheckedOut = (trx: Knex.Transaction, ids: string[], pickedUpBy: string, userId: string | null) =>
  trx('checkins').whereIn('id', ids).update({ status: 'checked_out', checked_out_at: trx.fn.now(), picked_up_by: pickedUpBy, checked_out_by: userId });

export async function remainingInBatch(trx: Knex.Transaction, batchId: string): Promise<number> {
  const r = await trx('checkins').count<{ n: number }[]>('* as n').where({ batch_id: batchId, status: 'checked_in' });
  return Number(r[0]?.n ?? 0);
}

export const revokePass = (trx: Knex.Transaction, batchId: string) =>
  trx('pickup_passes').where({ batch_id: batchId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
