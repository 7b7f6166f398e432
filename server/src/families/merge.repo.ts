import type { Knex } from 'knex';

type Trx = Knex.Transaction;

/**
 * Every table whose rows belong to a household (a `household_id` column; the list is checked
 * against the schema by tests/api/merge-undo.test.ts, so a table added later cannot be missed):
 * a merge moves each of their rows, an undo moves the same ids back.
 */
export const HOUSEHOLD_TABLES = [
  'guardians',
  'children',
  'authorized_pickups',
  'custody_alerts',
  'checkin_batches',
  'checkins',
  'household_join_codes',
  'household_express_codes',
  'precheckin_links',
  'precheckins',
] as const;
export type HouseholdTable = (typeof HOUSEHOLD_TABLES)[number];

/** What a merge moves, counted (the preview; the merge's audit row). */
export async function countRows(trx: Trx, fromId: string) {
  const { rows } = await trx.raw(
    `SELECT
      (SELECT count(*) FROM guardians WHERE household_id = :fromId)::int AS guardians,
      (SELECT count(*) FROM children WHERE household_id = :fromId)::int AS children,
      (SELECT count(*) FROM authorized_pickups WHERE household_id = :fromId)::int AS "authorizedPickups",
      (SELECT count(*) FROM custody_alerts WHERE household_id = :fromId)::int AS "custodyAlerts",
      (SELECT count(*) FROM checkins WHERE household_id = :fromId)::int AS checkins,
      (SELECT count(*) FROM checkin_batches WHERE household_id = :fromId)::int AS "checkinBatches",
      (SELECT count(*) FROM checkin_requests r JOIN checkin_batches b ON b.id = r.batch_id WHERE b.household_id = :fromId)::int AS "checkinRequests",
      (SELECT count(*) FROM guardians WHERE household_id = :fromId AND sms_opted_out_at IS NOT NULL)::int AS "smsOptOuts",
      (SELECT count(*) FROM external_ids WHERE entity = 'household' AND entity_id = :fromId)::int AS "externalIds",
      (SELECT count(*) FROM household_express_codes WHERE household_id = :fromId)::int AS "expressCodes",
      (SELECT count(*) FROM precheckins WHERE household_id = :fromId)::int AS precheckins,
      (SELECT count(*) FROM precheckin_links WHERE household_id = :fromId)::int AS "precheckinLinks",
      (SELECT count(*) FROM household_join_codes WHERE household_id = :fromId)::int AS "joinCodes"`,
    { fromId },
  );
  return rows[0] as Record<string, number>;
}

/** Whether the two families share a guardian's number or a guardian's name (folded: case, accents). */
export async function sharedBetween(trx: Trx, aId: string, bId: string): Promise<{ phone: boolean; guardianName: boolean }> {
  const { rows } = await trx.raw(
    `SELECT
      EXISTS (SELECT 1 FROM guardians a JOIN guardians b ON b.phone = a.phone WHERE a.household_id = :aId AND b.household_id = :bId) AS phone,
      EXISTS (SELECT 1 FROM guardians a JOIN guardians b
               ON lower(b.first_name) = lower(a.first_name) AND lower(b.last_name) = lower(a.last_name)
             WHERE a.household_id = :aId AND b.household_id = :bId) AS "guardianName"`,
    { aId, bId },
  );
  return rows[0];
}

/**
 * Families of the organisation that share a guardian's number or a guardian's name with `id`
 * (the likely duplicates), most recent first.
 */
export async function likelyDuplicateIds(trx: Trx, organizationId: string, id: string, limit: number): Promise<string[]> {
  const { rows } = await trx.raw(
    `SELECT DISTINCT h.id, h.name FROM households h
       JOIN guardians b ON b.household_id = h.id
       JOIN guardians a ON a.household_id = :id
        AND (a.phone = b.phone OR (lower(a.first_name) = lower(b.first_name) AND lower(a.last_name) = lower(b.last_name)))
     WHERE h.organization_id = :organizationId AND h.id <> :id
     ORDER BY h.name, h.id LIMIT :limit`,
    { organizationId, id, limit },
  );
  return rows.map((r: { id: string }) => r.id);
}

/** Guardians of `fromId` whose number a guardian of `intoId` already has: they become one person. */
export async function samePhoneGuardians(trx: Trx, intoId: string, fromId: string): Promise<{ from_id: string; into_id: string; phone: string }[]> {
  const { rows } = await trx.raw(
    `
    SELECT DISTINCT ON (f.id) f.id AS from_id, i.id AS into_id, f.phone FROM guardians f JOIN guardians i ON i.phone = f.phone AND i.household_id = :intoId
    WHERE f.household_id = :fromId ORDER BY f.id, i.id`,
    { intoId, fromId },
  );
  return rows;
}

/** Days on which both families have a family batch (one code each): the merged family keeps both batches, the moved one stops being "the family's day". */
export async function clashingFamilyDays(trx: Trx, intoId: string, fromId: string): Promise<{ id: string; service_date: string }[]> {
  const { rows } = await trx.raw(
    `
    SELECT f.id, to_char(f.service_date, 'YYYY-MM-DD') AS service_date FROM checkin_batches f
    JOIN checkin_batches i ON i.household_id = :intoId AND i.site_id = f.site_id AND i.service_date = f.service_date AND i.family_day
    WHERE f.household_id = :fromId AND f.family_day`,
    { intoId, fromId },
  );
  return rows;
}

/** A row as JSON, exactly (timestamps to the microsecond): what an undo inserts back. */
export async function rowJson(trx: Trx, table: 'households' | 'guardians' | 'precheckins', id: string): Promise<Record<string, unknown>> {
  const { rows } = await trx.raw(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = :id`, { id });
  return rows[0].row;
}

/** Puts rows back from their JSON (the columns the database lets us write: not generated ones). */
export async function insertRowsJson(trx: Trx, table: 'households' | 'guardians' | 'precheckins', rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  const { rows: cols } = await trx.raw(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = :table AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    { table },
  );
  const list = cols.map((c: { column_name: string }) => `"${c.column_name}"`).join(', ');
  await trx.raw(`INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, :rows::jsonb)`, {
    rows: JSON.stringify(rows),
  });
}

/** A guardian's SMS state before a fold changes it (the undo restores it). */
export interface SmsState {
  id: string;
  sms_opted_out_at: string | null;
  sms_opt_in: boolean;
  /** absent in undo records written before consent was recorded: the undo then leaves the consent as it is */
  sms_consent_at?: string | null;
  sms_consent_source?: string | null;
}
export async function smsState(trx: Trx, id: string): Promise<SmsState> {
  const { rows } = await trx.raw(
    `SELECT id, to_jsonb(sms_opted_out_at) #>> '{}' AS sms_opted_out_at, sms_opt_in,
            to_jsonb(sms_consent_at) #>> '{}' AS sms_consent_at, sms_consent_source FROM guardians WHERE id = :id`,
    { id },
  );
  return rows[0];
}
export async function restoreSmsState(trx: Trx, s: SmsState): Promise<void> {
  await trx.raw(
    `UPDATE guardians SET sms_opted_out_at = :at::timestamptz, sms_opt_in = :optIn,
       sms_consent_at = CASE WHEN :hasConsent THEN :consentAt::timestamptz ELSE sms_consent_at END,
       sms_consent_source = CASE WHEN :hasConsent THEN :consentSource ELSE sms_consent_source END
     WHERE id = :id`,
    {
      id: s.id,
      at: s.sms_opted_out_at,
      optIn: s.sms_opt_in,
      hasConsent: 'sms_consent_source' in s,
      consentAt: s.sms_consent_at ?? null,
      consentSource: s.sms_consent_source ?? null,
    },
  );
}

/** Every reference to a guardian id outside its own row (a fold re-points each, an undo points them back). */
export const GUARDIAN_REFS = {
  notifications: 'UPDATE notifications SET guardian_id = :to WHERE guardian_id = :from RETURNING id',
  checkins: "UPDATE checkins SET picked_up_person_id = :to WHERE picked_up_person_id = :from AND picked_up_kind = 'guardian' RETURNING id",
  joinCodes: 'UPDATE household_join_codes SET guardian_id = :to WHERE guardian_id = :from RETURNING id',
  externalIds: "UPDATE external_ids SET entity_id = :to WHERE entity = 'guardian' AND entity_id = :from RETURNING id",
  droppedOff: 'UPDATE checkin_requests SET dropped_off_by = :to WHERE dropped_off_by = :from RETURNING id',
  // one photo per person: the folded row's photo moves when the kept row has none (else it goes with the row)
  photos: 'UPDATE photos SET guardian_id = :to WHERE guardian_id = :from AND NOT EXISTS (SELECT 1 FROM photos k WHERE k.guardian_id = :to) RETURNING id',
} as const;
const GUARDIAN_REFS_BY_ID: Record<keyof typeof GUARDIAN_REFS, string> = {
  notifications: 'UPDATE notifications SET guardian_id = :to WHERE id = ANY(:ids::uuid[])',
  checkins: 'UPDATE checkins SET picked_up_person_id = :to WHERE id = ANY(:ids::uuid[])',
  joinCodes: 'UPDATE household_join_codes SET guardian_id = :to WHERE id = ANY(:ids::uuid[])',
  externalIds: 'UPDATE external_ids SET entity_id = :to WHERE id = ANY(:ids::bigint[])',
  droppedOff: 'UPDATE checkin_requests SET dropped_off_by = :to WHERE id = ANY(:ids::uuid[])',
  photos: 'UPDATE photos SET guardian_id = :to WHERE id = ANY(:ids::uuid[])',
};
export type GuardianRefs = Record<keyof typeof GUARDIAN_REFS, string[]>;

/** One person with two rows: the kept row takes the STOP (any), the opt-in (both) and every reference. */
export async function foldGuardian(trx: Trx, fromGuardianId: string, intoGuardianId: string): Promise<GuardianRefs> {
  await trx.raw(
    `UPDATE guardians i SET sms_opted_out_at = coalesce(i.sms_opted_out_at, f.sms_opted_out_at), sms_opt_in = i.sms_opt_in AND f.sms_opt_in,
       -- both agreed: the kept row's record stands; either not: no consent
       sms_consent_at = CASE WHEN i.sms_opt_in AND f.sms_opt_in THEN coalesce(i.sms_consent_at, f.sms_consent_at) END,
       sms_consent_source = CASE WHEN i.sms_opt_in AND f.sms_opt_in THEN (CASE WHEN i.sms_consent_at IS NOT NULL THEN i.sms_consent_source ELSE f.sms_consent_source END) END
    FROM guardians f WHERE i.id = :intoGuardianId AND f.id = :fromGuardianId`,
    { fromGuardianId, intoGuardianId },
  );
  const refs = {} as GuardianRefs;
  for (const [k, sql] of Object.entries(GUARDIAN_REFS) as [keyof typeof GUARDIAN_REFS, string][]) {
    const { rows } = await trx.raw(sql, { from: fromGuardianId, to: intoGuardianId });
    refs[k] = rows.map((r: { id: string | number }) => String(r.id));
  }
  await trx.raw('DELETE FROM guardians WHERE id = :fromGuardianId', { fromGuardianId });
  return refs;
}
/** The undo of a fold's references: exactly the rows it re-pointed. */
export async function unfoldGuardianRefs(trx: Trx, guardianId: string, refs: GuardianRefs) {
  for (const [k, sql] of Object.entries(GUARDIAN_REFS_BY_ID) as [keyof typeof GUARDIAN_REFS, string][]) {
    if (refs[k]?.length) await trx.raw(sql, { to: guardianId, ids: refs[k] });
  }
}

export const setFamilyDay = (trx: Trx, batchIds: string[], familyDay: boolean) =>
  batchIds.length ? trx('checkin_batches').whereIn('id', batchIds).update({ family_day: familyDay }) : Promise.resolve(0);

/**
 * Both families hold an active express code: the kept family's stays the family's key tag; the
 * merged family's is revoked (and moves with the rest, so its history stays). Returns the ids revoked.
 */
export async function revokeClashingExpressCodes(trx: Trx, intoId: string, fromId: string): Promise<string[]> {
  const { rows } = await trx.raw(
    `UPDATE household_express_codes f SET revoked_at = now()
     WHERE f.household_id = :fromId AND f.revoked_at IS NULL
       AND EXISTS (SELECT 1 FROM household_express_codes i WHERE i.household_id = :intoId AND i.revoked_at IS NULL)
     RETURNING f.id`,
    { intoId, fromId },
  );
  return rows.map((r: { id: string }) => r.id);
}
export const unrevokeExpressCodes = (trx: Trx, ids: string[]) =>
  ids.length ? trx('household_express_codes').whereIn('id', ids).update({ revoked_at: null }) : Promise.resolve(0);

/** Pending pre-check-ins of the merged family for a service the kept family also has one pending for. */
export async function clashingPrecheckins(trx: Trx, intoId: string, fromId: string): Promise<{ from_id: string; into_id: string; into_child_ids: string[] }[]> {
  const { rows } = await trx.raw(
    `SELECT f.id AS from_id, i.id AS into_id, i.child_ids AS into_child_ids FROM precheckins f
     JOIN precheckins i ON i.household_id = :intoId AND i.service_id = f.service_id AND i.used_at IS NULL
     WHERE f.household_id = :fromId AND f.used_at IS NULL ORDER BY f.id`,
    { intoId, fromId },
  );
  return rows;
}
/** The kept family's pending choice takes the merged family's children too; the merged family's row goes. */
export async function foldPrecheckin(trx: Trx, fromId: string, intoId: string) {
  await trx.raw(
    `UPDATE precheckins i SET child_ids = i.child_ids || ARRAY(SELECT c FROM unnest(f.child_ids) c WHERE c <> ALL (i.child_ids))
     FROM precheckins f WHERE i.id = :intoId AND f.id = :fromId`,
    { fromId, intoId },
  );
  await trx('precheckins').where({ id: fromId }).delete();
}
export async function setPrecheckinChildren(trx: Trx, id: string, childIds: string[]): Promise<void> {
  await trx.raw('UPDATE precheckins SET child_ids = :childIds::uuid[] WHERE id = :id', { id, childIds });
}

/** Links of the merged family sent in a week the kept family also has one for: the week mark is dropped (the link still works). */
export async function clearClashingLinkWeeks(trx: Trx, intoId: string, fromId: string): Promise<{ id: string; send_date: string }[]> {
  const { rows } = await trx.raw(
    `WITH c AS (
       SELECT f.id, to_char(f.send_date, 'YYYY-MM-DD') AS send_date FROM precheckin_links f
       JOIN precheckin_links i ON i.household_id = :intoId AND i.site_id = f.site_id AND i.send_date = f.send_date
       WHERE f.household_id = :fromId)
     UPDATE precheckin_links l SET send_date = NULL FROM c WHERE l.id = c.id RETURNING c.id, c.send_date`,
    { intoId, fromId },
  );
  return rows;
}
export async function restoreLinkWeek(trx: Trx, id: string, sendDate: string): Promise<void> {
  await trx.raw('UPDATE precheckin_links SET send_date = :sendDate::date WHERE id = :id', { id, sendDate });
}

export type MovedIds = Record<HouseholdTable | 'external_ids', string[]>;

/** Every row of the family moves, in one statement per table; answers the ids moved. */
export async function moveAll(trx: Trx, intoId: string, fromId: string): Promise<MovedIds> {
  const moved = {} as MovedIds;
  for (const table of HOUSEHOLD_TABLES) {
    const { rows } = await trx.raw(`UPDATE ${table} SET household_id = :intoId WHERE household_id = :fromId RETURNING id`, { intoId, fromId });
    moved[table] = rows.map((r: { id: string }) => r.id);
  }
  // the source's ids now name the kept family (a re-import finds it); a clash keeps the kept family's own
  const { rows } = await trx.raw(`UPDATE external_ids e SET entity_id = :intoId WHERE e.entity = 'household' AND e.entity_id = :fromId RETURNING id`, {
    intoId,
    fromId,
  });
  moved.external_ids = rows.map((r: { id: string | number }) => String(r.id));
  return moved;
}

/** The undo: exactly the rows the merge moved go back (rows added to the kept family since stay). */
export async function moveBack(trx: Trx, intoId: string, fromId: string, moved: MovedIds) {
  for (const table of HOUSEHOLD_TABLES) {
    const ids = moved[table] ?? [];
    if (ids.length)
      await trx.raw(`UPDATE ${table} SET household_id = :fromId WHERE household_id = :intoId AND id = ANY(:ids::uuid[])`, { intoId, fromId, ids });
  }
  if (moved.external_ids?.length)
    await trx.raw(`UPDATE external_ids SET entity_id = :fromId WHERE entity = 'household' AND entity_id = :intoId AND id = ANY(:ids::bigint[])`, {
      intoId,
      fromId,
      ids: moved.external_ids,
    });
}

export const deleteHousehold = (trx: Trx, id: string) => trx('households').where({ id }).delete();

/** Check-ins made after the merge, in the kept family, of children the merge moved (an undo would split them from their batch). */
export async function laterCheckinsOf(trx: Trx, intoId: string, childIds: string[], since: string): Promise<number> {
  if (!childIds.length) return 0;
  const { rows } = await trx.raw(
    `SELECT count(*)::int AS n FROM checkins WHERE household_id = :intoId AND child_id = ANY(:childIds::uuid[]) AND checked_in_at > :since::timestamptz`,
    { intoId, childIds, since },
  );
  return rows[0].n;
}

export interface MergeRow {
  id: string;
  organization_id: string;
  site_id: string;
  into_household_id: string;
  from_household_id: string;
  from_name: string;
  created_at: string;
  undo_until: string;
  undone_at: string | null;
  expired: boolean;
  record: unknown;
}

export async function insertMerge(
  trx: Trx,
  row: { organizationId: string; siteId: string; intoId: string; fromId: string; fromName: string; mergedBy: string | null; record: unknown },
): Promise<{ id: string; undo_until: Date }> {
  const { rows } = await trx.raw(
    `INSERT INTO household_merges (organization_id, site_id, into_household_id, from_household_id, from_name, merged_by, undo_until, record)
     VALUES (:organizationId, :siteId, :intoId, :fromId, :fromName, :mergedBy, now() + interval '24 hours', :record::jsonb)
     RETURNING id, undo_until`,
    { ...row, record: JSON.stringify(row.record) },
  );
  return rows[0];
}

const MERGE_COLUMNS = `id, organization_id, site_id, into_household_id, from_household_id, from_name,
  to_jsonb(created_at) #>> '{}' AS created_at, undo_until, undone_at, undo_until <= now() AS expired`;

/** The merge, locked: two undos of it serialise (the second sees it undone). */
export async function lockMerge(trx: Trx, id: string): Promise<MergeRow | undefined> {
  const { rows } = await trx.raw(`SELECT ${MERGE_COLUMNS}, record FROM household_merges WHERE id = :id FOR UPDATE`, { id });
  return rows[0];
}
export async function markUndone(trx: Trx, id: string, by: string | null): Promise<void> {
  await trx.raw('UPDATE household_merges SET undone_at = now(), undone_by = :by WHERE id = :id', { id, by });
}

/** Merges into a family that can still be undone (newest first). */
export async function undoableMerges(trx: Trx, intoId: string): Promise<Omit<MergeRow, 'record'>[]> {
  const { rows } = await trx.raw(
    `SELECT ${MERGE_COLUMNS} FROM household_merges WHERE into_household_id = :intoId AND undone_at IS NULL AND undo_until > now() ORDER BY created_at DESC`,
    { intoId },
  );
  return rows;
}
