import { inSequence } from '../db/transaction';
import type { Knex } from 'knex';
import type { SmsConsentSource } from '../../../contracts/rules';

type Db = Knex | Knex.Transaction;
const SEARCH_LIMIT = 25;
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/*
 * The family tables (households, guardians, children, authorised pickups, custody alerts) are
 * written here and only here: staff edits, kiosk/desk registration (registration.service) and the
 * merge all insert through these, so a column added to a table has one writer to change.
 */
export interface GuardianInsert {
  household_id: string;
  first_name: string;
  last_name: string;
  phone: string;
  sms_opt_in: boolean;
  /** set together with sms_opt_in through smsConsentColumns, never from a request body */
  sms_consent_at?: Knex.Raw | null;
  sms_consent_source?: Exclude<SmsConsentSource, 'legacy'> | null;
}

/**
 * The SMS columns of a guardian whose opt-in is now `optIn`, agreed through `source` (DESIGN §19):
 * consent given → when (the transaction's now) and where; withdrawn → neither. A STOP does not come
 * through here: it sets sms_opted_out_at and keeps the record of the consent it ended.
 */
export function smsConsentColumns(db: Db, optIn: boolean, source: Exclude<SmsConsentSource, 'legacy'>) {
  return { sms_opt_in: optIn, sms_consent_at: optIn ? db.fn.now() : null, sms_consent_source: optIn ? source : null };
}
export interface ChildInsert {
  household_id: string;
  first_name: string;
  last_name: string;
  birthdate: string | null;
  grade: number | null;
  allergies: string;
  medical_notes: string;
  /** DESIGN §16: mild | severe | life-threatening; null = not recorded */
  allergy_severity?: string | null;
  care_needs?: string[];
}
export interface PickupInsert {
  household_id: string;
  name: string;
  relationship: string;
  phone: string | null;
}
export interface CustodyAlertInsert {
  household_id: string;
  name: string;
  note: string;
  child_id: string | null;
}
export type GuardianPatch = Partial<Omit<GuardianInsert, 'household_id'>> & { sms_opted_out_at?: null };
export type ChildPatch = Partial<Omit<ChildInsert, 'household_id'>>;
export type PickupPatch = Partial<Omit<PickupInsert, 'household_id'>>;
export type CustodyAlertPatch = Partial<Omit<CustodyAlertInsert, 'household_id'>>;

/** Inserts the household; with a key already used at this site, returns undefined instead. */
export async function insertHousehold(
  trx: Knex.Transaction,
  siteId: string,
  name: string,
  idempotencyKey?: string,
  idempotencyHash?: string | null,
  language?: string | null,
): Promise<string | undefined> {
  const r = await trx.raw(
    `INSERT INTO households (site_id, name, idempotency_key, idempotency_hash, language)
     VALUES (:siteId, :name, :idempotencyKey, :idempotencyHash, :language)
     ON CONFLICT (site_id, idempotency_key, organization_id) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
    { siteId, name, idempotencyKey: idempotencyKey ?? null, idempotencyHash: idempotencyHash ?? null, language: language ?? null },
  );
  return r.rows[0]?.id;
}

export const insertGuardians = async (trx: Knex.Transaction, rows: GuardianInsert[]): Promise<string[]> =>
  rows.length ? (await trx('guardians').insert(rows).returning<{ id: string }[]>('id')).map((r) => r.id) : [];
export const insertChildren = async (trx: Knex.Transaction, rows: ChildInsert[]): Promise<string[]> =>
  rows.length ? (await trx('children').insert(rows).returning<{ id: string }[]>('id')).map((r) => r.id) : [];
export const insertAuthorizedPickups = async (trx: Knex.Transaction, rows: PickupInsert[]): Promise<string[]> =>
  rows.length ? (await trx('authorized_pickups').insert(rows).returning<{ id: string }[]>('id')).map((r) => r.id) : [];
export const insertCustodyAlerts = async (trx: Knex.Transaction, rows: CustodyAlertInsert[]): Promise<string[]> =>
  rows.length ? (await trx('custody_alerts').insert(rows).returning<{ id: string }[]>('id')).map((r) => r.id) : [];

/**
 * Households of a site matching every term of `q` by household, guardian or child name, or by
 * phone digits. Staff search, not the kiosk hot path: a scan of one site's households is fine.
 */
export async function searchHouseholdIds(db: Db, organizationId: string, q: string): Promise<string[]> {
  const terms = q.split(/\s+/).filter(Boolean).slice(0, 5);
  // an erased family (DESIGN §19) is never found again
  const query = db('households as h').select('h.id').where('h.organization_id', organizationId).whereNull('h.erased_at').orderBy('h.name').limit(SEARCH_LIMIT);
  for (const term of terms) {
    const digits = term.replace(/[\s().+-]/g, '');
    const isPhone = /^\d{3,}$/.test(digits);
    query.where((w) => {
      if (isPhone) {
        w.whereExists((e) => e.select(db.raw('1')).from('guardians as g').whereRaw('g.household_id = h.id').where('g.phone', 'like', like(digits)));
        return;
      }
      const pat = like(term);
      w.where('h.name', 'ilike', pat)
        .orWhereExists((e) =>
          e
            .select(db.raw('1'))
            .from('guardians as g')
            .whereRaw('g.household_id = h.id')
            .where((x) => x.where('g.first_name', 'ilike', pat).orWhere('g.last_name', 'ilike', pat)),
        )
        .orWhereExists((e) =>
          e
            .select(db.raw('1'))
            .from('children as c')
            .whereRaw('c.household_id = h.id')
            .where((x) => x.where('c.first_name', 'ilike', pat).orWhere('c.last_name', 'ilike', pat)),
        );
    });
  }
  return (await query).map((r) => r.id as string);
}

export async function loadSummaries(db: Db, ids: string[]) {
  if (!ids.length) return { households: [], guardians: [], children: [] };
  const [households, guardians, children] = await inSequence(
    () => db('households').select('id', 'name').whereIn('id', ids).orderBy('name'),
    () => db('guardians').select('id', 'household_id', 'first_name', 'last_name', 'phone').whereIn('household_id', ids).orderBy('first_name'),
    () => db('children').select('id', 'household_id', 'first_name', 'last_name').whereIn('household_id', ids).orderBy(['birthdate', 'first_name']),
  );
  return { households, guardians, children };
}

/** A `households` row as staff pages, privacy and the merge read it (findHousehold, lockHousehold). */
export interface HouseholdRow {
  id: string;
  site_id: string;
  organization_id: string;
  name: string;
  language: string | null;
  created_at: Date;
}
export const findHousehold = (db: Db, id: string): Promise<HouseholdRow | undefined> =>
  db('households').select('id', 'site_id', 'organization_id', 'name', 'language', 'created_at').where({ id }).first();
/** Locks the household so concurrent edits of its members serialise (e.g. "keep one guardian"). */
export const lockHousehold = (trx: Knex.Transaction, id: string): Promise<HouseholdRow | undefined> =>
  trx('households').select('id', 'site_id', 'organization_id', 'name', 'language', 'created_at').where({ id }).forUpdate().first();

export async function loadFamily(db: Db, id: string) {
  const [guardians, children, pickups, custody, recent, checkedIn] = await inSequence(
    () =>
      db('guardians')
        .select('id', 'first_name', 'last_name', 'phone', 'sms_opt_in', 'sms_opted_out_at', 'sms_consent_at', 'sms_consent_source')
        .where({ household_id: id })
        .orderBy(['first_name', 'id']),
    () =>
      db('children')
        .select('id', 'first_name', 'last_name', 'birthdate', 'grade', 'allergies', 'allergy_severity', 'care_needs', 'medical_notes')
        .where({ household_id: id })
        .orderBy([{ column: 'birthdate', nulls: 'last' }, 'first_name', 'id']),
    () => db('authorized_pickups').select('id', 'name', 'relationship', 'phone').where({ household_id: id }).orderBy(['name', 'id']),
    () => db('custody_alerts').select('id', 'name', 'note', 'child_id').where({ household_id: id }).orderBy(['name', 'id']),
    () =>
      db('checkins as c')
        .join('services as s', 's.id', 'c.service_id')
        .join('rooms as r', 'r.id', 'c.room_id')
        .select('c.id', 'c.child_id', 's.name as service_name', 'r.name as room_name', 'c.checked_in_at', 'c.status')
        .where('c.household_id', id)
        .orderBy('c.checked_in_at', 'desc')
        .limit(20),
    () => db('checkins').distinct('child_id').where({ household_id: id, status: 'checked_in' }),
  );
  return { guardians, children, pickups, custody, recent, checkedIn: new Set(checkedIn.map((r) => r.child_id as string)) };
}

export const updateHousehold = (trx: Knex.Transaction, id: string, patch: { name?: string; language?: string }) =>
  trx('households').where({ id }).update(patch);

export const insertGuardian = async (trx: Knex.Transaction, row: GuardianInsert): Promise<string> => (await insertGuardians(trx, [row]))[0]!;
export const findGuardian = (db: Db, householdId: string, id: string): Promise<{ id: string; phone: string; sms_opt_in: boolean } | undefined> =>
  db('guardians').select('id', 'phone', 'sms_opt_in').where({ household_id: householdId, id }).first();
export const updateGuardian = (trx: Knex.Transaction, id: string, patch: GuardianPatch) => trx('guardians').where({ id }).update(patch);
export const deleteGuardian = (trx: Knex.Transaction, id: string) => trx('guardians').where({ id }).delete();
export async function countGuardians(db: Db, householdId: string): Promise<number> {
  const r = await db('guardians').count<{ n: number }[]>('* as n').where({ household_id: householdId });
  return Number(r[0]?.n ?? 0);
}

export const insertChild = async (trx: Knex.Transaction, row: ChildInsert): Promise<string> => (await insertChildren(trx, [row]))[0]!;
export const findChild = (
  db: Db,
  householdId: string,
  id: string,
): Promise<{ id: string; first_name: string; birthdate: string | null; grade: number | null } | undefined> =>
  db('children').select('id', 'first_name', 'birthdate', 'grade').where({ household_id: householdId, id }).first();
export const updateChild = (trx: Knex.Transaction, id: string, patch: ChildPatch) => trx('children').where({ id }).update(patch);
export const deleteChild = (trx: Knex.Transaction, id: string) => trx('children').where({ id }).delete();
export async function childHasCheckins(db: Db, childId: string): Promise<boolean> {
  return !!(await db('checkins').select('id').where({ child_id: childId }).first());
}

export const insertPickup = async (trx: Knex.Transaction, row: PickupInsert): Promise<string> => (await insertAuthorizedPickups(trx, [row]))[0]!;
export const findPickup = (db: Db, householdId: string, id: string): Promise<{ id: string } | undefined> =>
  db('authorized_pickups').select('id').where({ household_id: householdId, id }).first();
export const updatePickup = (trx: Knex.Transaction, id: string, patch: PickupPatch) => trx('authorized_pickups').where({ id }).update(patch);
export const deletePickup = (trx: Knex.Transaction, id: string) => trx('authorized_pickups').where({ id }).delete();

export const insertCustodyAlert = async (trx: Knex.Transaction, row: CustodyAlertInsert): Promise<string> => (await insertCustodyAlerts(trx, [row]))[0]!;
export const findCustodyAlert = (db: Db, householdId: string, id: string): Promise<{ id: string } | undefined> =>
  db('custody_alerts').select('id').where({ household_id: householdId, id }).first();
export const updateCustodyAlert = (trx: Knex.Transaction, id: string, patch: CustodyAlertPatch) => trx('custody_alerts').where({ id }).update(patch);
export const deleteCustodyAlert = (trx: Knex.Transaction, id: string) => trx('custody_alerts').where({ id }).delete();
