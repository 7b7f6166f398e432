import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface ServiceRow {
  id: string;
  site_id: string;
  name: string;
  starts_at: Date;
  checkin_opens_at: Date;
  checkin_closes_at: Date;
  service_date: string | Date;
}
export interface TodayServiceRow extends ServiceRow {
  checkin_open: boolean;
  children_in: number;
}

/** Services of a site whose check-in window is open now (or opens within `aheadMinutes`). */
export function listCurrentServices(db: Db, siteId: string, aheadMinutes = 0): Promise<ServiceRow[]> {
  return db('services')
    .select('id', 'site_id', 'name', 'starts_at', 'checkin_opens_at', 'checkin_closes_at', 'service_date')
    .where('site_id', siteId)
    .where('checkin_opens_at', '<=', db.raw(`now() + make_interval(mins => ?)`, [aheadMinutes]))
    .where('checkin_closes_at', '>', db.fn.now())
    .orderBy('starts_at');
}

/**
 * Services pickup, rosters and the dashboard serve (DESIGN §4 "pickup outlives check-in"): those
 * in their check-in window now, and those of today's date (the site's timezone) with children
 * still checked in, however long ago check-in closed — until the last child is out or the
 * service day ends.
 */
export function listTodayServices(db: Db, siteId: string): Promise<TodayServiceRow[]> {
  return db('services as s')
    .join('sites as st', 'st.id', 's.site_id')
    .select(
      's.id',
      's.site_id',
      's.name',
      's.starts_at',
      's.checkin_opens_at',
      's.checkin_closes_at',
      's.service_date',
      db.raw('(s.checkin_opens_at <= now() AND s.checkin_closes_at > now()) AS checkin_open'),
      db.raw("(SELECT count(*)::int FROM checkins c WHERE c.service_id = s.id AND c.status = 'checked_in') AS children_in"),
    )
    .where('s.site_id', siteId)
    .where((q) =>
      q
        .where((w) => w.where('s.checkin_opens_at', '<=', db.fn.now()).where('s.checkin_closes_at', '>', db.fn.now()))
        .orWhere((w) =>
          w
            .whereRaw('s.service_date = (now() AT TIME ZONE st.timezone)::date')
            .whereExists((e) => e.select(db.raw('1')).from('checkins as c').whereRaw('c.service_id = s.id').where('c.status', 'checked_in')),
        ),
    )
    .orderBy(['s.starts_at', 's.id']);
}
