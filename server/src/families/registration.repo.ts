import { inSequence } from '../db/transaction';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
const LOOKUP_LIMIT = 20;

type Loaded = { households: any[]; guardians: any[]; children: any[]; checkedIn: Set<string> };

/**
 * The kiosk's lookup in one statement (a kiosk is waiting with a parent in front of it): the
 * households of the organisation (families belong to it, whichever campus registered them) with
 * a guardian whose phone ends in `last4` (guardians_phone_last4_index) or is `phone`, with their
 * guardians, children and who is checked in (anywhere, that service's day).
 */
export async function findHouseholdsByPhone(db: Db, organizationId: string, by: { last4: string } | { phone: string }, serviceId?: string): Promise<Loaded> {
  const [column, value] = 'last4' in by ? ['phone_last4', by.last4] : ['phone', by.phone];
  const { rows } = await db.raw(
    `
    WITH found AS (
      SELECT DISTINCT h.id, h.name, h.site_id FROM guardians g JOIN households h ON h.id = g.household_id
      WHERE g.${column} = ? AND h.organization_id = ? ORDER BY h.name LIMIT ${LOOKUP_LIMIT})
    SELECT f.id, f.name, f.site_id,
      (SELECT coalesce(json_agg(g ORDER BY g.first_name), '[]') FROM (
         SELECT id, household_id, first_name, last_name, phone, sms_opt_in, sms_opted_out_at FROM guardians WHERE household_id = f.id) g) AS guardians,
      (SELECT coalesce(json_agg(c ORDER BY c.birthdate, c.first_name), '[]') FROM (
         SELECT ch.id, ch.household_id, ch.first_name, ch.last_name, ch.birthdate, ch.grade, ch.allergies, ch.medical_notes,
                EXISTS (SELECT 1 FROM checkins ci WHERE ci.child_id = ch.id AND ci.status = 'checked_in'
                  AND (?::uuid IS NULL OR ci.service_date = (SELECT service_date FROM services WHERE id = ?::uuid))) AS checked_in
         FROM children ch WHERE ch.household_id = f.id) c) AS children
    FROM found f ORDER BY f.name`,
    [value, organizationId, serviceId ?? null, serviceId ?? null],
  );
  const children = rows.flatMap((r: any) => r.children);
  return {
    households: rows.map((r: any) => ({ id: r.id, name: r.name, site_id: r.site_id })),
    guardians: rows.flatMap((r: any) => r.guardians),
    children,
    checkedIn: new Set(children.filter((c: any) => c.checked_in).map((c: any) => c.id as string)),
  };
}

export async function loadHouseholds(db: Db, ids: string[], serviceId?: string): Promise<Loaded> {
  if (!ids.length) return { households: [], guardians: [], children: [], checkedIn: new Set<string>() };
  const [households, guardians, children] = await inSequence(
    () => db('households').select('id', 'name', 'site_id').whereIn('id', ids).orderBy('name'),
    () =>
      db('guardians')
        .select('id', 'household_id', 'first_name', 'last_name', 'phone', 'sms_opt_in', 'sms_opted_out_at')
        .whereIn('household_id', ids)
        .orderBy('first_name'),
    () =>
      db('children')
        .select('id', 'household_id', 'first_name', 'last_name', 'birthdate', 'grade', 'allergies', 'medical_notes')
        .whereIn('household_id', ids)
        .orderBy(['birthdate', 'first_name']),
  );
  const q = db('checkins').select('child_id').where('status', 'checked_in').whereIn('household_id', ids);
  // checked in anywhere that day: a child still in a room is not checked in again by an ordinary check-in
  if (serviceId) q.where('service_date', db('services').select('service_date').where({ id: serviceId }));
  const checkedIn = new Set((await q).map((r) => r.child_id as string));
  return { households, guardians, children, checkedIn };
}

export async function householdIdByKey(db: Db, siteId: string, idempotencyKey: string): Promise<{ id: string; idempotency_hash: string | null } | undefined> {
  return db('households').select('id', 'idempotency_hash').where({ site_id: siteId, idempotency_key: idempotencyKey }).first();
}
/** Serialises registrations of the same phone at a site (transaction-scoped advisory locks, in order). */
/** Registrations with the same phone in one organisation run one at a time (two kiosks make one family). */
export async function lockPhones(trx: Knex.Transaction, organizationId: string, phones: string[]) {
  for (const p of [...new Set(phones)].sort()) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(:k))', { k: `phone:${organizationId}:${p}` });
}
/** Families of the organisation (any campus) with a guardian holding one of these numbers (the "Is this you?" check). */
export async function householdsWithPhones(db: Db, organizationId: string, phones: string[]): Promise<{ household_id: string; name: string; phone: string }[]> {
  if (!phones.length) return [];
  const { rows } = await db.raw(
    `
    SELECT DISTINCT ON (h.id) h.id AS household_id, h.name, g.phone FROM guardians g JOIN households h ON h.id = g.household_id
    WHERE g.phone = ANY(:phones) AND h.organization_id = :organizationId ORDER BY h.id, g.phone LIMIT 5`,
    { phones, organizationId },
  );
  return rows;
}
/** A family of the organisation, locked (families belong to the organisation, DESIGN §10). */
export const lockHouseholdOfOrganization = (trx: Knex.Transaction, organizationId: string, id: string): Promise<{ id: string; name: string } | undefined> =>
  trx('households').select('id', 'name').where({ id, organization_id: organizationId }).forUpdate().first();
/** A guardian of the family with this number who agreed to texts and never sent STOP from it (DESIGN §19: nothing texted without consent). */
export const textableGuardianWithPhone = (db: Db, householdId: string, phone: string): Promise<{ id: string } | undefined> =>
  db('guardians as g')
    .select('g.id')
    .where({ 'g.household_id': householdId, 'g.phone': phone, 'g.sms_opt_in': true })
    .whereNull('g.sms_opted_out_at')
    .whereNotExists((q) => q.select(db.raw('1')).from('guardians as o').whereRaw('o.phone = g.phone').whereNotNull('o.sms_opted_out_at'))
    .first();
export async function countJoinCodes(db: Db, householdId: string, since: Date): Promise<number> {
  const r = await db('household_join_codes').count<{ n: string }[]>('* as n').where({ household_id: householdId }).where('created_at', '>', since);
  return Number(r[0]?.n ?? 0);
}
export const insertJoinCode = (
  trx: Knex.Transaction,
  row: { site_id: string; household_id: string; guardian_id: string; code_hash: string; expires_at: Date },
) => trx('household_join_codes').insert(row);
/** Uses the code: unexpired, unused, this family's; marks it used. */
export async function takeJoinCode(trx: Knex.Transaction, householdId: string, codeHash: string): Promise<{ id: string } | undefined> {
  const { rows } = await trx.raw(
    `
    UPDATE household_join_codes SET used_at = now()
    WHERE id = (SELECT id FROM household_join_codes WHERE household_id = :householdId AND code_hash = :codeHash
                AND used_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 1)
    RETURNING id`,
    { householdId, codeHash },
  );
  return rows[0];
}
/** Wrong join codes are audited through tx.auditRefusal, so they are counted there. */
export async function siteName(db: Db, siteId: string): Promise<string> {
  return (await db('sites').select('name').where({ id: siteId }).first())?.name ?? '';
}
