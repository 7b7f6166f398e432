import type { Knex } from 'knex';
import { SiteSettingsSchema, type SiteSettings } from '../../../contracts';

type Db = Knex | Knex.Transaction;

/** Stored settings are merged over the defaults, so a site only stores what it changed. */
export function parseSettings(raw: unknown): SiteSettings {
  const r = SiteSettingsSchema.safeParse(raw ?? {});
  return r.success ? r.data : SiteSettingsSchema.parse({});
}

export interface ServiceContext {
  id: string;
  siteId: string;
  name: string;
  startsAt: Date;
  checkinOpensAt: Date;
  checkinClosesAt: Date;
  serviceDate: string;
  siteName: string;
  timezone: string;
  settings: SiteSettings;
}

export async function findServiceContext(db: Db, serviceId: string): Promise<ServiceContext | undefined> {
  const row = await db('services as s')
    .join('sites as st', 'st.id', 's.site_id')
    .select(
      's.id',
      's.site_id',
      's.name',
      's.starts_at',
      's.checkin_opens_at',
      's.checkin_closes_at',
      's.service_date',
      'st.name as site_name',
      'st.timezone',
      'st.settings',
    )
    .where('s.id', serviceId)
    .first();
  if (!row) return undefined;
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    startsAt: row.starts_at,
    checkinOpensAt: row.checkin_opens_at,
    checkinClosesAt: row.checkin_closes_at,
    serviceDate: row.service_date,
    siteName: row.site_name,
    timezone: row.timezone,
    settings: parseSettings(row.settings),
  };
}

export async function findSite(db: Db, siteId: string) {
  const row = await db('sites').select('id', 'name', 'timezone', 'settings').where({ id: siteId }).first();
  return row ? { id: row.id as string, name: row.name as string, timezone: row.timezone as string, settings: parseSettings(row.settings) } : undefined;
}
