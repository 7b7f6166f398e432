import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
/** A `service_schedules` row. */
export interface ScheduleRow {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  weekday: number;
  local_time: string;
  opens_before_minutes: number;
  closes_after_minutes: number;
  room_ids: string[] | null;
  overflow_open: boolean;
  active: boolean;
}
export type ScheduleInsert = Omit<ScheduleRow, 'id' | 'active'>;
export type SchedulePatchRow = Partial<Omit<ScheduleRow, 'id' | 'organization_id' | 'site_id'>>;
const COLUMNS = [
  'id',
  'organization_id',
  'site_id',
  'name',
  'weekday',
  'local_time',
  'opens_before_minutes',
  'closes_after_minutes',
  'room_ids',
  'overflow_open',
  'active',
];

export const listSchedules = (db: Db, siteId: string): Promise<ScheduleRow[]> =>
  db('service_schedules').select(COLUMNS).where({ site_id: siteId, active: true }).orderBy(['weekday', 'local_time', 'name']);
export const lockSchedule = (trx: Knex.Transaction, id: string): Promise<ScheduleRow | undefined> =>
  trx('service_schedules').select(COLUMNS).where({ id }).forUpdate().first();
export async function insertSchedule(trx: Knex.Transaction, row: ScheduleInsert): Promise<ScheduleRow> {
  const [r] = await trx('service_schedules').insert(row).returning<ScheduleRow[]>(COLUMNS);
  return r!;
}
export async function updateSchedule(trx: Knex.Transaction, id: string, patch: SchedulePatchRow): Promise<ScheduleRow> {
  const [r] = await trx('service_schedules').where({ id }).update(patch).returning<ScheduleRow[]>(COLUMNS);
  return r!;
}
/** Sites with an active schedule (the hourly top-up walks these). */
export const sitesWithSchedules = async (db: Db): Promise<string[]> =>
  (await db('service_schedules').distinct('site_id').where({ active: true })).map((r: { site_id: string }) => r.site_id);

export async function skipsOf(db: Db, scheduleIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!scheduleIds.length) return out;
  const rows = await db('service_schedule_skips')
    .select('schedule_id', db.raw("to_char(service_date, 'YYYY-MM-DD') AS date"))
    .whereIn('schedule_id', scheduleIds)
    .orderBy('service_date');
  for (const r of rows as { schedule_id: string; date: string }[]) out.set(r.schedule_id, [...(out.get(r.schedule_id) ?? []), r.date]);
  return out;
}
export async function insertSkip(trx: Knex.Transaction, scheduleId: string, date: string): Promise<void> {
  await trx.raw('INSERT INTO service_schedule_skips (schedule_id, service_date) VALUES (?, ?) ON CONFLICT DO NOTHING', [scheduleId, date]);
}
export const deleteSkip = (trx: Knex.Transaction, scheduleId: string, date: string) =>
  trx('service_schedule_skips').where({ schedule_id: scheduleId, service_date: date }).delete();

/** The generated services of schedules from a date on, with whether anyone was checked in. */
export async function generatedFrom(db: Db, scheduleIds: string[], fromDate: string) {
  if (!scheduleIds.length) return [];
  return db('services as s')
    .select('s.id', 's.schedule_id', 's.starts_at', 's.checkin_opens_at', db.raw("to_char(s.service_date, 'YYYY-MM-DD') AS service_date"))
    .select(db.raw('EXISTS (SELECT 1 FROM checkins c WHERE c.service_id = s.id) AS has_checkins'))
    .whereIn('s.schedule_id', scheduleIds)
    .where('s.service_date', '>=', fromDate)
    .orderBy('s.starts_at') as Promise<
    { id: string; schedule_id: string; starts_at: Date; checkin_opens_at: Date; service_date: string; has_checkins: boolean }[]
  >;
}
export const deleteServices = (trx: Knex.Transaction, ids: string[]) => (ids.length ? trx('services').whereIn('id', ids).delete() : Promise.resolve(0));

/** Inserts a generated service unless its schedule already has one that day; its id, or undefined. */
export async function insertGeneratedService(
  trx: Knex.Transaction,
  row: { site_id: string; schedule_id: string; name: string; starts_at: Date; checkin_opens_at: Date; checkin_closes_at: Date; service_date: string },
): Promise<string | undefined> {
  // bindings, not knex's .toQuery(): that writes a Date as the process's local wall time without an
  // offset, which PostgreSQL then reads in its own zone (a Kiritimati server shifted every service)
  const r = await trx.raw<{ rows: { id: string }[] }>(
    `INSERT INTO services (site_id, schedule_id, name, starts_at, checkin_opens_at, checkin_closes_at, service_date)
     VALUES (:site_id, :schedule_id, :name, :starts_at, :checkin_opens_at, :checkin_closes_at, :service_date)
     ON CONFLICT (schedule_id, service_date, organization_id) DO NOTHING RETURNING id`,
    row,
  );
  return r.rows[0]?.id;
}
