import type { Knex } from 'knex';
import type { AlertEvent } from '../../../contracts';

type Db = Knex | Knex.Transaction;
/** An `alerts` row as the repo reads it (COLUMNS). */
export interface AlertRow {
  id: string;
  site_id: string;
  service_id: string;
  kind: AlertEvent['kind'];
  age_group: string;
  room_ids: string[] | null;
  message: string;
  projected_minutes: number | null;
  raised_at: Date;
  cleared_at: Date | null;
  acknowledged_at: Date | null;
}
const COLUMNS = ['id', 'site_id', 'service_id', 'kind', 'age_group', 'room_ids', 'message', 'projected_minutes', 'raised_at', 'cleared_at', 'acknowledged_at'];

export const findAlert = (db: Db, id: string): Promise<AlertRow | undefined> => db('alerts').select(COLUMNS).where({ id }).first();

export function standingAlerts(db: Db, serviceId: string): Promise<AlertRow[]> {
  return db('alerts').select(COLUMNS).where({ service_id: serviceId }).whereNull('cleared_at');
}

/** Raises an alert unless the same condition already stands (partial unique index). */
export async function tryRaise(
  trx: Knex.Transaction,
  row: {
    site_id: string;
    service_id: string;
    kind: AlertEvent['kind'];
    age_group: string;
    room_ids: string[];
    message: string;
    projected_minutes: number | null;
  },
) {
  const r = await trx.raw(
    `INSERT INTO alerts (site_id, service_id, kind, age_group, room_ids, message, projected_minutes)
     VALUES (:site_id, :service_id, :kind, :age_group, :room_ids, :message, :projected_minutes)
     ON CONFLICT (service_id, kind, age_group, organization_id) WHERE cleared_at IS NULL DO NOTHING RETURNING ${COLUMNS.join(', ')}`,
    row,
  );
  return r.rows[0] as AlertRow | undefined;
}

export async function refresh(trx: Knex.Transaction, id: string, message: string, projectedMinutes: number | null) {
  const rows = await trx('alerts').where({ id }).whereNull('cleared_at').update({ message, projected_minutes: projectedMinutes }).returning(COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export async function clear(trx: Knex.Transaction, id: string) {
  const rows = await trx('alerts').where({ id }).whereNull('cleared_at').update({ cleared_at: trx.fn.now() }).returning(COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export async function acknowledge(trx: Knex.Transaction, id: string, siteId: string, userId: string) {
  const rows = await trx('alerts').where({ id, site_id: siteId }).update({ acknowledged_at: trx.fn.now(), acknowledged_by: userId }).returning(COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export function listAlerts(db: Db, serviceId: string): Promise<AlertRow[]> {
  return db('alerts').select(COLUMNS).where({ service_id: serviceId }).orderBy('raised_at', 'desc').limit(200);
}

/** Arrivals in the last `minutes` into the given physical rooms, from any service of the day (for the fill-rate projection). */
export async function recentArrivals(db: Db, serviceId: string, roomIds: string[], minutes: number): Promise<number> {
  if (!roomIds.length) return 0;
  const r = await db.raw(
    `SELECT count(*)::int AS n FROM checkins WHERE room_id = ANY(CAST(:roomIds AS uuid[]))
      AND service_date = (SELECT service_date FROM services WHERE id = :serviceId) AND checked_in_at > now() - make_interval(mins => CAST(:minutes AS int))`,
    { serviceId, roomIds, minutes },
  );
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Clears the standing forecasts ("full in ~N min": open_room alerts with minutes ahead) of services
 * whose check-in has closed: no more arrivals are coming. Returns what it cleared.
 */
export async function clearClosedForecasts(trx: Knex.Transaction): Promise<AlertRow[]> {
  const r = await trx.raw(
    `UPDATE alerts a SET cleared_at = now() FROM services s
      WHERE s.id = a.service_id AND s.checkin_closes_at <= now() AND a.cleared_at IS NULL AND a.kind = 'open_room' AND a.projected_minutes > 0
      RETURNING ${COLUMNS.map((c) => `a.${c}`).join(', ')}`,
  );
  return r.rows as AlertRow[];
}
