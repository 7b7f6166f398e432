/** Site settings (DESIGN §2): a campus's rules with their defaults. */
import { z } from 'zod';
import { DEFAULT_SOFT_THRESHOLD_PCT } from '../limits';

export const SmsTemplatesSchema = z.object({
  checkinReceipt: z.string().max(320).default('{{site}}: {{children}} checked in. Pickup code {{code}}. Pickup pass: {{pickupUrl}}'),
  /** a later check-in the same day joins the family's code: the text says who was added */
  checkinAdded: z.string().max(320).default('{{site}}: {{children}} added to your check-in. Same pickup code {{code}}. Pickup pass: {{pickupUrl}}'),
  checkoutConfirmation: z.string().max(320).default('{{site}}: {{children}} picked up by {{pickedUpBy}} at {{time}}.'),
  page: z.string().max(320).default('{{site}}: please come to {{room}} for {{child}}. {{message}}'),
});
export const GradePromotionDateSchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year MM-DD')
  .refine((s) => !['02-30', '02-31', '04-31', '06-31', '09-31', '11-31'].includes(s), 'must be a real day of the year');
export const PreCheckinSmsSchema = z
  .object({
    weekday: z.number().int().min(0, 'must be 0 (Sunday) to 6 (Saturday)').max(6, 'must be 0 (Sunday) to 6 (Saturday)'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
  })
  .strict();
export const RatioEnforcementSchema = z.enum(['off', 'warn', 'enforce']);
export const SiteSettingsSchema = z.object({
  strategy: z.enum(['fill_in_order', 'balance']).default('fill_in_order'),
  softThresholdPct: z.number().int().min(10).max(100).default(DEFAULT_SOFT_THRESHOLD_PCT),
  /**
   * DESIGN §15: `off` the ratio is shown only; `warn` staff see "over ratio", kiosks admit up to
   * capacity; `enforce` limit = min(capacity, volunteers present × ratio). Replaces `enforceRatios`
   * (migration 20261207030100: true → warn, false → off).
   */
  ratioEnforcement: RatioEnforcementSchema.default('warn'),
  /** a room admits children only while two cleared adults are in it; null: on where ratios are enforced */
  twoAdultRule: z.boolean().nullable().default(null),
  /** MM-DD: a child this old by this day of a school year's start year is in that year's grade (a birthdate's implied grade) */
  schoolCutoff: GradePromotionDateSchema.default('09-01'),
  checkinWindowMinutes: z.number().int().min(5).max(240).default(60),
  labelFooter: z.string().max(60).default(''),
  /** ISO 3166 country of numbers typed without +CC; when absent, taken from the site's timezone (contracts/rules/phone.ts). */
  phoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a 2-letter country code')
    .optional(),
  smsTemplates: SmsTemplatesSchema.default(SmsTemplatesSchema.parse({})),
  /** MM-DD: the day graded children move up a grade (the school year starts), on the campus's calendar */
  gradePromotionDate: GradePromotionDateSchema.default('08-01'),
  /** the weekly "pre-check-in" text (DESIGN §12): weekday and HH:MM campus time, or null (off) */
  preCheckinSms: PreCheckinSmsSchema.nullable().default(null),
  /** DESIGN §17: minutes ahead of a forecast's open-by (or volunteers-by) time that staff are alerted */
  forecastLeadMinutes: z.number().int().min(0).max(240).default(15),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
