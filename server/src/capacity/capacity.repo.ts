import { inSequence } from '../db/transaction';
import type { Knex } from 'knex';
import type { RoomState } from './rules';

type Db = Knex | Knex.Transaction;
const ROOM_COLUMNS = [
  'sr.room_id', 'sr.open', 'sr.capacity', 'sr.volunteers', 'sr.ratio_override',
  'r.name', 'r.kind', 'r.sort_order', 'r.age_group', 'r.ratio', 'r.min_age_months', 'r.max_age_months', 'r.min_grade', 'r.max_grade',
];

/** A service_rooms ⋈ rooms row (ROOM_COLUMNS) as the rules see it. */
export function toState(row: Record<string, any>, headcount: number): RoomState {
  return {
    roomId: row.room_id, name: row.name, kind: row.kind, sortOrder: row.sort_order, ageGroup: row.age_group || row.name,
    open: row.open, capacity: row.capacity, volunteers: row.volunteers, ratio: row.ratio, ratioOverride: row.ratio_override,
    headcount, minAgeMonths: row.min_age_months, maxAgeMonths: row.max_age_months, minGrade: row.min_grade, maxGrade: row.max_grade,
  };
}

/** Headcounts of rooms in a service (children checked in), from the partial index. */
export async function countHeadcounts(db: Db, serviceId: string, roomIds?: string[]): Promise<Map<string, number>> {
  const q = db('checkins').select('room_id').count<{ room_id: string; count: number }[]>('* as count')
    .where({ service_id: serviceId, status: 'checked_in' }).groupBy('room_id');
  if (roomIds) q.whereIn('room_id', roomIds);
  const rows = await q;
  return new Map(rows.map((r) => [r.room_id, Number(r.count)]));
}

/** Every room of a service with its headcount (no locks: for reading). */
export async function listServiceRooms(db: Db, serviceId: string, roomIds?: string[]): Promise<RoomState[]> {
  const q = db('service_rooms as sr').join('rooms as r', 'r.id', 'sr.room_id').select(ROOM_COLUMNS)
    .where('sr.service_id', serviceId).orderBy([{ column: 'r.sort_order' }, { column: 'r.name' }]);
  if (roomIds) q.whereIn('sr.room_id', roomIds);
  const [rows, counts] = await inSequence(() => q, () => countHeadcounts(db, serviceId, roomIds));
  return rows.map((row) => toState(row, counts.get(row.room_id) ?? 0));
}

/**
 * Locks the service_rooms rows — regular rooms before overflow rooms, each in room-id order: one
 * global order, so two transactions never deadlock, even when a check-in locks its overflow rooms
 * in a second step after its regular ones — then counts headcounts in a second statement: under
 * READ COMMITTED that statement takes a fresh snapshot once the lock is held, so it sees every
 * check-in committed by whoever held the lock before us.
 *
 * Both statements travel in one simple-protocol message (one round trip instead of two: the lock
 * is held from here to COMMIT, so every round trip under it is paid by every kiosk queued behind
 * it). The simple protocol carries no parameters, so the ids are checked to be UUIDs and inlined.
 */
export async function lockServiceRooms(trx: Knex.Transaction, serviceId: string, roomIds: string[]): Promise<RoomState[]> {
  if (roomIds.length === 0) return [];
  const ids = [serviceId, ...roomIds];
  if (!ids.every((id) => UUID_RE.test(id))) throw new Error('lockServiceRooms: ids must be UUIDs');
  const inList = roomIds.map((id) => `'${id}'`).join(', ');
  const [locked, counted] = (await trx.raw(`SELECT ${ROOM_COLUMNS.join(', ')} FROM service_rooms sr JOIN rooms r ON r.id = sr.room_id
      WHERE sr.service_id = '${serviceId}' AND sr.room_id IN (${inList}) ORDER BY r.kind = 'overflow', sr.room_id FOR UPDATE OF sr;
    SELECT room_id, count(*)::int AS count FROM checkins WHERE service_id = '${serviceId}' AND status = 'checked_in' AND room_id IN (${inList}) GROUP BY room_id`)) as { rows: Record<string, any>[] }[];
  const counts = new Map(counted!.rows.map((r) => [r.room_id as string, Number(r.count)]));
  return locked!.rows.map((row) => toState(row, counts.get(row.room_id) ?? 0));
}
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function updateServiceRoom(trx: Knex.Transaction, serviceId: string, roomId: string, patch: Record<string, unknown>) {
  await trx('service_rooms').where({ service_id: serviceId, room_id: roomId }).update(patch);
}
