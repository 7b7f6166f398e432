/**
 * The forecast's reads (DESIGN §17): a slot's past services, their check-ins, imported attendance
 * in the slot's windows, today's arrivals. Read-only; raw SQL with named bindings.
 */
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface SlotService {
  id: string;
  date: string;
  starts_at: Date;
  schedule_id: string | null;
  /** minutes between this service's local start and the target's (0: same time) */
  offset_minutes: number;
}

export interface TargetSlot {
  serviceId: string;
  siteId: string;
  timezone: string;
  serviceDate: string;
  startsAt: Date;
  scheduleId: string | null;
  /** how far back to look for occurrences, in days */
  lookbackDays: number;
}

/**
 * Past services of the same weekly slot at the campus: the same schedule, or (when either has no
 * schedule) the same local weekday with a start within 30 minutes of the target's.
 */
export async function slotServices(db: Db, t: TargetSlot): Promise<SlotService[]> {
  const r = await db.raw(
    `WITH target AS (
       SELECT extract(dow FROM CAST(:startsAt AS timestamptz) AT TIME ZONE :tz) AS dow,
              extract(epoch FROM CAST(CAST(:startsAt AS timestamptz) AT TIME ZONE :tz AS time)) / 60 AS minute)
     SELECT s.id, to_char(s.service_date, 'YYYY-MM-DD') AS date, s.starts_at, s.schedule_id,
            extract(epoch FROM CAST(s.starts_at AT TIME ZONE :tz AS time)) / 60 - target.minute AS offset_minutes
       FROM services s, target
      WHERE s.site_id = :siteId AND s.id <> :serviceId
        AND s.service_date < CAST(:serviceDate AS date) AND s.service_date >= CAST(:serviceDate AS date) - CAST(:lookbackDays AS int)
        AND ((CAST(:scheduleId AS uuid) IS NOT NULL AND s.schedule_id = CAST(:scheduleId AS uuid))
          OR ((CAST(:scheduleId AS uuid) IS NULL OR s.schedule_id IS NULL)
              AND extract(dow FROM s.starts_at AT TIME ZONE :tz) = target.dow
              AND abs(extract(epoch FROM CAST(s.starts_at AT TIME ZONE :tz AS time)) / 60 - target.minute) <= 30))
      ORDER BY s.service_date DESC, s.starts_at`,
    {
      startsAt: t.startsAt.toISOString(),
      tz: t.timezone,
      siteId: t.siteId,
      serviceId: t.serviceId,
      serviceDate: t.serviceDate,
      lookbackDays: t.lookbackDays,
      scheduleId: t.scheduleId,
    },
  );
  return (r.rows as SlotService[]).map((x) => ({ ...x, offset_minutes: Number(x.offset_minutes) }));
}

export interface Arrival {
  room_id: string;
  /** minutes from the start of its occurrence */
  minute: number;
}

/** Check-ins of these services (not cancelled), in minutes from each service's start. */
export async function serviceArrivals(db: Db, serviceIds: string[]): Promise<(Arrival & { service_id: string })[]> {
  if (!serviceIds.length) return [];
  const r = await db.raw(
    `SELECT c.service_id, c.room_id, extract(epoch FROM c.checked_in_at - s.starts_at) / 60 AS minute
       FROM checkins c JOIN services s ON s.id = c.service_id
      WHERE c.service_id = ANY(CAST(:serviceIds AS uuid[])) AND c.status <> 'cancelled'`,
    { serviceIds },
  );
  return (r.rows as (Arrival & { service_id: string })[]).map((x) => ({ ...x, minute: Number(x.minute) }));
}

/**
 * Imported attendance (attendance_history) of the campus inside each slot window: rows whose
 * checked_in_at falls between start − before and start + after of that date's slot.
 */
export async function importedArrivals(
  db: Db,
  siteId: string,
  slots: { date: string; startsAt: Date }[],
  beforeMinutes: number,
  afterMinutes: number,
): Promise<(Arrival & { date: string })[]> {
  if (!slots.length) return [];
  const r = await db.raw(
    `SELECT sl.date, a.room_id, extract(epoch FROM a.checked_in_at - sl.starts_at) / 60 AS minute
       FROM unnest(CAST(:dates AS text[]), CAST(:starts AS timestamptz[])) AS sl(date, starts_at)
       JOIN attendance_history a ON a.site_id = :siteId
        AND a.checked_in_at >= sl.starts_at - make_interval(mins => CAST(:before AS int))
        AND a.checked_in_at <= sl.starts_at + make_interval(mins => CAST(:after AS int))`,
    { siteId, dates: slots.map((s) => s.date), starts: slots.map((s) => s.startsAt.toISOString()), before: beforeMinutes, after: afterMinutes },
  );
  return (r.rows as (Arrival & { date: string })[]).map((x) => ({ ...x, minute: Number(x.minute) }));
}

/**
 * The latest check-in close, at the campus, of the services that start before this one on its
 * date (null: none): imported arrivals before that moment were another service's.
 */
export async function earlierServiceClose(db: Db, t: { siteId: string; serviceId: string; serviceDate: string; startsAt: Date }): Promise<Date | null> {
  const r = await db.raw(
    `SELECT max(checkin_closes_at) AS closes FROM services
      WHERE site_id = :siteId AND id <> :serviceId AND service_date = CAST(:serviceDate AS date) AND starts_at < CAST(:startsAt AS timestamptz)`,
    { siteId: t.siteId, serviceId: t.serviceId, serviceDate: t.serviceDate, startsAt: t.startsAt.toISOString() },
  );
  const closes = r.rows[0]?.closes as Date | string | null | undefined;
  return closes ? new Date(closes) : null;
}

export interface SiteRoomRow {
  id: string;
  name: string;
  age_group: string;
  kind: 'regular' | 'overflow';
  sort_order: number;
}

/** Every room of the campus, archived ones too (history may name them). */
export async function siteRooms(db: Db, siteId: string): Promise<SiteRoomRow[]> {
  const r = await db.raw(`SELECT id, name, age_group, kind, sort_order FROM rooms WHERE site_id = :siteId`, { siteId });
  return r.rows as SiteRoomRow[];
}

export interface ForecastServiceRow {
  id: string;
  site_id: string;
  schedule_id: string | null;
}

export const findServiceSchedule = async (db: Db, serviceId: string): Promise<string | null> => {
  const r = await db.raw(`SELECT schedule_id FROM services WHERE id = :serviceId`, { serviceId });
  return (r.rows[0]?.schedule_id as string | null | undefined) ?? null;
};

/** Services to look ahead for (the alerts' pass): check-in not yet closed, starting within `hours`. */
export async function servicesAhead(db: Db, hours: number): Promise<string[]> {
  const r = await db.raw(
    `SELECT id FROM services WHERE checkin_closes_at > now() AND starts_at < now() + make_interval(hours => CAST(:hours AS int)) ORDER BY starts_at, id`,
    { hours },
  );
  return (r.rows as { id: string }[]).map((x) => x.id);
}
