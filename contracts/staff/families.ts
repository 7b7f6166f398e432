/** Families at the desk: search, a family's people and their changes, merging a duplicate. */
import { z } from 'zod';
import { BirthdateSchema, type HouseholdGuardian, PhoneInputSchema, UuidSchema } from '../api';
import { MAX_NAME_LENGTH } from '../limits';
import { ALLERGY_SEVERITIES, type AllergySeverity, FAMILY_LANGS, type FamilyLang, MAX_CARE_NEEDS, MAX_CARE_NEED_LENGTH, type PhotoKind } from '../rules';
import type { SmsConsent } from '../rules/sms-consent';
import { NEEDS_A_FIELD, grade, name, nonEmpty, note } from './fields';

export const FamilySearchQuerySchema = z.object({
  q: z.string().trim().min(2, 'must be at least 2 characters').max(MAX_NAME_LENGTH),
});
/** Staff rename the family and/or set its language (its SMS, pass page and labels follow it). */
export const HouseholdPatchSchema = z
  .object({ name, lang: z.enum(FAMILY_LANGS, 'must be en or es') })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const GuardianCreateSchema = z.object({ firstName: name, lastName: name, phone: PhoneInputSchema, smsOptIn: z.boolean().default(true) }).strict();
export const GuardianPatchSchema = z
  .object({ firstName: name, lastName: name, phone: PhoneInputSchema, smsOptIn: z.boolean() })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
/** DESIGN §16: null = not recorded (treated as not severe) */
export const AllergySeveritySchema = z.enum(ALLERGY_SEVERITIES, 'must be mild, severe or life-threatening');
/** a child's care needs, or the needs a room can meet: short texts such as "needs a buddy" */
export const CareNeedsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(MAX_CARE_NEED_LENGTH))
  .max(MAX_CARE_NEEDS, `at most ${MAX_CARE_NEEDS} care needs`);
export const ChildCreateSchema = z
  .object({
    firstName: name,
    lastName: name,
    birthdate: BirthdateSchema.nullable().optional(),
    grade: grade.nullable().optional(),
    allergies: note.default(''),
    medicalNotes: note.default(''),
    allergySeverity: AllergySeveritySchema.nullable().optional(),
    careNeeds: CareNeedsSchema.optional(),
  })
  .strict()
  .refine((c) => c.birthdate != null || c.grade != null, { message: 'needs a birthdate or a grade', path: ['birthdate'] });
export const ChildPatchSchema = z
  .object({
    firstName: name,
    lastName: name,
    birthdate: BirthdateSchema.nullable(),
    grade: grade.nullable(),
    allergies: note,
    medicalNotes: note,
    allergySeverity: AllergySeveritySchema.nullable(),
    careNeeds: CareNeedsSchema,
  })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const AuthorizedPickupCreateSchema = z
  .object({ name, relationship: z.string().trim().max(40).default(''), phone: PhoneInputSchema.nullable().optional() })
  .strict();
export const AuthorizedPickupPatchSchema = z
  .object({ name, relationship: z.string().trim().max(40), phone: PhoneInputSchema.nullable() })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const CustodyAlertCreateSchema = z.object({ name, note: note.default(''), childId: UuidSchema.nullable().optional() }).strict();
export const CustodyAlertPatchSchema = z.object({ name, note, childId: UuidSchema.nullable() }).partial().strict().refine(nonEmpty, NEEDS_A_FIELD);
export type ChildCreate = z.infer<typeof ChildCreateSchema>;
/** Staff merge another family of the site into this one (preview first). */
export const HouseholdMergeSchema = z.object({ fromHouseholdId: UuidSchema }).strict();
export interface MergePreview {
  into: { id: string; name: string };
  from: { id: string; name: string };
  /** rows of the merged family that move to the kept one */
  moves: {
    guardians: number;
    children: number;
    authorizedPickups: number;
    custodyAlerts: number;
    checkins: number;
    checkinBatches: number;
    checkinRequests: number;
    smsOptOuts: number;
    externalIds: number;
    expressCodes: number;
    precheckins: number;
    precheckinLinks: number;
    joinCodes: number;
  };
  /** what the two families have in common: when neither, the screen warns in red (likely not the same family) */
  shares: { phone: boolean; guardianName: boolean };
  /** guardians whose number the kept family already has: they become that guardian */
  guardiansJoined: { phoneMasked: string }[];
  /** days on which both families have a pickup code: both codes keep working */
  sameDayCodes: string[];
}
export type ChildPatch = z.infer<typeof ChildPatchSchema>;
/** The duplicate search of a merge: `q` optional (without it, the families sharing a number or a guardian's name). */
export const MergeCandidatesQuerySchema = z.object({ q: z.string().trim().max(100).optional() }).strict();
/** A family that might be the same as this one: its guardians with masked numbers, what the two share. */
export interface MergeCandidate {
  id: string;
  name: string;
  guardians: { id: string; firstName: string; lastName: string; phoneMasked: string }[];
  children: { id: string; firstName: string; lastName: string }[];
  shares: { phone: boolean; guardianName: boolean };
}
/** A merge that can still be undone (24 hours, once). */
export interface MergeUndoable {
  id: string;
  fromHouseholdId: string;
  fromName: string;
  mergedAt: string;
  undoUntil: string;
}

export interface FamilySearchResult {
  id: string;
  name: string;
  guardians: { id: string; firstName: string; lastName: string; phone: string }[];
  children: { id: string; firstName: string; lastName: string }[];
}
export interface FamilyChild {
  id: string;
  firstName: string;
  lastName: string;
  birthdate: string | null;
  grade: number | null;
  /** no grade on record: the grade the birthdate implies today (DESIGN §15), shown as inferred until staff set one */
  inferredGrade?: number | null;
  allergies: string;
  allergySeverity: AllergySeverity | null;
  careNeeds: string[];
  medicalNotes: string;
  checkedIn: boolean;
}
export interface FamilyDetail {
  id: string;
  name: string;
  /** the family's language: their SMS, pass page and labels */
  lang: FamilyLang;
  createdAt: string;
  /** smsConsent: when and where the guardian agreed to texts (null: not agreed); a STOP keeps it and sets smsOptedOut */
  guardians: (HouseholdGuardian & { phone: string; smsOptedOut: boolean; smsConsent: SmsConsent | null })[];
  children: FamilyChild[];
  authorizedPickups: { id: string; name: string; relationship: string; phone: string | null }[];
  custodyAlerts: { id: string; name: string; note: string; childId: string | null }[];
  recentCheckins: { id: string; childId: string; serviceName: string; roomName: string; checkedInAt: string; status: string }[];
  /** the photos on file (DESIGN §16) that this caller may see: kind child | guardian | pickup | restricted */
  photos: { kind: PhotoKind; personId: string; url: string }[];
}
