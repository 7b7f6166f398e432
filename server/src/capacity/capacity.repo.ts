import { inSequence } from '../db/transaction';
import { inlineUuids } from '../db/inline';
import type { Knex } from 'knex';
import type { RoomState } from './rules';

type Db = Knex | Knex.Transaction;
/** A service_rooms ⋈ rooms row as ROOM_COLUMNS read it (state_version where it is joined in). */
export interface ServiceRoomRow {
  room_id: string;
  open: boolean;
  capacity: number;
  volunteers: number;
  ratio_override: boolean;
  name: string;
  kind: 'regular' | 'overflow';
  sort_order: number;
  age_group: string | null;
  ratio: number | null;
  min_age_months: number | null;
  max_age_months: number | null;
  min_grade: number | null;
  max_grade: number | null;
  state_version?: number | string | null;
  /** the care needs the room can meet (read by the check-in's placement) */
  care_needs?: string[] | null;
}
const ROOM_COLUMNS = [
  'sr.room_id',
  'sr.open',
  'sr.capacity',
  'sr.volunteers',
  'sr.ratio_override',
  'r.name',
  'r.kind',
  'r.sort_order',
  'r.age_group',
  'r.ratio',
  'r.min_age_months',
  'r.max_age_months',
  'r.min_grade',
  'r.max_grade',
];

/** A service_rooms ⋈ rooms row (ROOM_COLUMNS) as the rules see it. */
export function toState(row: ServiceRoomRow, headcount: number): RoomState {
  return {
    roomId: row.room_id,
    name: row.name,
    kind: row.kind,
    sortOrder: row.sort_order,
    ageGroup: row.age_group || row.name,
    open: row.open,
    capacity: row.capacity,
    volunteers: row.volunteers,
    ratio: row.ratio,
    ratioOverride: row.ratio_override,
    headcount,
    version: row.state_version != null ? Number(row.state_version) : undefined,
    minAgeMonths: row.min_age_months,
    maxAgeMonths: row.max_age_months,
    minGrade: row.min_grade,
    maxGrade: row.max_grade,
    ...(row.care_needs?.length ? { careNeeds: row.care_needs } : {}),
  };
}

/**
 * Physical headcounts (DESIGN §3): the distinct children checked in to each room and not yet
 * picked up, across every service of the service's day (a 9:00 child still in the room counts
 * when 10:30 check-in opens). Without roomIds: the service's rooms.
 */
export async function countHeadcounts(db: Db, serviceId: string, roomIds?: string[]): Promise<Map<string, number>> {
  const r = await db.raw(
    `SELECT room_id, headcount AS count FROM room_day_occupancy
    WHERE service_date = (SELECT service_date FROM services WHERE id = :serviceId)
      AND room_id = ANY(coalesce(CAST(:roomIds AS uuid[]), ARRAY(SELECT room_id FROM service_rooms WHERE service_id = :serviceId)))`,
    { serviceId, roomIds: roomIds ?? null },
  );
  return new Map((r.rows as { room_id: string; count: number }[]).map((x) => [x.room_id, Number(x.count)]));
}

/** Every room of a service with its physical headcount (no locks: for reading). */
export async function listServiceRooms(db: Db, serviceId: string, roomIds?: string[]): Promise<RoomState[]> {
  const q = db('service_rooms as sr')
    .join('rooms as r', 'r.id', 'sr.room_id')
    .leftJoin('room_state_versions as v', 'v.room_id', 'sr.room_id')
    .select([...ROOM_COLUMNS, db.raw('coalesce(v.version, 0) AS state_version')])
    .where('sr.service_id', serviceId)
    .orderBy([{ column: 'r.sort_order' }, { column: 'r.name' }]);
  if (roomIds) q.whereIn('sr.room_id', roomIds);
  const [rows, counts] = await inSequence(
    () => q,
    () => countHeadcounts(db, serviceId, roomIds),
  );
  return rows.map((row) => toState(row, counts.get(row.room_id) ?? 0));
}

/** Services of the same site and day that use any of these physical rooms (the given one first). */
export async function servicesSharingRooms(db: Db, serviceId: string, roomIds: string[]): Promise<string[]> {
  const r = await db.raw(
    `SELECT DISTINCT o.id, o.id = :serviceId AS own, o.starts_at FROM services s
      JOIN services o ON o.site_id = s.site_id AND o.service_date = s.service_date
      JOIN service_rooms sr ON sr.service_id = o.id AND sr.room_id = ANY(CAST(:roomIds AS uuid[]))
    WHERE s.id = :serviceId ORDER BY own DESC, o.starts_at`,
    { serviceId, roomIds },
  );
  const ids = (r.rows as { id: string }[]).map((x) => x.id);
  return ids.includes(serviceId) ? ids : [serviceId, ...ids];
}

/**
 * The one lock order of physical rooms (regular before overflow, each in id order), shared by the
 * check-in, staff changes, moves, cancels, undo and checkouts so that none can deadlock with
 * another. `inList`: ids already checked to be UUIDs, quoted and comma-separated.
 */
export const lockRoomsSql = (where: string, columns = 'id') => `SELECT ${columns} FROM rooms WHERE ${where} ORDER BY kind = 'overflow', id FOR UPDATE`;
export const LOCK_ROOMS_SQL = (inList: string) => lockRoomsSql(`id IN (${inList})`);

/**
 * Locks physical rooms for a staff change or a move (`rooms` rows: regular before overflow, each
 * in id order — the check-in's global order, so they never deadlock with it), then reads, in a
 * second statement that sees everything committed by the previous lock holder, the service's
 * settings for those rooms and their physical headcounts. One simple-protocol message: the ids
 * are checked to be UUIDs and inlined.
 */
export async function lockServiceRooms(trx: Knex.Transaction, serviceId: string, roomIds: string[]): Promise<RoomState[]> {
  if (roomIds.length === 0) return [];
  inlineUuids([serviceId], 'lockServiceRooms');
  const inList = inlineUuids(roomIds, 'lockServiceRooms');
  type Answers = [unknown, { rows: ServiceRoomRow[] }, { rows: { room_id: string; count: number }[] }];
  const [, locked, counted] = (await trx.raw(`${LOCK_ROOMS_SQL(inList)};
    SELECT ${ROOM_COLUMNS.join(', ')} FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id
      WHERE sr.service_id = '${serviceId}' AND sr.room_id IN (${inList}) ORDER BY r.kind = 'overflow', sr.room_id;
    SELECT room_id, headcount AS count FROM room_day_occupancy WHERE room_id IN (${inList})
      AND service_date = (SELECT service_date FROM services WHERE id = '${serviceId}')`)) as Answers;
  const counts = new Map(counted.rows.map((r) => [r.room_id, Number(r.count)]));
  return locked.rows.map((row) => toState(row, counts.get(row.room_id) ?? 0));
}

/**
 * Locks physical rooms alone (`rooms` rows, in the check-in's global order), for a path that
 * changes who is in them without reading their settings: a checkout. Every change of a room's
 * headcount (the trigger on checkins, migration 20261206000100) then happens under its lock.
 */
export async function lockRooms(trx: Knex.Transaction, roomIds: string[]): Promise<void> {
  const ids = [...new Set(roomIds)];
  if (ids.length === 0) return;
  await trx.raw(LOCK_ROOMS_SQL(inlineUuids(ids, 'lockRooms')));
}

export async function updateServiceRoom(trx: Knex.Transaction, serviceId: string, roomId: string, patch: Record<string, unknown>) {
  await trx('service_rooms').where({ service_id: serviceId, room_id: roomId }).update(patch);
}

/**
 * The next version of each room's state (one nextval per room, taken in the select list, i.e.
 * after that room's row lock is granted: commit order per room. Under the room's lock, which this
 * takes too, in the check-in's order — a checkout holds no room lock of its own until here). Read
 * the state after this: a fresh statement then sees everything the previous lock holder committed.
 */
export async function bumpRoomVersions(trx: Knex.Transaction, roomIds: string[]): Promise<Map<string, number>> {
  if (!roomIds.length) return new Map();
  const { rows } = await trx.raw(
    `WITH l AS (${lockRoomsSql('id = ANY(CAST(:roomIds AS uuid[]))', 'id, organization_id')})
    INSERT INTO room_state_versions (room_id, version, organization_id) SELECT id, nextval('room_state_version_seq'), organization_id FROM l
    ON CONFLICT (room_id) DO UPDATE SET version = EXCLUDED.version
    RETURNING room_id, version`,
    { roomIds: `{${roomIds.join(',')}}` },
  );
  return new Map((rows as { room_id: string; version: string }[]).map((r) => [r.room_id, Number(r.version)]));
}

/**
 * Moves a room's volunteer count for a service by `delta` (a volunteer checked in or out). Call it
 * holding the room's lock (lockServiceRooms): the check-in reads this column under that lock.
 */
export async function adjustVolunteers(trx: Knex.Transaction, serviceId: string, roomId: string, delta: number): Promise<number> {
  const [row] = await trx('service_rooms')
    .where({ service_id: serviceId, room_id: roomId })
    .update({ volunteers: trx.raw('greatest(volunteers + ?, 0)', [delta]) })
    .returning('volunteers');
  return Number(row?.volunteers ?? 0);
}

/** The volunteers with an open shift in the room for the service (checked in, before any staff correction). */
export async function countCheckedInVolunteers(db: Db, serviceId: string, roomId: string): Promise<number> {
  const r = await db.raw(`SELECT count(*)::int AS n FROM volunteer_shifts WHERE service_id = :serviceId AND room_id = :roomId AND checked_out_at IS NULL`, {
    serviceId,
    roomId,
  });
  return Number(r.rows[0]?.n ?? 0);
}

export interface VolunteerCorrectionInsert {
  organization_id: string;
  site_id: string;
  service_id: string;
  room_id: string;
  present: number;
  before: number;
  checked_in: number;
  reason: string;
  corrected_by: string | null;
}
/** A staff correction of a room's volunteers present for one service (DESIGN §15). */
export async function insertVolunteerCorrection(trx: Knex.Transaction, row: VolunteerCorrectionInsert): Promise<void> {
  await trx('volunteer_corrections').insert(row);
}

export interface VolunteerCorrectionRow {
  room_id: string;
  present: number;
  before: number;
  checked_in: number;
  reason: string;
  corrected_at: Date;
  corrected_by: string | null;
}
/** The latest correction of each room of the service, with who made it (name or email). */
export async function latestVolunteerCorrections(db: Db, serviceId: string): Promise<VolunteerCorrectionRow[]> {
  const r = await db.raw(
    `SELECT DISTINCT ON (c.room_id) c.room_id, c.present, c.before, c.checked_in, c.reason, c.corrected_at, coalesce(u.name, u.email) AS corrected_by
       FROM volunteer_corrections c LEFT JOIN users u ON u.id = c.corrected_by
      WHERE c.service_id = :serviceId ORDER BY c.room_id, c.corrected_at DESC`,
    { serviceId },
  );
  return r.rows as VolunteerCorrectionRow[];
}

export interface CheckinForMove {
  id: string;
  site_id: string;
  service_id: string;
  room_id: string;
  status: string;
  birthdate: string | null;
  grade: number | null;
  first_name: string;
}

/** A check-in and its child's age facts, locked, for a staff move to another room. */
export const lockCheckinForMove = (trx: Knex.Transaction, checkinId: string): Promise<CheckinForMove | undefined> =>
  trx('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .select('c.id', 'c.site_id', 'c.service_id', 'c.room_id', 'c.status', 'ch.birthdate', 'ch.grade', 'ch.first_name')
    .where('c.id', checkinId)
    .forUpdate('c')
    .first();

export async function setCheckinRoom(trx: Knex.Transaction, checkinId: string, roomId: string): Promise<void> {
  await trx('checkins').where({ id: checkinId }).update({ room_id: roomId });
}
