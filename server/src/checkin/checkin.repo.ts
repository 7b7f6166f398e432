import type { Knex } from 'knex';
import { escapeLiteral } from 'pg';
import { SMS_RECIPIENTS_SQL } from '../notifications/outbox.repo';
import { LOCK_ROOMS_SQL } from '../capacity/capacity.repo';
import { inlineUuids } from '../db/inline';

type Db = Knex | Knex.Transaction;

/*
 * The check-in's statements. They run on every check-in, so each is named (prepared once per
 * connection, then only bound and executed: parsing and planning them each time cost PostgreSQL
 * more CPU than executing them) and uses named bindings, so a reordered line cannot bind the
 * wrong value. `npm run queries` writes each with its EXPLAIN to server/src/queries/.
 */

/** A service of the request, with its site (JSON: timestamps arrive as strings). */
export interface ServiceJson {
  id: string;
  site_id: string;
  name: string;
  starts_at: string;
  checkin_opens_at: string;
  checkin_closes_at: string;
  service_date: string;
  site_name: string;
  timezone: string;
  settings: unknown;
  /** the organisation's settings: the defaults under the campus's own (DESIGN §10) */
  org_settings: unknown;
}
/** A service_rooms ⋈ rooms row. */
export interface ServiceRoomJson {
  service_id: string;
  room_id: string;
  open: boolean;
  capacity: number;
  volunteers: number;
  ratio_override: boolean;
  name: string;
  kind: 'regular' | 'overflow';
  sort_order: number;
  age_group: string;
  ratio: number | null;
  min_age_months: number | null;
  max_age_months: number | null;
  min_grade: number | null;
  max_grade: number | null;
  care_needs: string[];
  /** where the room is, for the family's finish screen (#30) */
  location: string | null;
}
/** An earlier request under the same idempotency key. */
export interface PreviousRequest {
  id: string;
  batch_id: string;
  request_hash: string | null;
  service_ids: string[];
  refused: unknown[];
  household_id: string;
  security_code: string | null;
  pass_id: string | null;
  /** the family had children checked in before this request */
  joined: boolean;
}
/** The family's batch for the day: its code and pickup pass. */
export interface FamilyDay {
  id: string;
  security_code: string | null;
  pass_id: string | null;
  has_children: boolean;
}
export interface ChildJson {
  id: string;
  first_name: string;
  last_name: string;
  birthdate: string | null;
  grade: number | null;
  allergies: string;
  allergy_severity: string | null;
  care_needs: string[];
}

const ROOM_JSON = `sr.service_id, sr.room_id, sr.open, sr.capacity, sr.volunteers, sr.ratio_override, r.name, r.kind, r.sort_order, r.age_group, r.ratio,
  r.min_age_months, r.max_age_months, r.min_grade, r.max_grade, r.care_needs, r.location`;

export const CHECKIN_CONTEXT_SQL = `WITH svc AS (
    SELECT s.id, s.site_id, s.name, s.starts_at, s.checkin_opens_at, s.checkin_closes_at, s.service_date, st.name AS site_name, st.timezone, st.settings,
      o.settings AS org_settings
    FROM services s JOIN sites st ON st.id = s.site_id JOIN organizations o ON o.id = st.organization_id WHERE s.id = ANY(CAST(:serviceIds AS uuid[])) AND s.site_id = :siteId),
  day AS (SELECT min(service_date) AS d FROM svc)
  SELECT
    (SELECT coalesce(json_agg(x ORDER BY x.starts_at, x.id), '[]') FROM svc x) AS services,
    (SELECT row_to_json(x) FROM (SELECT q.id, q.batch_id, q.request_hash, q.service_ids, q.refused, b.household_id, b.security_code, p.id AS pass_id,
         EXISTS (SELECT 1 FROM checkin_requests r2 JOIN checkins c2 ON c2.request_id = r2.id WHERE r2.batch_id = q.batch_id AND r2.created_at < q.created_at) AS joined
       FROM checkin_requests q JOIN checkin_batches b ON b.id = q.batch_id LEFT JOIN pickup_passes p ON p.batch_id = b.id
       WHERE q.site_id = :siteId AND q.idempotency_key = :idempotencyKey) x) AS previous,
    (SELECT row_to_json(x) FROM (SELECT id, site_id, organization_id, name, language FROM households WHERE id = :householdId) x) AS household,
    (SELECT row_to_json(x) FROM (SELECT b.id, b.security_code, p.id AS pass_id, EXISTS (SELECT 1 FROM checkins c WHERE c.batch_id = b.id) AS has_children
       FROM checkin_batches b LEFT JOIN pickup_passes p ON p.batch_id = b.id
       WHERE b.site_id = :siteId AND b.household_id = :householdId AND b.family_day AND b.service_date = (SELECT d FROM day)) x) AS family,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT id, first_name, last_name, birthdate, grade, allergies, allergy_severity, care_needs
       FROM children WHERE household_id = :householdId AND id = ANY(CAST(:childIds AS uuid[]))) x) AS children,
    (SELECT coalesce(json_agg(x ORDER BY x.sort_order, x.name), '[]') FROM (SELECT ${ROOM_JSON}
       FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id WHERE sr.service_id IN (SELECT id FROM svc)) x) AS rooms,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${ROOM_JSON}
       FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id JOIN services o ON o.id = sr.service_id
       WHERE o.site_id = :siteId AND o.service_date = (SELECT d FROM day) AND o.id NOT IN (SELECT id FROM svc)
         AND sr.room_id IN (SELECT room_id FROM service_rooms WHERE service_id IN (SELECT id FROM svc))) x) AS others,
    (SELECT coalesce(json_object_agg(o.room_id, o.headcount), '{}') FROM room_day_occupancy o
       WHERE o.service_date = (SELECT d FROM day) AND o.room_id IN (SELECT room_id FROM service_rooms WHERE service_id IN (SELECT id FROM svc))) AS counts,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT child_id, room_id, service_id FROM checkins
       WHERE child_id = ANY(CAST(:childIds AS uuid[])) AND service_date = (SELECT d FROM day) AND status = 'checked_in') x) AS present,
    (SELECT coalesce(json_agg(x), '[]') FROM (SELECT id, service_id, kind, age_group, message FROM alerts
       WHERE service_id IN (SELECT id FROM svc) AND cleared_at IS NULL) x) AS standing`;

/**
 * Everything the check-in decides on before it takes any lock, in one round trip: the services
 * with their site, an earlier request under this idempotency key, the household, the family's
 * batch for the day, the requested children, the services' rooms (for choosing which rooms to
 * lock; their live state is read again under the lock), the rooms of other services that day
 * sharing those physical rooms (their dashboards hear about the new headcount too), and, as last
 * committed, the rooms' physical headcounts, where the children already are today and the
 * services' standing alerts: a request that admits nobody by these (every room plainly full) is
 * answered without the rooms' locks (decide.ts, refusalWithoutLock).
 */
export async function loadCheckinContext(db: Db, q: { siteId: string; serviceIds: string[]; householdId: string; childIds: string[]; idempotencyKey: string }) {
  const r = await db.raw(CHECKIN_CONTEXT_SQL, q).options({ name: 'kc_checkin_context_v6' });
  const row = r.rows[0];
  return {
    services: row.services as ServiceJson[],
    previous: (row.previous ?? undefined) as PreviousRequest | undefined,
    household: row.household as { id: string; site_id: string; organization_id: string; name: string; language: string | null } | null,
    family: (row.family ?? undefined) as FamilyDay | undefined,
    children: row.children as ChildJson[],
    rooms: row.rooms as ServiceRoomJson[],
    others: row.others as ServiceRoomJson[],
    counts: new Map(Object.entries(row.counts as Record<string, number>).map(([id, n]) => [id, Number(n)])),
    present: row.present as Present[],
    standing: row.standing as { id: string; service_id: string; kind: string; age_group: string; message: string }[],
  };
}

export interface RequestInsert {
  organizationId: string;
  siteId: string;
  idempotencyKey: string;
  requestHash: string;
  serviceIds: string[];
  kioskId: string | null;
  userId: string | null;
}

export const JOIN_FAMILY_SQL = `WITH lk AS (SELECT id FROM checkin_batches WHERE id = :batchId FOR UPDATE),
    q AS (INSERT INTO checkin_requests (organization_id, site_id, batch_id, idempotency_key, request_hash, service_ids, kiosk_id, user_id)
      SELECT :organizationId, :siteId, lk.id, :idempotencyKey, :requestHash, CAST(:serviceIds AS uuid[]), :kioskId, :userId FROM lk
      ON CONFLICT DO NOTHING RETURNING id)
  SELECT (SELECT id FROM q) AS request_id`;

/**
 * JOIN_FAMILY_SQL with its values written in, for the simple-protocol message of lockPhysicalRooms:
 * ids checked to be UUIDs, the idempotency key and the hash quoted by pg's own escapeLiteral.
 */
function joinFamilyInline(batchId: string, q: RequestInsert): string {
  const ids = [batchId, q.organizationId, q.siteId, ...q.serviceIds, ...(q.kioskId ? [q.kioskId] : []), ...(q.userId ? [q.userId] : [])];
  inlineUuids(ids, 'joinFamilyInline');
  const uuidOrNull = (id: string | null) => (id ? `'${id}'::uuid` : 'NULL::uuid');
  return `WITH lk AS (SELECT id FROM checkin_batches WHERE id = '${batchId}' FOR UPDATE),
    q AS (INSERT INTO checkin_requests (organization_id, site_id, batch_id, idempotency_key, request_hash, service_ids, kiosk_id, user_id)
      SELECT '${q.organizationId}', '${q.siteId}', lk.id, ${escapeLiteral(q.idempotencyKey)}, ${escapeLiteral(q.requestHash)},
        ARRAY[${inlineUuids(q.serviceIds, 'joinFamilyInline')}]::uuid[], ${uuidOrNull(q.kioskId)}, ${uuidOrNull(q.userId)} FROM lk
      ON CONFLICT DO NOTHING RETURNING id)
  SELECT (SELECT id FROM q) AS request_id`;
}

/**
 * Joins the family's batch for the day: locks it (a family's check-ins run one at a time, so a
 * child cannot be checked in twice by two kiosks at once) and records this request. undefined:
 * the idempotency key is taken (the caller replays the earlier request).
 */
export async function joinFamilyDay(trx: Knex.Transaction, batchId: string, q: RequestInsert): Promise<string | undefined> {
  const r = await trx.raw(JOIN_FAMILY_SQL, { batchId, ...q }).options({ name: 'kc_checkin_join_v2' });
  return r.rows[0]?.request_id ?? undefined;
}

export const NEW_FAMILY_SQL = `WITH b AS (
      INSERT INTO checkin_batches (organization_id, site_id, service_id, household_id, service_date, security_code, family_day, kiosk_id, user_id)
      VALUES (:organizationId, :siteId, :serviceId, :householdId, CAST(:serviceDate AS date), :securityCode, true, :kioskId, :userId)
      ON CONFLICT DO NOTHING RETURNING id),
    p AS (INSERT INTO pickup_passes (organization_id, id, batch_id, token_hash, expires_at)
      SELECT :organizationId, :passId, b.id, :tokenHash, ((CAST(:serviceDate AS date) + 1)::timestamp AT TIME ZONE :timezone) FROM b),
    q AS (INSERT INTO checkin_requests (organization_id, site_id, batch_id, idempotency_key, request_hash, service_ids, kiosk_id, user_id)
      SELECT :organizationId, :siteId, b.id, :idempotencyKey, :requestHash, CAST(:serviceIds AS uuid[]), :kioskId, :userId FROM b
      ON CONFLICT DO NOTHING RETURNING id)
  SELECT (SELECT id FROM b) AS batch_id, (SELECT id FROM q) AS request_id`;

/**
 * The family's first check-in of the day: its batch (code, pickup pass) and this request in one
 * statement. batchId undefined: the code is taken, or another kiosk just made this family's batch
 * (the unique index made us wait for it) — the caller looks again. requestId undefined with a
 * batch: the idempotency key is taken.
 */
export async function startFamilyDay(
  trx: Knex.Transaction,
  b: {
    serviceId: string;
    householdId: string;
    serviceDate: string;
    securityCode: string;
    passId: string;
    tokenHash: string;
    timezone: string;
  },
  q: RequestInsert,
): Promise<{ batchId?: string; requestId?: string }> {
  const r = await trx.raw(NEW_FAMILY_SQL, { ...b, ...q }).options({ name: 'kc_checkin_family_v2' });
  return { batchId: r.rows[0]?.batch_id ?? undefined, requestId: r.rows[0]?.request_id ?? undefined };
}

/**
 * Who dropped the children off (DESIGN §16): stamped on this request only when the guardian is an
 * adult of the household, with its audit row on the family's batch (the child's trail shows it).
 * undefined: not a guardian of this household.
 */
export async function recordDropOff(
  trx: Knex.Transaction,
  d: {
    requestId: string;
    batchId: string;
    householdId: string;
    guardianId: string;
    organizationId: string;
    siteId: string;
    actorKind: string;
    actorId: string;
  },
): Promise<string | undefined> {
  const r = await trx.raw(
    `WITH g AS (SELECT id, trim(first_name || ' ' || last_name) AS name FROM guardians WHERE id = :guardianId AND household_id = :householdId),
      q AS (UPDATE checkin_requests SET dropped_off_by = g.id FROM g WHERE checkin_requests.id = :requestId RETURNING g.name),
      a AS (INSERT INTO audit_log (organization_id, site_id, actor_kind, actor_id, action, entity, entity_id, details)
        SELECT :organizationId, :siteId, :actorKind, :actorId, 'checkin.dropped_off', 'checkin_batch', :batchId,
          jsonb_build_object('requestId', CAST(:requestId AS text), 'guardianId', CAST(:guardianId AS text), 'name', q.name) FROM q RETURNING id)
    SELECT (SELECT name FROM q) AS name, (SELECT count(*) FROM a) AS audited`,
    d,
  );
  return r.rows[0]?.name ?? undefined;
}

export async function findFamilyDay(db: Db, siteId: string, householdId: string, serviceDate: string): Promise<FamilyDay | undefined> {
  const r = await db.raw(
    `SELECT b.id, b.security_code, p.id AS pass_id, EXISTS (SELECT 1 FROM checkins c WHERE c.batch_id = b.id) AS has_children
    FROM checkin_batches b LEFT JOIN pickup_passes p ON p.batch_id = b.id
    WHERE b.site_id = :siteId AND b.household_id = :householdId AND b.service_date = CAST(:serviceDate AS date) AND b.family_day`,
    { siteId, householdId, serviceDate },
  );
  return r.rows[0];
}

export async function findRequestByKey(db: Db, siteId: string, key: string): Promise<PreviousRequest | undefined> {
  const r = await db.raw(
    `SELECT q.id, q.batch_id, q.request_hash, q.service_ids, q.refused, b.household_id, b.security_code, p.id AS pass_id,
         EXISTS (SELECT 1 FROM checkin_requests r2 JOIN checkins c2 ON c2.request_id = r2.id WHERE r2.batch_id = q.batch_id AND r2.created_at < q.created_at) AS joined
    FROM checkin_requests q JOIN checkin_batches b ON b.id = q.batch_id LEFT JOIN pickup_passes p ON p.batch_id = b.id
    WHERE q.site_id = :siteId AND q.idempotency_key = :key`,
    { siteId, key },
  );
  return r.rows[0];
}

/** One check-in an earlier request admitted, read again for its replay. */
export interface ReplayedCheckinRow {
  id: string;
  child_id: string;
  room_id: string;
  room_name: string;
  room_location: string | null;
  first_name: string;
  last_name: string;
  allergies: string;
  allergy_severity: string | null;
  service_id: string;
  service_name: string;
  starts_at: Date;
}

/** What a request admitted, for a replay. */
export async function requestCheckins(db: Db, requestId: string) {
  const r = await db.raw(
    `SELECT c.id, c.child_id, c.room_id, r.name AS room_name, r.location AS room_location, ch.first_name, ch.last_name, ch.allergies, ch.allergy_severity, c.service_id, s.name AS service_name, s.starts_at
    FROM checkins c JOIN rooms r ON r.id = c.room_id JOIN children ch ON ch.id = c.child_id JOIN services s ON s.id = c.service_id
    WHERE c.request_id = :requestId ORDER BY s.starts_at, ch.first_name, c.id`,
    { requestId },
  );
  return r.rows as ReplayedCheckinRow[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Locks the physical rooms (`rooms` rows — regular rooms before overflow rooms, each in id
 * order: one global order, shared with moves and staff changes, so two transactions never
 * deadlock even when a check-in locks its overflow rooms in a second step), then, in fresh
 * statements that see everything committed by whoever held the lock before us (READ COMMITTED):
 * the services' live room settings, the physical headcounts (distinct children in the room that
 * day, whatever their service), and — when `childIds` is given — where those children already are
 * today.
 *
 * All statements travel in one simple-protocol message (one round trip: the lock is held from here
 * to COMMIT, so every round trip under it is paid by every kiosk queued behind it). The simple
 * protocol carries no parameters, so ids and the date are checked and inlined.
 */
export async function lockPhysicalRooms(
  trx: Knex.Transaction,
  p: { serviceIds: string[]; roomIds: string[]; serviceDate: string; childIds?: string[]; join?: { batchId: string; request: RequestInsert } },
) {
  if (p.roomIds.length === 0) {
    // nothing to lock (only overflow rooms fit): still find where the children already are today
    const present = p.childIds?.length
      ? ((
          await trx.raw(
            `SELECT child_id, room_id, service_id FROM checkins
      WHERE child_id = ANY(CAST(:childIds AS uuid[])) AND service_date = CAST(:serviceDate AS date) AND status = 'checked_in'`,
            { childIds: p.childIds, serviceDate: p.serviceDate },
          )
        ).rows as Present[])
      : [];
    return { rows: [] as ServiceRoomJson[], headcounts: new Map<string, number>(), present };
  }
  const ids = [...p.serviceIds, ...p.roomIds, ...(p.childIds ?? [])];
  inlineUuids(ids, 'lockPhysicalRooms');
  if (!DATE_RE.test(p.serviceDate)) throw new Error('lockPhysicalRooms: the date must be YYYY-MM-DD');
  const list = (xs: string[]) => inlineUuids(xs, 'lockPhysicalRooms');
  const rooms = list(p.roomIds);
  // the day as the services' own date, never a date written into the SQL text (they are all of one day)
  const day = `(SELECT service_date FROM services WHERE id = '${p.serviceIds[0]}')`;
  const sql = [
    // the lock alone: the statements after it take a fresh snapshot once it is held, so they see
    // what the previous holder committed (a joined row read here would be the pre-wait copy)
    LOCK_ROOMS_SQL(rooms),
    `SELECT ${ROOM_JSON} FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id
      WHERE sr.service_id IN (${list(p.serviceIds)}) AND sr.room_id IN (${rooms}) ORDER BY r.kind = 'overflow', r.id`,
    // the physical headcounts, kept by the trigger on checkins (migration 20261206000100)
    `SELECT room_id, headcount AS count FROM room_day_occupancy WHERE room_id IN (${rooms}) AND service_date = ${day}`,
  ];
  if (p.childIds?.length) {
    sql.push(`SELECT child_id, room_id, service_id FROM checkins
      WHERE child_id IN (${list(p.childIds)}) AND service_date = ${day} AND status = 'checked_in'`);
  }
  // a returning family's day is joined first, in the same message (its lock comes before the rooms', as on every path)
  if (p.join) sql.unshift(joinFamilyInline(p.join.batchId, p.join.request));
  const results = await trx.raw<{ rows: any[] }[]>(sql.join(';\n'));
  const answers = p.join ? results.slice(1) : results;
  const counts = (rows: { room_id: string; count: number }[]) => new Map(rows.map((r) => [r.room_id, Number(r.count)]));
  return {
    rows: answers[1]!.rows as ServiceRoomJson[],
    headcounts: counts(answers[2]!.rows),
    present: (answers[3]?.rows ?? []) as Present[],
    /** with `join`: this request's id, undefined when its idempotency key is taken (the caller replays) */
    requestId: p.join ? ((results[0]!.rows[0]?.request_id as string | null) ?? undefined) : undefined,
  };
}
/** A child checked in (not yet picked up) today: where and for which service. */
export interface Present {
  child_id: string;
  room_id: string;
  service_id: string;
}

export interface CheckinInsert {
  organizationId: string;
  batchId: string;
  requestId: string;
  siteId: string;
  householdId: string;
  securityCode: string;
  serviceDate: string;
  kioskId: string | null;
  userId: string | null;
  placed: { serviceId: string; roomId: string; childId: string }[];
  /** the audit row: who, and what was refused */
  actorKind: string;
  actorId: string;
  serviceIds: string[];
  refused: unknown[];
  /** the SMS receipt's text for the placement (null: none to send) */
  receiptBody: string | null;
  /** what the capacity alerts of `alertServiceId` are judged on (the single-service fast path) */
  alertServiceId: string | null;
  arrivalRoomIds: string[];
  countRoomIds: string[];
  windowMinutes: number;
}

export const INSERT_CHECKINS_SQL = `WITH ins AS (
      INSERT INTO checkins (organization_id, batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id, security_code, kiosk_id, user_id)
      SELECT :organizationId, :batchId, :requestId, :siteId, t.service_id, CAST(:serviceDate AS date), t.room_id, t.child_id, :householdId, :securityCode, :kioskId, :userId
      FROM unnest(CAST(:placedServiceIds AS uuid[]), CAST(:placedRoomIds AS uuid[]), CAST(:placedChildIds AS uuid[])) AS t(service_id, room_id, child_id)
      ON CONFLICT (child_id, service_id, organization_id) WHERE status = 'checked_in' DO NOTHING RETURNING id, child_id, room_id, service_id),
    aud AS (
      INSERT INTO audit_log (organization_id, site_id, actor_kind, actor_id, action, entity, entity_id, details)
      SELECT :organizationId, :siteId, :actorKind, :actorId, 'checkin.create', 'checkin_batch', :batchId, jsonb_build_object(
        'requestId', CAST(:requestId AS text), 'serviceIds', to_jsonb(CAST(:serviceIds AS text[])), 'householdId', CAST(:householdId AS text),
        'admitted', coalesce((SELECT jsonb_agg(jsonb_build_object('checkinId', id, 'childId', child_id, 'roomId', room_id, 'serviceId', service_id)) FROM ins), '[]'::jsonb),
        'refused', CAST(:refused AS jsonb))
      RETURNING id),
    rcp AS (
      INSERT INTO notifications (organization_id, site_id, guardian_id, batch_id, "to", kind, body)
      SELECT CAST(:organizationId AS uuid), CAST(:siteId AS uuid), g.id, CAST(:batchId AS uuid), g.phone, 'checkin_receipt', CAST(:receiptBody AS text) FROM (${SMS_RECIPIENTS_SQL}) AS g
      WHERE CAST(:hasReceipt AS boolean) AND (SELECT count(*) FROM ins) = CAST(:planned AS int) RETURNING id),
    pass AS (
      UPDATE pickup_passes SET revoked_at = NULL WHERE batch_id = :batchId AND revoked_at IS NOT NULL AND EXISTS (SELECT 1 FROM ins) RETURNING id),
    req AS (
      UPDATE checkin_requests SET refused = CAST(:refused AS jsonb) WHERE id = :requestId AND jsonb_array_length(CAST(:refused AS jsonb)) > 0 RETURNING id),
    ver AS (
      INSERT INTO room_state_versions (organization_id, room_id, version)
      SELECT CAST(:organizationId AS uuid), t.room_id, (SELECT nextval('room_state_version_seq')) FROM (SELECT DISTINCT room_id FROM unnest(CAST(:placedRoomIds AS uuid[])) AS u(room_id)) t
      ON CONFLICT (room_id) DO UPDATE SET version = EXCLUDED.version RETURNING room_id, version)
  SELECT (SELECT coalesce(json_agg(ins), '[]') FROM ins) AS admitted,
    (SELECT coalesce(json_object_agg(room_id, version), '{}') FROM ver) AS versions,
    (SELECT count(*)::int FROM rcp) AS receipts,
    (SELECT count(*) FROM aud) + (SELECT count(*) FROM pass) + (SELECT count(*) FROM req) AS written,
    (SELECT coalesce(json_agg(a), '[]') FROM (SELECT id, kind, age_group, message FROM alerts WHERE service_id = :alertServiceId AND cleared_at IS NULL) a) AS standing,
    (SELECT coalesce(json_object_agg(room_id, n), '{}') FROM (SELECT room_id, count(*) AS n FROM checkins
       WHERE room_id = ANY(CAST(:arrivalRoomIds AS uuid[])) AND service_date = CAST(:serviceDate AS date) AND checked_in_at > now() - make_interval(mins => CAST(:windowMinutes AS int)) GROUP BY room_id) x) AS arrivals,
    (SELECT coalesce(json_object_agg(room_id, headcount), '{}') FROM room_day_occupancy
       WHERE room_id = ANY(CAST(:countRoomIds AS uuid[])) AND service_date = CAST(:serviceDate AS date)) AS headcounts`;

/**
 * Inserts the check-ins with, in the same round trip (it runs under the room locks, where every
 * round trip counts), the new state version of every room that took a child (one `nextval` for
 * the whole transaction: the rooms are locked since lockPhysicalRooms, so versions still follow
 * commit order per room), the request's one audit row, its SMS receipt (only when every planned child
 * was inserted: the text names them), the pass brought back to life for a family that had picked
 * everyone up earlier, the request's refusals, and what the capacity alerts are judged on: the
 * standing alerts, arrivals per room in the projection window, and the physical headcounts of
 * `countRoomIds` (rooms of the affected age groups this transaction did not lock). These reads
 * share the statement's snapshot, so they do not see the rows it inserts: the caller adds those.
 */
export async function insertCheckins(trx: Knex.Transaction, c: CheckinInsert) {
  const r = await trx
    .raw(INSERT_CHECKINS_SQL, {
      organizationId: c.organizationId,
      batchId: c.batchId,
      requestId: c.requestId,
      siteId: c.siteId,
      serviceDate: c.serviceDate,
      householdId: c.householdId,
      securityCode: c.securityCode,
      kioskId: c.kioskId,
      userId: c.userId,
      placedServiceIds: c.placed.map((p) => p.serviceId),
      placedRoomIds: c.placed.map((p) => p.roomId),
      placedChildIds: c.placed.map((p) => p.childId),
      actorKind: c.actorKind,
      actorId: c.actorId,
      serviceIds: c.serviceIds,
      refused: JSON.stringify(c.refused),
      receiptBody: c.receiptBody ?? '',
      hasReceipt: c.receiptBody != null,
      planned: c.placed.length,
      alertServiceId: c.alertServiceId,
      arrivalRoomIds: c.arrivalRoomIds,
      countRoomIds: c.countRoomIds,
      windowMinutes: c.windowMinutes,
    })
    .options({ name: 'kc_checkin_insert_v5' });
  const row = r.rows[0];
  return {
    admitted: row.admitted as { id: string; child_id: string; room_id: string; service_id: string }[],
    receipts: row.receipts as number,
    versions: new Map(Object.entries(row.versions as Record<string, string | number>).map(([id, v]) => [id, Number(v)])),
    standing: row.standing as { id: string; kind: string; age_group: string; message: string }[],
    arrivals: row.arrivals as Record<string, number>,
    headcounts: row.headcounts as Record<string, number>,
  };
}

/** The families of these that already hold a code for the day at this campus with a child checked in under it (kiosk look-ups: proof needed). */
export async function familiesHoldingCode(db: Db, siteId: string, householdIds: string[], serviceId: string): Promise<Set<string>> {
  if (!householdIds.length) return new Set();
  const { rows } = await db.raw<{ rows: { household_id: string }[] }>(
    `SELECT b.household_id FROM checkin_batches b
     WHERE b.site_id = :siteId AND b.household_id = ANY(:householdIds) AND b.family_day
       AND b.service_date = (SELECT service_date FROM services WHERE id = :serviceId AND site_id = :siteId)
       AND EXISTS (SELECT 1 FROM checkins c WHERE c.batch_id = b.id)`,
    { siteId, householdIds, serviceId },
  );
  return new Set(rows.map((r) => r.household_id));
}

/** A pickup pass still alive (not revoked at the last checkout, not past the end of its day). */
export async function passIsLive(db: Db, passId: string): Promise<boolean> {
  const { rows } = await db.raw('SELECT 1 FROM pickup_passes WHERE id = :passId AND revoked_at IS NULL AND expires_at > now()', { passId });
  return rows.length > 0;
}

/** A code texted to one of the family's guardians ("Is this you?" / proof at the kiosk) that has not expired yet. */
export async function textedCodeIsLive(db: Db, householdId: string, codeHash: string): Promise<boolean> {
  const { rows } = await db.raw(
    'SELECT 1 FROM household_join_codes WHERE household_id = :householdId AND code_hash = :codeHash AND expires_at > now() LIMIT 1',
    {
      householdId,
      codeHash,
    },
  );
  return rows.length > 0;
}

export async function setHouseholdLanguage(trx: Knex.Transaction, householdId: string, lang: string): Promise<void> {
  await trx('households').where({ id: householdId }).update({ language: lang });
}
