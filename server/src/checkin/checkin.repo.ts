import type { Knex } from 'knex';
import { smsRecipients } from '../notifications/outbox.repo';

type Db = Knex | Knex.Transaction;

export interface BatchRow { id: string; site_id: string; service_id: string; household_id: string; security_code: string | null; idempotency_key: string; refused: any[]; pass_id: string | null }

export async function findBatchByKey(db: Db, siteId: string, key: string): Promise<BatchRow | undefined> {
  return db('checkin_batches as b').leftJoin('pickup_passes as p', 'p.batch_id', 'b.id')
    .select('b.id', 'b.site_id', 'b.service_id', 'b.household_id', 'b.security_code', 'b.idempotency_key', 'b.refused', 'p.id as pass_id')
    .where({ 'b.site_id': siteId, 'b.idempotency_key': key }).first();
}

export const updateBatch = (trx: Knex.Transaction, id: string, patch: { refused?: string; security_code?: string | null }) =>
  trx('checkin_batches').where({ id }).update(patch);

export function batchCheckins(db: Db, batchId: string) {
  return db('checkins as c').join('rooms as r', 'r.id', 'c.room_id').join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.child_id', 'c.room_id', 'r.name as room_name', 'ch.first_name', 'ch.last_name', 'ch.allergies', 'c.status', 'c.checked_in_at')
    .where('c.batch_id', batchId).orderBy(['ch.first_name', 'c.id']);
}

/*
 * The statements below are named (prepared once per connection, then only bound and executed):
 * they run on every check-in, and parsing and planning them each time cost PostgreSQL more CPU
 * than executing them.
 */

/**
 * Everything the check-in decides on before it takes any lock, in one round trip (the check-in
 * is the system's busiest path): the service with its site, a batch already under this
 * idempotency key, the household, the requested children, which of them are checked in already,
 * and the service's rooms (for choosing which rooms to lock; their live state is read again under
 * the lock). JSON keeps the six answers in one row.
 */
export async function loadCheckinContext(db: Db, q: { siteId: string; serviceId: string; householdId: string; childIds: string[]; idempotencyKey: string }) {
  const r = await db.raw(`SELECT
    (SELECT row_to_json(x) FROM (SELECT s.id, s.site_id, s.name, s.starts_at, s.checkin_opens_at, s.checkin_closes_at, s.service_date, st.name AS site_name, st.timezone, st.settings
       FROM services s JOIN sites st ON st.id = s.site_id WHERE s.id = ?) x) AS service,
    (SELECT row_to_json(x) FROM (SELECT b.id, b.site_id, b.service_id, b.household_id, b.security_code, b.idempotency_key, b.refused, p.id AS pass_id
       FROM checkin_batches b LEFT JOIN pickup_passes p ON p.batch_id = b.id WHERE b.site_id = ? AND b.idempotency_key = ?) x) AS previous,
    (SELECT row_to_json(x) FROM (SELECT id, site_id, name FROM households WHERE id = ?) x) AS household,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT id, first_name, last_name, birthdate, grade, allergies
       FROM children WHERE household_id = ? AND id = ANY(?::uuid[])) x) AS children,
    (SELECT coalesce(json_agg(child_id), '[]') FROM checkins WHERE service_id = ? AND status = 'checked_in' AND child_id = ANY(?::uuid[])) AS already,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT sr.room_id, sr.open, sr.capacity, sr.volunteers, sr.ratio_override, r.name, r.kind, r.sort_order, r.age_group, r.ratio,
       r.min_age_months, r.max_age_months, r.min_grade, r.max_grade
       FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id WHERE sr.service_id = ? ORDER BY r.sort_order, r.name) x) AS rooms`,
  // in the order of the ?s above
  [q.serviceId, q.siteId, q.idempotencyKey, q.householdId, q.householdId, q.childIds, q.serviceId, q.childIds, q.serviceId]).options({ name: 'kc_checkin_context' });
  const row = r.rows[0];
  return {
    service: row.service as Record<string, any> | null,
    previous: (row.previous ?? undefined) as BatchRow | undefined,
    household: row.household as { id: string; site_id: string; name: string } | null,
    children: row.children as { id: string; first_name: string; last_name: string; birthdate: string | null; grade: number | null; allergies: string }[],
    already: new Set(row.already as string[]),
    rooms: row.rooms as Record<string, any>[],
  };
}

export interface BatchInsert {
  site_id: string; service_id: string; household_id: string; service_date: string; security_code: string;
  idempotency_key: string; kiosk_id: string | null; user_id: string | null;
}

/**
 * Inserts the batch with a speculative pickup pass (its id made here, so no round trip for it):
 * a batch that admits nobody has its pass deleted again, a rare path. undefined means the key or
 * the code is taken.
 */
export async function tryInsertBatchWithPass(trx: Knex.Transaction, b: BatchInsert, pass: { id: string; token_hash: string; timezone: string }): Promise<string | undefined> {
  const r = await trx.raw(`WITH b AS (
      INSERT INTO checkin_batches (site_id, service_id, household_id, service_date, security_code, idempotency_key, kiosk_id, user_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id, service_date),
    p AS (INSERT INTO pickup_passes (id, batch_id, token_hash, expires_at)
      SELECT ?, b.id, ?, ((b.service_date + 1)::timestamp AT TIME ZONE ?) FROM b)
    SELECT id FROM b`,
  [b.site_id, b.service_id, b.household_id, b.service_date, b.security_code, b.idempotency_key, b.kiosk_id, b.user_id, pass.id, pass.token_hash, pass.timezone])
    .options({ name: 'kc_checkin_batch' });
  return r.rows[0]?.id;
}

/** A batch that admitted nobody: its speculative pass and any receipt go, its code is released, its refusals kept. */
export async function closeEmptyBatch(trx: Knex.Transaction, batchId: string, passId: string, refused: string): Promise<void> {
  await trx.raw(`WITH p AS (DELETE FROM pickup_passes WHERE id = ?),
      n AS (DELETE FROM notifications WHERE batch_id = ? AND kind = 'checkin_receipt')
    UPDATE checkin_batches SET refused = ?::jsonb, security_code = NULL WHERE id = ?`, [passId, batchId, refused, batchId]);
}

/**
 * Inserts the check-ins (a child checked in meanwhile by another kiosk is skipped) and, in the
 * same round trip (it runs under the room locks, where every round trip counts):
 * - the SMS receipt to the household's recipients (smsRecipients chooses them, checkinReceiptBody
 *   wrote the text: the rows enqueueCheckinReceipt would write) and the audit row — both only when
 *   every planned child was inserted, so their details are exactly what the caller would write
 *   (`receipts` 0 / `audited` false: the caller writes them, with the skipped children left out);
 * - the audit row, when every planned child was inserted — its details are then exactly what the
 *   caller would write (`audited` false: the caller writes it, with the skipped children added);
 * - what the capacity alerts are judged on: the service's standing alerts, arrivals per room in
 *   the projection window, and the headcounts of `countRoomIds` (rooms of the affected age groups
 *   that this transaction did not lock). These reads share the statement's snapshot, so they do
 *   not see the rows it inserts: the caller adds those.
 */
export async function insertCheckinsReadingAlertInputs(trx: Knex.Transaction, c: {
  batchId: string; siteId: string; serviceId: string; householdId: string; securityCode: string; kioskId: string | null; userId: string | null;
  placed: { childId: string; roomId: string }[];
  audit: { actorKind: string; actorId: string; refused: unknown[] };
  /** the SMS receipt's text for the planned placement (null: nobody placed) */
  receiptBody: string | null;
}, q: { arrivalRoomIds: string[]; countRoomIds: string[]; windowMinutes: number }) {
  const recipients = smsRecipients(trx, c.householdId).toSQL();
  const r = await trx.raw(`WITH ins AS (
      INSERT INTO checkins (batch_id, site_id, service_id, room_id, child_id, household_id, security_code, kiosk_id, user_id)
      SELECT ?, ?, ?, t.room_id, t.child_id, ?, ?, ?, ? FROM unnest(?::uuid[], ?::uuid[]) AS t(room_id, child_id)
      ON CONFLICT (child_id, service_id) WHERE status = 'checked_in' DO NOTHING RETURNING id, child_id, room_id),
    aud AS (
      INSERT INTO audit_log (site_id, actor_kind, actor_id, action, entity, entity_id, details)
      SELECT ?, ?, ?, 'checkin.create', 'checkin_batch', ?, jsonb_build_object('serviceId', ?::text, 'householdId', ?::text,
        'admitted', coalesce((SELECT jsonb_agg(jsonb_build_object('checkinId', id, 'childId', child_id, 'roomId', room_id)) FROM ins), '[]'::jsonb),
        'refused', ?::jsonb)
      WHERE (SELECT count(*) FROM ins) = ? RETURNING id),
    rcp AS (
      INSERT INTO notifications (site_id, guardian_id, batch_id, "to", kind, body)
      SELECT ?::uuid, g.id, ?::uuid, g.phone, 'checkin_receipt', ?::text FROM (${recipients.sql}) AS g
      WHERE ?::boolean AND (SELECT count(*) FROM ins) = ? RETURNING id)
    SELECT (SELECT coalesce(json_agg(ins), '[]') FROM ins) AS admitted,
      EXISTS (SELECT 1 FROM aud) AS audited,
      (SELECT count(*)::int FROM rcp) AS receipts,
      (SELECT coalesce(json_agg(a), '[]') FROM (SELECT id, kind, age_group, message FROM alerts WHERE service_id = ? AND cleared_at IS NULL) a) AS standing,
      (SELECT coalesce(json_object_agg(room_id, n), '{}') FROM (SELECT room_id, count(*) AS n FROM checkins
         WHERE service_id = ? AND room_id = ANY(?::uuid[]) AND checked_in_at > now() - make_interval(mins => ?) GROUP BY room_id) x) AS arrivals,
      (SELECT coalesce(json_object_agg(room_id, n), '{}') FROM (SELECT room_id, count(*) AS n FROM checkins
         WHERE service_id = ? AND status = 'checked_in' AND room_id = ANY(?::uuid[]) GROUP BY room_id) x) AS headcounts`,
  [c.batchId, c.siteId, c.serviceId, c.householdId, c.securityCode, c.kioskId, c.userId, c.placed.map((p) => p.roomId), c.placed.map((p) => p.childId),
    c.siteId, c.audit.actorKind, c.audit.actorId, c.batchId, c.serviceId, c.householdId, JSON.stringify(c.audit.refused), c.placed.length,
    c.siteId, c.batchId, c.receiptBody ?? '', ...recipients.bindings, c.receiptBody != null, c.placed.length,
    c.serviceId, c.serviceId, q.arrivalRoomIds, q.windowMinutes, c.serviceId, q.countRoomIds]).options({ name: 'kc_checkin_insert' });
  const row = r.rows[0];
  return {
    admitted: row.admitted as { id: string; child_id: string; room_id: string }[],
    audited: row.audited as boolean,
    receipts: row.receipts as number,
    standing: row.standing as { id: string; kind: string; age_group: string; message: string }[],
    arrivals: row.arrivals as Record<string, number>,
    headcounts: row.headcounts as Record<string, number>,
  };
}
