/**
 * Every table that holds a family's data, and what export and erasure do with it (DESIGN §19).
 * One entry per table: a table added later (photos, …) is one more entry here. The test
 * tests/api/privacy.test.ts lists every column named household_id, guardian_id or child_id in the
 * database and fails when its table is not in FAMILY_TABLES, so a new table cannot be forgotten.
 *
 * Erasure keeps the attendance record (check-ins: dates, rooms, times, status, who released) and
 * pseudonymises or deletes everything personal; every statement is keyed by the family's ids.
 */
import type { Knex } from 'knex';
import { pseudonymOf } from './scrub';

type Db = Knex | Knex.Transaction;

/** The ids of everything a family owns, gathered once before export or erasure. */
export interface FamilyIds {
  householdId: string;
  organizationId: string;
  guardianIds: string[];
  childIds: string[];
  batchIds: string[];
  checkinIds: string[];
  linkIds: string[];
}

export interface FamilyTable {
  table: string;
  /** the export document's key */
  key: string;
  /** the family's rows, as the export shows them (never a hash, token or code) */
  rows(db: Db, f: FamilyIds): Promise<unknown[]>;
  /** removes or pseudonymises the family's personal data in this table; returns the rows touched */
  erase(trx: Knex.Transaction, f: FamilyIds): Promise<number>;
}

const count = (r: unknown) => (typeof r === 'number' ? r : Array.isArray(r) ? r.length : Number((r as { rowCount?: number })?.rowCount ?? 0));
const nothing = async () => 0;

/** The photos of a family's people (photos has no household_id: each names one person). */
const familyPhotos = (db: Db, f: FamilyIds) =>
  db('photos')
    .where({ organization_id: f.organizationId })
    .where((q) =>
      q
        .whereIn('child_id', f.childIds)
        .orWhereIn('guardian_id', f.guardianIds)
        .orWhereIn('authorized_pickup_id', db('authorized_pickups').select('id').where({ household_id: f.householdId }))
        .orWhereIn('custody_alert_id', db('custody_alerts').select('id').where({ household_id: f.householdId })),
    );

export const FAMILY_TABLES: FamilyTable[] = [
  {
    table: 'households',
    key: 'household',
    rows: (db, f) => db('households').select('id', 'site_id', 'name', 'language', 'created_at', 'erased_at').where({ id: f.householdId }),
    erase: async (trx, f) =>
      count(
        await trx('households')
          .where({ id: f.householdId })
          .update({ name: `Erased family ${pseudonymOf(f.householdId)}`, language: null, idempotency_hash: null, erased_at: trx.fn.now() }),
      ),
  },
  {
    table: 'guardians',
    key: 'guardians',
    rows: (db, f) =>
      db('guardians')
        .select('id', 'first_name', 'last_name', 'phone', 'sms_opt_in', 'sms_opted_out_at', 'sms_consent_at', 'sms_consent_source')
        .where({ household_id: f.householdId })
        .orderBy('id'),
    // the row stays (messages and check-ins name it); nothing personal is left in it, and no phone to find it by
    erase: async (trx, f) =>
      count(
        await trx('guardians')
          .where({ household_id: f.householdId })
          .update({
            first_name: 'Guardian',
            last_name: pseudonymOf(f.householdId),
            phone: '',
            sms_opt_in: false,
            sms_consent_at: null,
            sms_consent_source: null,
          }),
      ),
  },
  {
    table: 'children',
    key: 'children',
    rows: (db, f) =>
      db('children')
        .select(
          'id',
          'first_name',
          'last_name',
          'birthdate',
          'grade',
          'grade_school_year',
          'allergies',
          'allergy_severity',
          'care_needs',
          'medical_notes',
          'created_at',
        )
        .where({ household_id: f.householdId })
        .orderBy('id'),
    // the year of birth stays (stored as 1 January of it): attendance reports count children by age
    erase: async (trx, f) =>
      count(
        await trx.raw(
          `UPDATE children SET first_name = 'Child', last_name = :pseudonym, allergies = '', medical_notes = '', allergy_severity = NULL, care_needs = '{}',
                  birthdate = CASE WHEN birthdate IS NULL THEN NULL ELSE make_date(extract(year FROM birthdate)::int, 1, 1) END
            WHERE household_id = :householdId`,
          { householdId: f.householdId, pseudonym: pseudonymOf(f.householdId) },
        ),
      ),
  },
  // before the links and guardians it is found by
  {
    table: 'notifications',
    key: 'messages',
    rows: (db, f) => familyNotifications(db, f).select('id', 'kind', 'to', 'body', 'status', 'created_at', 'sent_at').orderBy('created_at'),
    // the message stays as a fact (kind, status, times); its number and words go, and nothing left unsent is sent
    erase: async (trx, f) =>
      count(
        await familyNotifications(trx, f).update({
          to: '',
          body: '',
          error: trx.raw("CASE WHEN status IN ('pending', 'sending') THEN 'family erased' ELSE NULL END"),
          status: trx.raw("CASE WHEN status IN ('pending', 'sending') THEN 'failed' ELSE status END"),
          updated_at: trx.fn.now(),
        }),
      ),
  },
  {
    // before the people they show: the photos of the family's children, guardians, pickups and custody-alert people (DESIGN §16)
    table: 'photos',
    key: 'photos',
    rows: async (db, f) =>
      (
        await familyPhotos(db, f).select(
          'id',
          'child_id',
          'guardian_id',
          'authorized_pickup_id',
          'custody_alert_id',
          'width',
          'height',
          'consent_guardian_id',
          'consent_guardian_name',
          'consented_at',
          'created_at',
          'image',
        )
      ).map(({ image, ...p }: { image: Buffer }) => ({ ...p, jpegBase64: image.toString('base64') })),
    erase: async (trx, f) => count(await familyPhotos(trx, f).delete()),
  },
  {
    table: 'authorized_pickups',
    key: 'authorizedPickups',
    rows: (db, f) => db('authorized_pickups').select('id', 'name', 'relationship', 'phone').where({ household_id: f.householdId }).orderBy('id'),
    erase: async (trx, f) => count(await trx('authorized_pickups').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'custody_alerts',
    key: 'custodyAlerts',
    rows: (db, f) => db('custody_alerts').select('id', 'child_id', 'name', 'note').where({ household_id: f.householdId }).orderBy('id'),
    erase: async (trx, f) => count(await trx('custody_alerts').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'household_express_codes',
    key: 'expressCodes',
    // metadata only: the code is never shown again, not even to the family's admin
    rows: (db, f) =>
      db('household_express_codes').select('id', 'created_at', 'revoked_at', 'created_by').where({ household_id: f.householdId }).orderBy('created_at'),
    erase: async (trx, f) => count(await trx('household_express_codes').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'household_join_codes',
    key: 'joinCodes',
    rows: (db, f) =>
      db('household_join_codes')
        .select('id', 'guardian_id', 'created_at', 'expires_at', 'used_at')
        .where({ household_id: f.householdId })
        .orderBy('created_at'),
    erase: async (trx, f) => count(await trx('household_join_codes').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'precheckin_links',
    key: 'precheckinLinks',
    rows: (db, f) =>
      db('precheckin_links')
        .select('id', 'site_id', 'reason', 'send_date', 'expires_at', 'created_at')
        .where({ household_id: f.householdId })
        .orderBy('created_at'),
    erase: async (trx, f) => count(await trx('precheckin_links').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'precheckins',
    key: 'precheckins',
    rows: (db, f) =>
      db('precheckins')
        .select('id', 'site_id', 'service_id', 'child_ids', 'created_at', 'updated_at', 'used_at', 'batch_id')
        .where({ household_id: f.householdId })
        .orderBy('created_at'),
    erase: async (trx, f) => count(await trx('precheckins').where({ household_id: f.householdId }).delete()),
  },
  {
    table: 'checkin_batches',
    key: 'checkinBatches',
    rows: (db, f) =>
      db('checkin_batches')
        .select('id', 'site_id', 'service_id', 'service_date', 'family_day', 'refused', 'created_at')
        .where({ household_id: f.householdId })
        .orderBy('created_at'),
    // the refusals name children: scrubbed with the audit rows (privacy.service)
    erase: nothing,
  },
  {
    table: 'checkin_requests',
    key: 'checkinRequests',
    rows: (db, f) =>
      db('checkin_requests').select('id', 'batch_id', 'service_ids', 'refused', 'created_at').whereIn('batch_id', f.batchIds).orderBy('created_at'),
    erase: nothing,
  },
  {
    table: 'checkins',
    key: 'checkins',
    rows: (db, f) =>
      db('checkins as c')
        .leftJoin('rooms as r', 'r.id', 'c.room_id')
        .leftJoin('services as s', 's.id', 'c.service_id')
        .leftJoin('users as u', 'u.id', 'c.checked_out_by')
        .select(
          'c.id',
          'c.child_id',
          'c.site_id',
          'c.service_date',
          's.name as service_name',
          'r.name as room_name',
          'c.status',
          'c.checked_in_at',
          'c.checked_out_at',
          'c.picked_up_by',
          'c.picked_up_kind',
          'u.name as released_by',
          'c.override_reason',
        )
        .where('c.household_id', f.householdId)
        .orderBy('c.checked_in_at'),
    // the safeguarding record stays: dates, rooms, times, status and the staff member who released;
    // the name typed for the person who collected the child and any free-text reason go
    erase: async (trx, f) =>
      count(
        await trx.raw(
          `UPDATE checkins SET picked_up_by = CASE WHEN picked_up_by IS NULL THEN NULL ELSE :erased END,
                  override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE :erased END
            WHERE household_id = :householdId AND (picked_up_by IS NOT NULL OR override_reason IS NOT NULL)`,
          { householdId: f.householdId, erased: '[erased]' },
        ),
      ),
  },
  {
    table: 'pickup_passes',
    key: 'pickupPasses',
    rows: (db, f) => db('pickup_passes').select('id', 'batch_id', 'expires_at', 'revoked_at').whereIn('batch_id', f.batchIds).orderBy('expires_at'),
    // a pass page would show the family again: every pass ends
    erase: async (trx, f) => count(await trx('pickup_passes').whereIn('batch_id', f.batchIds).whereNull('revoked_at').update({ revoked_at: trx.fn.now() })),
  },
  {
    table: 'roll_calls',
    key: 'rollCalls',
    rows: (db, f) => db('roll_calls').select('checkin_id', 'marked_at').whereIn('checkin_id', f.checkinIds).orderBy('marked_at'),
    erase: nothing, // attendance, nothing personal
  },
  {
    table: 'emergency_accounts',
    key: 'emergencyAccounts',
    rows: (db, f) =>
      db('emergency_accounts').select('emergency_id', 'checkin_id', 'room_id', 'marked_at').whereIn('checkin_id', f.checkinIds).orderBy('marked_at'),
    erase: nothing, // a child accounted for in an emergency: safeguarding record, nothing personal
  },
  {
    table: 'room_day_children',
    key: 'roomDays',
    rows: (db, f) => db('room_day_children').select('room_id', 'service_date').whereIn('child_id', f.childIds).orderBy('service_date'),
    erase: nothing, // attendance, nothing personal
  },
  {
    table: 'household_merges',
    key: 'merges',
    rows: (db, f) =>
      db('household_merges')
        .select('id', 'into_household_id', 'from_household_id', 'from_name', 'record')
        .where((w) => w.where('into_household_id', f.householdId).orWhere('from_household_id', f.householdId))
        .orderBy('id'),
    // a merge's undo record holds the merged family's rows as they were: erasure is final, the undo goes
    erase: async (trx, f) =>
      count(
        await trx('household_merges')
          .where((w) => w.where('into_household_id', f.householdId).orWhere('from_household_id', f.householdId))
          .delete(),
      ),
  },
  {
    table: 'external_ids',
    key: 'externalIds',
    rows: (db, f) => db('external_ids').select('source', 'entity', 'external_id', 'entity_id').whereIn('entity_id', familyEntityIds(f)).orderBy('id'),
    // the other system's id would tie the pseudonym back to the person
    erase: async (trx, f) => count(await trx('external_ids').whereIn('entity_id', familyEntityIds(f)).delete()),
  },
  {
    table: 'attendance_history',
    key: 'importedAttendance',
    rows: (db, f) =>
      db('attendance_history')
        .select('room_id', 'checked_in_at', 'service_name', 'source')
        .where({ organization_id: f.organizationId })
        .whereIn('child_id', f.childIds)
        .orderBy('checked_in_at'),
    // the arrival still counts in its room's history, tied to no one; the row's key (a hash of the
    // imported line, names included) is replaced, so nothing links the row back to the person
    erase: async (trx, f) =>
      count(
        await trx('attendance_history')
          .where({ organization_id: f.organizationId })
          .whereIn('child_id', f.childIds)
          .update({ child_id: null, row_key: trx.raw('md5(random()::text) || md5(random()::text)') }),
      ),
  },
];

const familyEntityIds = (f: FamilyIds) => [f.householdId, ...f.guardianIds, ...f.childIds];

/** The family's messages: to its guardians, about its check-ins, or carrying its links. */
export function familyNotifications(db: Db, f: FamilyIds) {
  return db('notifications').where((w) => {
    w.whereIn('guardian_id', f.guardianIds).orWhereIn('batch_id', f.batchIds).orWhereIn('checkin_id', f.checkinIds).orWhereIn('precheckin_link_id', f.linkIds);
  });
}

/** Tables covered elsewhere in the service: the audit log and the import files (their rows are not the family's alone). */
export const SCRUBBED_TABLES = ['audit_log', 'import_jobs', 'webhook_deliveries'];
