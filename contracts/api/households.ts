/** Finding and registering a family at a kiosk or the desk; its express code; joining a family already registered. */
import { z } from 'zod';
import { MAX_CHILDREN_PER_CHECKIN } from '../limits';
import { FAMILY_LANGS, normalizeExpressCode } from '../rules';
import { BirthdateSchema, PhoneInputSchema, UuidSchema, grade, name, optionalText } from './fields';

/** Express check-in at a kiosk: the code off a family's key tag or card (scanned or typed). */
export const ExpressResolveSchema = z
  .object({
    code: z
      .string()
      .max(40)
      .transform((s, ctx) => {
        const code = normalizeExpressCode(s);
        if (!code) ctx.addIssue({ code: 'custom', message: 'must be a family check-in code (KC and 12 letters or digits)' });
        return code ?? '';
      }),
    serviceId: UuidSchema.optional(),
  })
  .strict();
/** A family's express code as issued (shown once): the text to print and a QR code of it (a PNG data URL). */
export interface ExpressCodeIssued {
  code: string;
  codeText: string;
  qrDataUrl: string;
  createdAt: string;
}
export interface ExpressCodeStatus {
  active: boolean;
  createdAt: string | null;
}

export const HouseholdLookupQuerySchema = z.object({
  phone: z
    .string()
    .trim()
    .regex(/^[0-9 ()+.-]{4,24}$/, 'must be the last 4 digits or a full phone number'),
  serviceId: UuidSchema.optional(),
});

export const GuardianInputSchema = z.object({
  firstName: name,
  lastName: name,
  phone: PhoneInputSchema,
  smsOptIn: z.boolean().default(true),
});
export const ChildInputSchema = z
  .object({
    firstName: name,
    lastName: name,
    birthdate: BirthdateSchema.optional().nullable(),
    grade: grade.optional().nullable(),
    allergies: optionalText,
    medicalNotes: optionalText,
  })
  .refine((c) => c.birthdate != null || c.grade != null, { message: 'needs a birthdate or a grade', path: ['birthdate'] });
export const HouseholdCreateSchema = z
  .object({
    name: name.optional(),
    guardians: z.array(GuardianInputSchema).min(1, 'needs at least one guardian').max(6),
    children: z.array(ChildInputSchema).min(1, 'needs at least one child').max(MAX_CHILDREN_PER_CHECKIN),
    authorizedPickups: z
      .array(z.object({ name, relationship: z.string().trim().max(40).default(''), phone: PhoneInputSchema.optional() }))
      .max(10)
      .default([]),
    custodyAlerts: z
      .array(z.object({ name, note: optionalText }))
      .max(10)
      .default([]),
    /** Same key ⇒ the same household, so a retried registration never makes a second family. */
    idempotencyKey: z.string().trim().min(8).max(100).optional(),
    /** The parent saw "Is this you?" and said no: register a new family although the phone is known. */
    confirmNew: z.boolean().optional(),
    /** the language the parent registered in (the kiosk's choice): the family's SMS, pass page and labels */
    lang: z.enum(FAMILY_LANGS, 'must be en or es').optional(),
    /**
     * The parent said yes: add these children (and any new guardian) to that family. A kiosk must
     * prove it with the code texted to the family's number (`POST /api/households/:id/join-code`);
     * staff at the desk check the parent in person.
     */
    joinHouseholdId: UuidSchema.optional(),
    joinCode: z
      .string()
      .trim()
      .regex(/^[0-9]{6}$/, 'must be the 6-digit code from the text message')
      .optional(),
  })
  .refine((b) => !(b.confirmNew && b.joinHouseholdId), { message: 'give confirmNew or joinHouseholdId, not both', path: ['confirmNew'] });
/** A kiosk asks for a code texted to a number of the family it wants to join. */
export const JoinCodeRequestSchema = z.object({ phone: PhoneInputSchema }).strict();
/** Who might already be registered: just enough to ask "Is this you?" (surname, masked phone). */
export interface PossibleDuplicate {
  householdId: string;
  name: string;
  phoneMasked: string;
}
export type HouseholdCreate = z.infer<typeof HouseholdCreateSchema>;

export interface HouseholdChild {
  id: string;
  firstName: string;
  lastName: string;
  birthdate: string | null;
  grade: number | null;
  checkedIn: boolean;
  allergies: string;
}
export interface HouseholdGuardian {
  id: string;
  firstName: string;
  lastName: string;
  phoneMasked: string;
  phone?: string;
  smsOptIn: boolean;
}
export interface HouseholdSummary {
  id: string;
  name: string;
  guardians: HouseholdGuardian[];
  children: HouseholdChild[];
}
/**
 * What a kiosk gets of a family (lookup and registration): only what its screens show — first
 * names, an age in months (no birthdate), an allergy flag (no text), masked phones. The allergy
 * text for the labels comes with the check-in's answer, for the children just checked in.
 */
export interface KioskHouseholdChild {
  id: string;
  firstName: string;
  ageMonths: number | null;
  grade: number | null;
  checkedIn: boolean;
  hasAllergies: boolean;
}
export interface KioskHouseholdGuardian {
  id: string;
  firstName: string;
  phoneMasked: string;
  smsOptIn: boolean;
}
export interface KioskHouseholdSummary {
  id: string;
  name: string;
  guardians: KioskHouseholdGuardian[];
  children: KioskHouseholdChild[];
  /** a pre-check-in made on the phone for services open now (kiosk look-ups only): who and which, chosen already */
  precheckin?: KioskPrecheckin | null;
  /**
   * (kiosk look-ups only) the family already holds today's code here: checking in more children
   * needs proof (tag, pass, express code, the code typed or texted) — DESIGN §16.
   */
  proofNeeded?: boolean;
}
export interface KioskPrecheckin {
  ids: string[];
  serviceIds: string[];
  childIds: string[];
}
/** `POST /api/households/:id/join-code` → 202 */
export interface JoinCodeSent {
  sent: true;
  phoneMasked: string;
}
