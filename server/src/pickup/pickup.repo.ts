import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
type CheckinStatus = 'checked_in' | 'checked_out' | 'cancelled';

/** A family's check-in of the day found by its code (so `security_code` is that code), with its pass if it has one. */
export interface CodeBatchRow {
  id: string;
  site_id: string;
  service_id: string;
  household_id: string;
  security_code: string;
  pass_id: string | null;
}
export function findBatchByCode(db: Db, siteId: string, serviceId: string, code: string): Promise<CodeBatchRow | undefined> {
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

/** A child of the batch as the door sees it: the check-in, the child's care facts, the room, who took them and who let them go. */
export interface BatchChildRow {
  id: string;
  child_id: string;
  room_id: string;
  status: CheckinStatus;
  first_name: string;
  last_name: string;
  allergies: string;
  allergy_severity: string | null;
  care_needs: string[];
  medical_notes: string;
  birthdate: string | null;
  grade: number | null;
  room_name: string;
  checked_out_at: Date | null;
  picked_up_by: string | null;
  /** the staff member's name (or email) or the kiosk that checked the child out; null while checked in */
  verified_by: string | null;
}
export function batchChildren(db: Db, batchId: string): Promise<BatchChildRow[]> {
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
export const authorizedPickups = (db: Db, householdId: string): Promise<{ id: string; name: string; relationship: string }[]> =>
  db('authorized_pickups').select('id', 'name', 'relationship').where({ household_id: householdId }).orderBy(['name', 'id']);
export const guardians = (db: Db, householdId: string): Promise<{ id: string; first_name: string; last_name: string }[]> =>
  db('guardians').select('id', 'first_name', 'last_name').where({ household_id: householdId }).orderBy(['first_name', 'id']);
export const custodyAlerts = (db: Db, householdId: string): Promise<{ id: string; name: string; note: string; child_id: string | null }[]> =>
  db('custody_alerts').select('id', 'name', 'note', 'child_id').where({ household_id: householdId }).orderBy(['name', 'id']);

/** Locks the check-ins being checked out so two volunteers cannot check out the same child. */
export function lockCheckins(
  trx: Knex.Transaction,
  siteId: string,
  ids: string[],
): Promise<{ id: string; batch_id: string; service_id: string; room_id: string; status: CheckinStatus; household_id: string; first_name: string }[]> {
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
export const overridePinHolders = (
  db: Db,
  siteId: string,
): Promise<{ id: string; name: string; email: string; role: 'staff' | 'admin'; override_pin_hash: string }[]> =>
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
export interface UndoCheckinRow {
  id: string;
  site_id: string;
  service_id: string;
  room_id: string;
  batch_id: string;
  status: CheckinStatus;
  checked_out_at: Date | null;
  picked_up_by: string | null;
  checked_out_by: string | null;
  checked_out_kiosk_id: string | null;
  override_by: string | null;
  first_name: string;
  /** checked out less than UNDO_MINUTES ago (null while checked in) */
  undoable: boolean | null;
}
export function lockCheckinForUndo(trx: Knex.Transaction, checkinId: string): Promise<UndoCheckinRow | undefined> {
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
