import type { Knex } from 'knex';
import type { AlertEvent } from '../../../contracts';

type Db = Knex | Knex.Transaction;
/** An `alerts` row as the repo reads it (ALERT_COLUMNS). */
export interface AlertRow {
  id: string;
  site_id: string;
  /** null: the campus's alert (a label printer down), standing whatever services the day has */
  service_id: string | null;
  kind: AlertEvent['kind'];
  age_group: string;
  room_ids: string[] | null;
  message: string;
  projected_minutes: number | null;
  raised_at: Date;
  cleared_at: Date | null;
  acknowledged_at: Date | null;
  /** alerts ahead (DESIGN §17): the adults a forecast_volunteers alert asks for */
  forecast_need?: number | null;
}
/** An alert row's columns as every reader selects them (capacity alerts and the alerts ahead). */
export const ALERT_COLUMNS = [
  'id',
  'site_id',
  'service_id',
  'kind',
  'age_group',
  'room_ids',
  'message',
  'projected_minutes',
  'raised_at',
  'cleared_at',
  'acknowledged_at',
  'forecast_need',
];

export const findAlert = (db: Db, id: string): Promise<AlertRow | undefined> => db('alerts').select(ALERT_COLUMNS).where({ id }).first();

export function standingAlerts(db: Db, serviceId: string): Promise<AlertRow[]> {
  return db('alerts').select(ALERT_COLUMNS).where({ service_id: serviceId }).whereNull('cleared_at');
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
     ON CONFLICT (service_id, kind, age_group, organization_id) WHERE cleared_at IS NULL DO NOTHING RETURNING ${ALERT_COLUMNS.join(', ')}`,
    row,
  );
  return r.rows[0] as AlertRow | undefined;
}

/**
 * Raises a campus's alert, with no service (DESIGN §18: a printer is down on a day with or without
 * services), unless the same condition already stands (alerts_site_standing_unique).
 */
export async function tryRaiseSiteAlert(
  trx: Knex.Transaction,
  row: { site_id: string; kind: AlertEvent['kind']; age_group: string; message: string },
): Promise<AlertRow | undefined> {
  const r = await trx.raw(
    `INSERT INTO alerts (site_id, service_id, kind, age_group, room_ids, message, projected_minutes)
     VALUES (:site_id, NULL, :kind, :age_group, '{}', :message, NULL)
     ON CONFLICT (site_id, kind, age_group, organization_id) WHERE service_id IS NULL AND cleared_at IS NULL DO NOTHING
     RETURNING ${ALERT_COLUMNS.join(', ')}`,
    row,
  );
  return r.rows[0] as AlertRow | undefined;
}

/** A campus's alerts without a service: the standing ones and those cleared in the last day. */
export function listSiteAlerts(db: Db, siteId: string): Promise<AlertRow[]> {
  return db('alerts')
    .select(ALERT_COLUMNS)
    .where({ site_id: siteId })
    .whereNull('service_id')
    .where((q) => q.whereNull('cleared_at').orWhere('cleared_at', '>', db.raw("now() - interval '1 day'")))
    .orderBy('raised_at', 'desc')
    .limit(200);
}

export async function refresh(trx: Knex.Transaction, id: string, message: string, projectedMinutes: number | null) {
  const rows = await trx('alerts').where({ id }).whereNull('cleared_at').update({ message, projected_minutes: projectedMinutes }).returning(ALERT_COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export async function clear(trx: Knex.Transaction, id: string) {
  const rows = await trx('alerts').where({ id }).whereNull('cleared_at').update({ cleared_at: trx.fn.now() }).returning(ALERT_COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export async function acknowledge(trx: Knex.Transaction, id: string, siteId: string, userId: string) {
  const rows = await trx('alerts').where({ id, site_id: siteId }).update({ acknowledged_at: trx.fn.now(), acknowledged_by: userId }).returning(ALERT_COLUMNS);
  return rows[0] as AlertRow | undefined;
}

export function listAlerts(db: Db, serviceId: string): Promise<AlertRow[]> {
  return db('alerts').select(ALERT_COLUMNS).where({ service_id: serviceId }).orderBy('raised_at', 'desc').limit(200);
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
 * Clears the standing forecasts ("full in ~N min": open_room alerts with minutes ahead, and the
 * alerts ahead of DESIGN §17) of services whose check-in has closed: no more arrivals are coming.
 * Returns what it cleared.
 */
export async function clearClosedForecasts(trx: Knex.Transaction): Promise<AlertRow[]> {
  const r = await trx.raw(
    `UPDATE alerts a SET cleared_at = now() FROM services s
      WHERE s.id = a.service_id AND s.checkin_closes_at <= now() AND a.cleared_at IS NULL
        AND ((a.kind = 'open_room' AND a.projected_minutes > 0) OR a.kind IN ('forecast_open_room', 'forecast_volunteers'))
      RETURNING ${ALERT_COLUMNS.map((c) => `a.${c}`).join(', ')}`,
  );
  return r.rows as AlertRow[];
}
