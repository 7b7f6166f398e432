import type { Knex } from 'knex';
import { SiteSettingsSchema, SmsTemplatesSchema, type SettingKey, type SiteSettings } from '../../../contracts';

type Db = Knex | Knex.Transaction;

const objectOf = (raw: unknown): Record<string, unknown> => (raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {});

/** The first candidate the schema accepts, else the schema's default (a bad stored value never wipes the others). */
function firstValid(schema: { safeParse(v: unknown): { success: true; data: unknown } | { success: false } }, ...candidates: unknown[]): unknown {
  for (const v of candidates) {
    if (v === undefined) continue;
    const r = schema.safeParse(v);
    if (r.success) return r.data;
  }
  const d = schema.safeParse(undefined);
  return d.success ? d.data : undefined;
}

const SCALAR_KEYS = (Object.keys(SiteSettingsSchema.shape) as (keyof SiteSettings)[]).filter((k) => k !== 'smsTemplates');
const TEMPLATE_KEYS = Object.keys(SmsTemplatesSchema.shape) as (keyof SiteSettings['smsTemplates'])[];

/**
 * A campus's effective settings (DESIGN §10): the organisation's defaults (organizations.settings)
 * overlaid with the campus's own overrides (sites.settings stores only what the campus changed),
 * key by key, each SMS wording on its own; what neither sets is the built-in default.
 */
export function effectiveSettings(orgRaw: unknown, siteRaw: unknown): SiteSettings {
  const org = objectOf(orgRaw);
  const site = objectOf(siteRaw);
  const out: Record<string, unknown> = {};
  for (const k of SCALAR_KEYS) {
    // the weekly pre-check-in text is the campus's own (when its families are texted), never an organisation default
    const v = k === 'preCheckinSms' ? firstValid(SiteSettingsSchema.shape[k], site[k]) : firstValid(SiteSettingsSchema.shape[k], site[k], org[k]);
    if (v !== undefined) out[k] = v;
  }
  const orgT = objectOf(org.smsTemplates);
  const siteT = objectOf(site.smsTemplates);
  out.smsTemplates = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, firstValid(SmsTemplatesSchema.shape[k], siteT[k], orgT[k])]));
  return out as SiteSettings;
}

/** One level of settings on its own over the built-in defaults (an organisation's defaults: parseSettings(org.settings)). */
export const parseSettings = (raw: unknown): SiteSettings => effectiveSettings({}, raw);

/** The settings a campus stores itself (its overrides), valid ones only: 'strategy', 'smsTemplates.page' … */
export function overriddenKeys(siteRaw: unknown): SettingKey[] {
  const site = objectOf(siteRaw);
  const t = objectOf(site.smsTemplates);
  return [
    ...SCALAR_KEYS.filter((k) => site[k] !== undefined && SiteSettingsSchema.shape[k].safeParse(site[k]).success),
    ...TEMPLATE_KEYS.filter((k) => t[k] !== undefined && SmsTemplatesSchema.shape[k].safeParse(t[k]).success).map((k) => `smsTemplates.${k}` as const),
  ];
}

/**
 * A settings patch over stored settings: a value sets the key, null removes it (a campus then
 * follows its organisation again; an organisation, the built-in default); wording merges per message.
 */
export function applySettingsPatch(raw: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...objectOf(raw) };
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'smsTemplates') continue;
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  if (patch.smsTemplates !== undefined) {
    const t: Record<string, unknown> = { ...objectOf(next.smsTemplates) };
    if (patch.smsTemplates === null) for (const k of TEMPLATE_KEYS) delete t[k];
    for (const [k, v] of Object.entries(objectOf(patch.smsTemplates))) {
      if (v === null) delete t[k];
      else if (v !== undefined) t[k] = v;
    }
    if (Object.keys(t).length) next.smsTemplates = t;
    else delete next.smsTemplates;
  }
  return next;
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
    .join('organizations as o', 'o.id', 'st.organization_id')
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
      'o.settings as org_settings',
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
    settings: effectiveSettings(row.org_settings, row.settings),
  };
}

export async function findSite(db: Db, siteId: string) {
  const row = await db('sites as st')
    .join('organizations as o', 'o.id', 'st.organization_id')
    .select('st.id', 'st.name', 'st.timezone', 'st.settings', 'o.settings as org_settings')
    .where('st.id', siteId)
    .first();
  return row
    ? { id: row.id as string, name: row.name as string, timezone: row.timezone as string, settings: effectiveSettings(row.org_settings, row.settings) }
    : undefined;
}

/** The campuses of an organisation (a change of its defaults re-evaluates each). */
export const listSiteIdsOfOrganization = (db: Db, organizationId: string): Promise<string[]> =>
  db('sites').where({ organization_id: organizationId }).orderBy('id').pluck('id');
