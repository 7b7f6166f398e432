/**
 * The public API's request schemas and response types (DESIGN §7). The server validates every
 * body and query with these; the UIs use the same types, so the two sides cannot drift.
 */
import { z } from 'zod';
import {
  MAX_CHILDREN_PER_CHECKIN, MAX_GRADE, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_PAGE_MESSAGE_LENGTH,
  MIN_GRADE, SECURITY_CODE_ALPHABET, DEFAULT_SOFT_THRESHOLD_PCT, SECURITY_CODE_LENGTH, type Role,
} from './limits';

const name = z.string().trim().min(1, 'is required').max(MAX_NAME_LENGTH);
const optionalText = z.string().trim().max(MAX_NOTE_LENGTH).optional().default('');
export const UuidSchema = z.uuid({ message: 'must be a UUID' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'must be a real calendar date');
/** A phone number as typed: digits with common punctuation; normalised to E.164 by the server. */
export const PhoneInputSchema = z.string().trim().min(4).max(24).regex(/^\+?[0-9 ().-]+$/, 'must be a phone number');
const grade = z.number().int().min(MIN_GRADE).max(MAX_GRADE);
export const SecurityCodeSchema = z.string().trim().toUpperCase()
  .length(SECURITY_CODE_LENGTH, `must be ${SECURITY_CODE_LENGTH} characters`)
  .refine((s) => [...s].every((c) => SECURITY_CODE_ALPHABET.includes(c)), 'has characters that are never used in codes');

export const LoginSchema = z.object({ email: z.string().trim().toLowerCase().email().max(200), password: z.string().min(1).max(200) });
export type Login = z.infer<typeof LoginSchema>;

export const KioskCreateSchema = z.object({ name, siteId: UuidSchema, mode: z.enum(['checkin', 'pickup']).default('checkin'), printerHost: z.string().trim().max(200).optional() });
export type KioskCreate = z.infer<typeof KioskCreateSchema>;
export const KioskPairSchema = z.object({ pairingCode: z.string().trim().toUpperCase().min(6).max(12) });

export const HouseholdLookupQuerySchema = z.object({
  phone: z.string().trim().regex(/^[0-9 ()+.-]{4,24}$/, 'must be the last 4 digits or a full phone number'),
  serviceId: UuidSchema.optional(),
});

export const GuardianInputSchema = z.object({
  firstName: name, lastName: name, phone: PhoneInputSchema, smsOptIn: z.boolean().default(true),
});
export const ChildInputSchema = z.object({
  firstName: name, lastName: name,
  birthdate: isoDate.optional().nullable(),
  grade: grade.optional().nullable(),
  allergies: optionalText, medicalNotes: optionalText,
}).refine((c) => c.birthdate != null || c.grade != null, { message: 'needs a birthdate or a grade', path: ['birthdate'] });
export const HouseholdCreateSchema = z.object({
  name: name.optional(),
  guardians: z.array(GuardianInputSchema).min(1, 'needs at least one guardian').max(6),
  children: z.array(ChildInputSchema).min(1, 'needs at least one child').max(MAX_CHILDREN_PER_CHECKIN),
  authorizedPickups: z.array(z.object({ name, relationship: z.string().trim().max(40).default(''), phone: PhoneInputSchema.optional() })).max(10).default([]),
  custodyAlerts: z.array(z.object({ name, note: optionalText })).max(10).default([]),
  /** Same key ⇒ the same household, so a retried registration never makes a second family. */
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
});
export type HouseholdCreate = z.infer<typeof HouseholdCreateSchema>;

export const CheckinCreateSchema = z.object({
  serviceId: UuidSchema,
  householdId: UuidSchema,
  childIds: z.array(UuidSchema).min(1, 'needs at least one child').max(MAX_CHILDREN_PER_CHECKIN)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a child'),
  idempotencyKey: z.string().trim().min(8).max(100),
});
export type CheckinCreate = z.infer<typeof CheckinCreateSchema>;

export const PickupVerifySchema = z.union([
  z.object({ token: z.string().trim().min(16).max(200) }).strict(),
  z.object({ securityCode: SecurityCodeSchema, serviceId: UuidSchema }).strict(),
], { message: 'needs a token, or a securityCode with a serviceId' });
export type PickupVerify = z.infer<typeof PickupVerifySchema>;

export const CheckoutCreateSchema = z.object({
  checkinIds: z.array(UuidSchema).min(1).max(MAX_CHILDREN_PER_CHECKIN),
  token: z.string().trim().min(16).max(200).optional(),
  securityCode: SecurityCodeSchema.optional(),
  pickedUpBy: name,
}).refine((b) => b.token != null || b.securityCode != null, { message: 'needs the pickup token or the security code', path: ['securityCode'] });
export type CheckoutCreate = z.infer<typeof CheckoutCreateSchema>;

export const ServiceRoomPatchSchema = z.object({
  open: z.boolean().optional(),
  capacity: z.number().int().min(0).max(500).optional(),
  volunteers: z.number().int().min(0).max(100).optional(),
  ratioOverride: z.boolean().optional(),
}).strict().refine((p) => Object.keys(p).length > 0, 'needs at least one of open, capacity, volunteers, ratioOverride');
export type ServiceRoomPatch = z.infer<typeof ServiceRoomPatchSchema>;

export const PageCreateSchema = z.object({ message: z.string().trim().min(1).max(MAX_PAGE_MESSAGE_LENGTH).optional() }).strict();
/** A kiosk asks the server to send a check-in's labels to its Zebra printer. */
export const PrintLabelsSchema = z.object({ batchId: UuidSchema }).strict();

// ---- response types ----

export interface User { id: string; email: string; role: Role; siteId: string; name: string }
export interface LoginResult { token: string; user: User; expiresAt: string }
export interface Kiosk { id: string; siteId: string; name: string; mode: 'checkin' | 'pickup'; paired: boolean; lastSeenAt: string | null; printerHost: string | null }
export interface Site { id: string; name: string; timezone: string }
export interface Service { id: string; siteId: string; name: string; startsAt: string; checkinOpensAt: string; checkinClosesAt: string }
export interface HouseholdChild { id: string; firstName: string; lastName: string; birthdate: string | null; grade: number | null; checkedIn: boolean; allergies: string }
export interface HouseholdGuardian { id: string; firstName: string; lastName: string; phoneMasked: string; phone?: string; smsOptIn: boolean }
export interface HouseholdSummary { id: string; name: string; guardians: HouseholdGuardian[]; children: HouseholdChild[] }
/**
 * What a kiosk gets of a family (lookup and registration): only what its screens show — first
 * names, an age in months (no birthdate), an allergy flag (no text), masked phones. The allergy
 * text for the labels comes with the check-in's answer, for the children just checked in.
 */
export interface KioskHouseholdChild { id: string; firstName: string; ageMonths: number | null; grade: number | null; checkedIn: boolean; hasAllergies: boolean }
export interface KioskHouseholdGuardian { id: string; firstName: string; phoneMasked: string; smsOptIn: boolean }
export interface KioskHouseholdSummary { id: string; name: string; guardians: KioskHouseholdGuardian[]; children: KioskHouseholdChild[] }
/** `allergies`: the text for the child's label (the kiosk's lookup only carries a flag). */
export interface CheckinRow { id: string; childId: string; roomId: string; roomName: string; firstName: string; lastName: string; allergies: string }
export type RefusalReason = 'room_full' | 'no_room_for_age' | 'service_closed' | 'already_checked_in';
export interface CheckinResult {
  batchId: string;
  securityCode: string | null;
  pickupUrl: string | null;
  checkins: CheckinRow[];
  refused: { childId: string; reason: RefusalReason; firstName?: string }[];
}
export interface VerifiedCheckin { id: string; childId: string; firstName: string; lastName: string; roomName: string; roomId: string; status: 'checked_in' | 'checked_out' | 'cancelled'; allergies: string; ageMonths: number | null; grade: number | null; hasMedicalNotes: boolean; medicalNotes?: string }
export interface PickupVerification {
  securityCode: string; batchId: string; householdName: string;
  checkins: VerifiedCheckin[];
  authorizedPickups: { name: string; relationship: string }[];
  guardians: { firstName: string; lastName: string }[];
  custodyAlerts: { name: string; note: string }[];
}
export type RoomStatus = 'open' | 'nearly_full' | 'full' | 'closed';
export interface ServiceRoom {
  id: string; serviceId: string; name: string; kind: 'regular' | 'overflow'; open: boolean;
  capacity: number; volunteers: number; ratio: number | null; ratioOverride: boolean;
  headcount: number; limit: number; status: RoomStatus; sortOrder: number;
  minAgeMonths: number | null; maxAgeMonths: number | null; minGrade: number | null; maxGrade: number | null;
}
export interface ApiErrorBody { error: { code: string; message: string; field?: string } }
export interface PrintLabelsResult { printed: true; labels: number }

// ---- site settings (DESIGN §2) ----
export const SmsTemplatesSchema = z.object({
  checkinReceipt: z.string().max(320).default('{{site}}: {{children}} checked in. Pickup code {{code}}. Pickup pass: {{pickupUrl}}'),
  checkoutConfirmation: z.string().max(320).default('{{site}}: {{children}} picked up by {{pickedUpBy}} at {{time}}.'),
  page: z.string().max(320).default('{{site}}: please come to {{room}} for {{child}}. {{message}}'),
});
export const SiteSettingsSchema = z.object({
  strategy: z.enum(['fill_in_order', 'balance']).default('fill_in_order'),
  softThresholdPct: z.number().int().min(10).max(100).default(DEFAULT_SOFT_THRESHOLD_PCT),
  enforceRatios: z.boolean().default(true),
  checkinWindowMinutes: z.number().int().min(5).max(240).default(60),
  labelFooter: z.string().max(60).default(''),
  smsTemplates: SmsTemplatesSchema.default(SmsTemplatesSchema.parse({})),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
