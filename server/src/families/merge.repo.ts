import type { Knex } from 'knex';

type Trx = Knex.Transaction;

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
      (SELECT count(*) FROM external_ids WHERE entity = 'household' AND entity_id = :fromId)::int AS "externalIds"`,
    { fromId },
  );
  return rows[0] as Record<string, number>;
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

/** One person with two rows: the kept row takes the STOP (any), the opt-in (both) and every reference. */
export async function foldGuardian(trx: Trx, fromGuardianId: string, intoGuardianId: string) {
  await trx.raw(
    `UPDATE guardians i SET sms_opted_out_at = coalesce(i.sms_opted_out_at, f.sms_opted_out_at), sms_opt_in = i.sms_opt_in AND f.sms_opt_in
    FROM guardians f WHERE i.id = :intoGuardianId AND f.id = :fromGuardianId`,
    { fromGuardianId, intoGuardianId },
  );
  await trx.raw('UPDATE notifications SET guardian_id = :intoGuardianId WHERE guardian_id = :fromGuardianId', { fromGuardianId, intoGuardianId });
  await trx.raw("UPDATE checkins SET picked_up_person_id = :intoGuardianId WHERE picked_up_person_id = :fromGuardianId AND picked_up_kind = 'guardian'", {
    fromGuardianId,
    intoGuardianId,
  });
  await trx.raw('UPDATE household_join_codes SET guardian_id = :intoGuardianId WHERE guardian_id = :fromGuardianId', { fromGuardianId, intoGuardianId });
  await trx.raw("UPDATE external_ids SET entity_id = :intoGuardianId WHERE entity = 'guardian' AND entity_id = :fromGuardianId", {
    fromGuardianId,
    intoGuardianId,
  });
  await trx.raw('DELETE FROM guardians WHERE id = :fromGuardianId', { fromGuardianId });
}

export const dropFamilyDay = (trx: Trx, batchIds: string[]) =>
  batchIds.length ? trx('checkin_batches').whereIn('id', batchIds).update({ family_day: false }) : Promise.resolve(0);

/** Every row of the family moves, in one statement per table. */
export async function moveAll(trx: Trx, intoId: string, fromId: string) {
  for (const table of ['guardians', 'children', 'authorized_pickups', 'custody_alerts', 'checkin_batches', 'checkins', 'household_join_codes']) {
    await trx.raw(`UPDATE ${table} SET household_id = :intoId WHERE household_id = :fromId`, { intoId, fromId });
  }
  // the source's ids now name the kept family (a re-import finds it); a clash keeps the kept family's own
  await trx.raw(`UPDATE external_ids e SET entity_id = :intoId WHERE e.entity = 'household' AND e.entity_id = :fromId`, { intoId, fromId });
}
export const deleteHousehold = (trx: Trx, id: string) => trx('households').where({ id }).delete();
