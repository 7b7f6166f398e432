import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export function findBatchByCode(db: Db, siteId: string, serviceId: string, code: string) {
  return (
    db('checkin_batches as b')
      .leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
      .select('b.id', 'b.site_id', 'b.service_id', 'b.household_id', 'b.security_code', 'p.id as pass_id')
      // a code is the family's for the whole day (every service), unique per site and day
      .where({ 'b.site_id': siteId, 'b.security_code': code })
      .where('b.service_date', db('services').select('service_date').where({ id: serviceId, site_id: siteId }))
      .first()
  );
}

export function batchChildren(db: Db, batchId: string) {
  return db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .leftJoin('users as u', 'u.id', 'c.checked_out_by')
    .leftJoin('kiosks as k', 'k.id', 'c.checked_out_kiosk_id')
    .select(
      'c.id',
      'c.child_id',
      'c.room_id',
      'c.status',
      'ch.first_name',
      'ch.last_name',
      'ch.allergies',
      'ch.allergy_severity',
      'ch.care_needs',
      'ch.medical_notes',
      'ch.birthdate',
      'ch.grade',
      'r.name as room_name',
      'c.checked_out_at',
      'c.picked_up_by',
      db.raw("coalesce(nullif(u.name, ''), u.email, 'kiosk ' || k.name) as verified_by"),
    )
    .where('c.batch_id', batchId)
    .orderBy(['ch.first_name', 'c.id']);
}

export const householdName = async (db: Db, id: string) => ((await db('households').select('name').where({ id }).first())?.name as string) ?? '';
export const authorizedPickups = (db: Db, householdId: string) =>
  db('authorized_pickups').select('id', 'name', 'relationship').where({ household_id: householdId }).orderBy(['name', 'id']);
export const guardians = (db: Db, householdId: string) =>
  db('guardians').select('id', 'first_name', 'last_name').where({ household_id: householdId }).orderBy(['first_name', 'id']);
export const custodyAlerts = (db: Db, householdId: string) =>
  db('custody_alerts').select('id', 'name', 'note', 'child_id').where({ household_id: householdId }).orderBy(['name', 'id']);

/** Locks the check-ins being checked out so two volunteers cannot check out the same child. */
export function lockCheckins(trx: Knex.Transaction, siteId: string, ids: string[]) {
  return trx('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.batch_id', 'c.service_id', 'c.room_id', 'c.status', 'c.household_id', 'ch.first_name')
    .where('c.site_id', siteId)
    .whereIn('c.id', ids)
    .orderBy('c.id')
    .forUpdate('c');
}

export interface Release {
  pickedUpBy: string;
  kind: 'guardian' | 'authorized_pickup' | 'typed';
  personId: string | null;
  userId: string | null;
  kioskId: string | null;
  overrideBy: string | null;
  overrideReason: string | null;
}
export const markCheckedOut = (trx: Knex.Transaction, ids: string[], r: Release) =>
  trx('checkins').whereIn('id', ids).where('status', 'checked_in').update({
    status: 'checked_out',
    checked_out_at: trx.fn.now(),
    picked_up_by: r.pickedUpBy,
    picked_up_kind: r.kind,
    picked_up_person_id: r.personId,
    checked_out_by: r.userId,
    checked_out_kiosk_id: r.kioskId,
    override_by: r.overrideBy,
    override_reason: r.overrideReason,
  });

/** Active staff and admins of a site (by their role there) who have set an override PIN (the PIN is checked against each hash). */
export const overridePinHolders = (db: Db, siteId: string) =>
  db('users as u')
    .join('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id', 'u.name', 'u.email', 'r.role', 'u.override_pin_hash')
    .where('r.site_id', siteId)
    .whereIn('r.role', ['staff', 'admin'])
    .whereNull('u.deactivated_at')
    .whereNotNull('u.override_pin_hash')
    .orderBy('u.id');

export const setOverridePin = (db: Db, userId: string, hash: string) => db('users').where({ id: userId }).update({ override_pin_hash: hash });

export async function remainingInBatch(trx: Knex.Transaction, batchId: string): Promise<number> {
  const r = await trx('checkins').count<{ n: number }[]>('* as n').where({ batch_id: batchId, status: 'checked_in' });
  return Number(r[0]?.n ?? 0);
}

export const revokePass = (trx: Knex.Transaction, batchId: string) =>
  trx('pickup_passes').where({ batch_id: batchId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });

/** A check-in to put back in its room after a mistaken checkout, locked. */
export function lockCheckinForUndo(trx: Knex.Transaction, checkinId: string) {
  return trx('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .select(
      'c.id',
      'c.site_id',
      'c.service_id',
      'c.room_id',
      'c.batch_id',
      'c.status',
      'c.checked_out_at',
      'c.picked_up_by',
      'c.checked_out_by',
      'c.checked_out_kiosk_id',
      'c.override_by',
      'ch.first_name',
      trx.raw('(c.checked_out_at > now() - make_interval(mins => ?)) AS undoable', [UNDO_MINUTES]),
    )
    .where('c.id', checkinId)
    .forUpdate('c')
    .first();
}
export const UNDO_MINUTES = 15;

export const markCheckedInAgain = (trx: Knex.Transaction, id: string) =>
  trx('checkins').where({ id, status: 'checked_out' }).update({
    status: 'checked_in',
    checked_out_at: null,
    picked_up_by: null,
    picked_up_kind: null,
    picked_up_person_id: null,
    checked_out_by: null,
    checked_out_kiosk_id: null,
    override_by: null,
    override_reason: null,
  });

/** The family's pass works again for a child put back (unless the service day has ended). */
export const reinstatePass = (trx: Knex.Transaction, batchId: string) =>
  trx('pickup_passes').where({ batch_id: batchId }).whereNotNull('revoked_at').where('expires_at', '>', trx.fn.now()).update({ revoked_at: null });
