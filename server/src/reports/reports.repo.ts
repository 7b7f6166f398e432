import { inSequence } from '../db/transaction';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;
type CheckinStatus = 'checked_in' | 'checked_out' | 'cancelled';

/** A service as reports read it; `service_date` is a DATE, read as 'YYYY-MM-DD' (db/knex.ts). */
export interface ReportServiceRow {
  id: string;
  name: string;
  starts_at: Date;
  service_date: string;
}
export function servicesInRange(db: Db, siteId: string, from: string, to: string): Promise<ReportServiceRow[]> {
  return db('services')
    .select('id', 'name', 'starts_at', 'service_date')
    .where('site_id', siteId)
    .whereBetween('service_date', [from, to])
    .orderBy('starts_at')
    .limit(1000);
}

export function findService(
  db: Db,
  id: string,
): Promise<(ReportServiceRow & { site_id: string; checkin_opens_at: Date; checkin_closes_at: Date }) | undefined> {
  return db('services').select('id', 'site_id', 'name', 'starts_at', 'service_date', 'checkin_opens_at', 'checkin_closes_at').where({ id }).first();
}

/** Every room a service had (even empty ones), by sort order. */
export function serviceRooms(db: Db, serviceIds: string[]): Promise<{ service_id: string; room_id: string; name: string; sort_order: number }[]> {
  return db('service_rooms as sr')
    .join('rooms as r', 'r.id', 'sr.room_id')
    .select('sr.service_id', 'sr.room_id', 'r.name', 'r.sort_order')
    .whereIn('sr.service_id', serviceIds)
    .orderBy(['r.sort_order', 'r.name']);
}

/** Check-ins that happened (cancelled ones are not attendance) of the given services. */
export function attendanceRows(
  db: Db,
  serviceIds: string[],
): Promise<{ id: string; service_id: string; room_id: string; household_id: string; status: Exclude<CheckinStatus, 'cancelled'> }[]> {
  return db('checkins').select('id', 'service_id', 'room_id', 'household_id', 'status').whereIn('service_id', serviceIds).whereNot('status', 'cancelled');
}

/**
 * The service of each household's first check-in at the site (for "first-time families"): a
 * household is first-time in a service when its earliest check-in ever belongs to it.
 */
export async function firstServiceOfHouseholds(db: Db, siteId: string, householdIds: string[]): Promise<Map<string, string>> {
  if (!householdIds.length) return new Map();
  const r = await db.raw(
    `SELECT DISTINCT ON (household_id) household_id, service_id FROM checkins
      WHERE site_id = ? AND status <> 'cancelled' AND household_id = ANY(?::uuid[])
      ORDER BY household_id, checked_in_at, id`,
    [siteId, householdIds],
  );
  return new Map(r.rows.map((x: { household_id: string; service_id: string }) => [x.household_id, x.service_id]));
}

export function householdsWithChildren(
  db: Db,
  serviceId: string,
  householdIds: string[],
): Promise<{ household_id: string; name: string; first_name: string }[]> {
  return db('checkins as c')
    .join('households as h', 'h.id', 'c.household_id')
    .join('children as ch', 'ch.id', 'c.child_id')
    .select('h.id as household_id', 'h.name', 'ch.first_name')
    .where('c.service_id', serviceId)
    .whereIn('c.household_id', householdIds)
    .whereNot('c.status', 'cancelled')
    .orderBy(['h.name', 'ch.first_name']);
}

/** One line per child checked in, for the detailed CSV. */
/** A child's check-in as a line of the detailed CSV. */
export interface ChildReportRow {
  service_id: string;
  service_name: string;
  service_date: string;
  starts_at: Date;
  room_name: string;
  household_id: string;
  household_name: string;
  first_name: string;
  last_name: string;
  checked_in_at: Date;
  checked_out_at: Date | null;
  picked_up_by: string | null;
  status: Exclude<CheckinStatus, 'cancelled'>;
}
export function childRows(db: Db, serviceIds: string[]): Promise<ChildReportRow[]> {
  return db('checkins as c')
    .join('children as ch', 'ch.id', 'c.child_id')
    .join('households as h', 'h.id', 'c.household_id')
    .join('rooms as r', 'r.id', 'c.room_id')
    .join('services as s', 's.id', 'c.service_id')
    .select(
      's.id as service_id',
      's.name as service_name',
      's.service_date',
      's.starts_at',
      'r.name as room_name',
      'c.household_id',
      'h.name as household_name',
      'ch.first_name',
      'ch.last_name',
      'c.checked_in_at',
      'c.checked_out_at',
      'c.picked_up_by',
      'c.status',
    )
    .whereIn('c.service_id', serviceIds)
    .whereNot('c.status', 'cancelled')
    .orderBy(['s.starts_at', 'r.sort_order', 'r.name', 'ch.last_name', 'ch.first_name'])
    .limit(100_000);
}

/** Check-ins and check-outs of a service counted per time bucket. */
export async function timelineCounts(db: Db, serviceId: string, bucketMinutes: number) {
  const seconds = bucketMinutes * 60;
  const bucket = (col: string) => `to_timestamp(floor(extract(epoch from ${col}) / ${seconds}) * ${seconds})`;
  const [ins, outs] = await inSequence(
    () =>
      db.raw(`SELECT ${bucket('checked_in_at')} AS at, count(*)::int AS n FROM checkins WHERE service_id = ? AND status <> 'cancelled' GROUP BY 1 ORDER BY 1`, [
        serviceId,
      ]),
    () =>
      db.raw(
        `SELECT ${bucket('checked_out_at')} AS at, count(*)::int AS n FROM checkins WHERE service_id = ? AND status = 'checked_out' AND checked_out_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
        [serviceId],
      ),
  );
  return { ins: ins.rows as { at: Date; n: number }[], outs: outs.rows as { at: Date; n: number }[] };
}

/**
 * Attendance of every campus of an organisation, by weekend (its Sunday), campus and age group
 * (the room's age group, else its name — as capacity groups rooms). Cancelled check-ins are not
 * attendance; the day is the service's own date in its campus's timezone.
 */
export async function rollupRows(db: Db, organizationId: string, from: string, to: string) {
  const r = await db.raw<{ rows: { weekend: string; site_id: string; age_group: string; children: number }[] }>(
    `SELECT to_char(s.service_date + ((7 - extract(isodow FROM s.service_date)::int) % 7), 'YYYY-MM-DD') AS weekend,
            s.site_id, COALESCE(NULLIF(r.age_group, ''), r.name) AS age_group, count(*)::int AS children
       FROM checkins c
       JOIN services s ON s.id = c.service_id
       JOIN sites st ON st.id = s.site_id
       JOIN rooms r ON r.id = c.room_id
      WHERE st.organization_id = :organizationId AND s.service_date BETWEEN :from AND :to AND c.status <> 'cancelled'
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    { organizationId, from, to },
  );
  return r.rows;
}
export const campusesOf = (db: Db, organizationId: string): Promise<{ id: string; name: string }[]> =>
  db('sites').select('id', 'name').where({ organization_id: organizationId }).orderBy('name');
