/** Admin → Site and settings (DESIGN §2): a campus's or organisation's changes to the rules. */
import { z } from 'zod';
import { GradePromotionDateSchema, PlaceNameSchema, PreCheckinSmsSchema, RatioEnforcementSchema, type SiteSettings } from '../api';
import { TimezoneSchema } from '../people';
import { NEEDS_A_FIELD, nonEmpty } from './fields';

const template = z.string().max(320);
/**
 * A settings change: only the keys sent are changed. (No defaults here: SiteSettingsSchema's
 * defaults would make "unchanged" look like "reset to default".) null removes the key: a campus
 * then uses its organisation's default again ("Use organisation default"); an organisation, the
 * built-in default. SMS wording is changed and reset per message.
 */
const SettingsFields = z.object({
  strategy: z.enum(['fill_in_order', 'balance']).nullable(),
  softThresholdPct: z.number().int().min(10).max(100).nullable(),
  ratioEnforcement: RatioEnforcementSchema.nullable(),
  twoAdultRule: z.boolean().nullable(),
  schoolCutoff: GradePromotionDateSchema.nullable(),
  checkinWindowMinutes: z.number().int().min(5).max(240).nullable(),
  labelFooter: z.string().max(60).nullable(),
  smsTemplates: z
    .object({ checkinReceipt: template.nullable(), checkinAdded: template.nullable(), checkoutConfirmation: template.nullable(), page: template.nullable() })
    .partial()
    .strict(),
  gradePromotionDate: GradePromotionDateSchema.nullable(),
  forecastLeadMinutes: z.number().int().min(0).max(240).nullable(),
});
export const SiteSettingsUpdateSchema = SettingsFields.extend({
  // the campus's own weekly text (null: none); not an organisation default
  preCheckinSms: PreCheckinSmsSchema.nullable(),
})
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export type SiteSettingsUpdate = z.infer<typeof SiteSettingsUpdateSchema>;
/** The organisation's defaults, which every campus uses unless it changed the key (the campus's fields but its weekly text; null: the built-in default). */
export const OrgSettingsUpdateSchema = SettingsFields.partial().strict().refine(nonEmpty, NEEDS_A_FIELD);
export type OrgSettingsUpdate = z.infer<typeof OrgSettingsUpdateSchema>;
export { TEMPLATE_PLACEHOLDERS } from '../rules/templates';
export const SitePatchSchema = z
  .object({
    name: PlaceNameSchema,
    timezone: TimezoneSchema,
  })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export type SitePatch = z.infer<typeof SitePatchSchema>;
export interface SiteInfo {
  id: string;
  name: string;
  timezone: string;
}
/** A setting a campus can change: a key of SiteSettings, SMS wording per message ('smsTemplates.page'). */
export type SettingKey = Exclude<keyof SiteSettings, 'smsTemplates'> | `smsTemplates.${keyof SiteSettings['smsTemplates']}`;
export interface SiteWithSettings {
  site: SiteInfo;
  /** what the campus runs with: the organisation's defaults overlaid with the campus's changes */
  settings: SiteSettings;
  /** the organisation's defaults (what a key not changed here is) */
  organizationDefaults: SiteSettings;
  /** the keys changed at this campus (everything else follows the organisation, at once) */
  overridden: SettingKey[];
}
