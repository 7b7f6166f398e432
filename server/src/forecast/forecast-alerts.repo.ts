/** The alerts ahead's writes (DESIGN §17): raise a condition once, list and clear the standing ones. */
import type { Knex } from 'knex';
import { ALERT_COLUMNS as COLUMNS, type AlertRow } from '../capacity/alerts.repo';

type Db = Knex | Knex.Transaction;
const KINDS = ['forecast_open_room', 'forecast_volunteers'];

/**
 * Raises an alert ahead unless its condition was ever raised for the service (alerts_condition_once)
 * or one of its kind stands for the group (alerts_standing_unique) — and never once check-in has
 * closed (checked in the statement itself, not before it).
 */
export async function raiseAhead(
  trx: Knex.Transaction,
  row: {
    site_id: string;
    service_id: string;
    kind: 'forecast_open_room' | 'forecast_volunteers';
    age_group: string;
    room_ids: string[];
    message: string;
    projected_minutes: number | null;
    condition_key: string;
    forecast_need: number | null;
  },
): Promise<AlertRow | undefined> {
  const r = await trx.raw(
    `INSERT INTO alerts (site_id, service_id, kind, age_group, room_ids, message, projected_minutes, condition_key, forecast_need)
     SELECT :site_id, :service_id, :kind, :age_group, CAST(:room_ids AS uuid[]), :message, :projected_minutes, :condition_key, :forecast_need
      WHERE EXISTS (SELECT 1 FROM services WHERE id = :service_id AND checkin_closes_at > now())
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS.join(', ')}`,
    row,
  );
  return r.rows[0] as AlertRow | undefined;
}

export function standingAhead(db: Db, serviceId: string): Promise<AlertRow[]> {
  return db('alerts').select(COLUMNS).where({ service_id: serviceId }).whereIn('kind', KINDS).whereNull('cleared_at');
}

export async function clearAhead(trx: Knex.Transaction, id: string): Promise<AlertRow | undefined> {
  const rows = await trx('alerts').where({ id }).whereNull('cleared_at').update({ cleared_at: trx.fn.now() }).returning(COLUMNS);
  return rows[0] as AlertRow | undefined;
}
