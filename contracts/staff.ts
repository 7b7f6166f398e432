/**
 * Request schemas and response types of the staff app's API: families, rosters, reports and the
 * admin area (rooms, services, site settings). Same rules as api.ts: the server validates with
 * these, the staff UI uses the types.
 */
import { z } from 'zod';
import { MAX_GRADE, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MIN_GRADE } from './limits';
import { ALLERGY_SEVERITIES, FAMILY_LANGS, MAX_CARE_NEED_LENGTH, MAX_CARE_NEEDS, type AllergySeverity, type FamilyLang, type PhotoKind } from './rules';
import type { SmsConsent } from './rules/sms-consent';
import {
  BirthdateSchema,
  GradePromotionDateSchema,
  PreCheckinSmsSchema,
  RatioEnforcementSchema,
  NameSchema,
  PlaceNameSchema,
  PhoneInputSchema,
  UuidSchema,
  type HouseholdGuardian,
  type Service,
  type SiteSettings,
} from './api';

const name = NameSchema;
const note = z.string().trim().max(MAX_NOTE_LENGTH);
const grade = z.number().int().min(MIN_GRADE).max(MAX_GRADE);
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO date-time' });
const nonEmpty = (o: object) => Object.keys(o).length > 0;
const NEEDS_A_FIELD = 'needs at least one field to change';

// ---- families ----

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

// ---- rosters ----

export const RosterQuerySchema = z.object({
  roomId: UuidSchema.optional(),
  status: z.enum(['checked_in', 'all']).default('checked_in'),
});
export interface PageStatus {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface RosterEntry {
  id: string;
  childId: string;
  householdId: string;
  firstName: string;
  lastName: string;
  roomId: string;
  roomName: string;
  ageMonths: number | null;
  grade: number | null;
  /** Allergy text is a safety cue at the door: every signed-in user sees it. */
  allergies: string;
  /** null: not recorded (treated as not severe); severe and life-threatening show with a mark */
  allergySeverity: AllergySeverity | null;
  /** care needs the room should meet (e.g. "needs a buddy") */
  careNeeds: string[];
  /** the adult of the family who dropped the child off (null: not recorded) */
  droppedOffBy: string | null;
  /** Everyone sees that a medical note exists; its text goes to staff and admins, and to a volunteer checked in to the child's room (DESIGN §13). */
  hasMedicalNotes: boolean;
  /** the caller may open the note (GET /api/checkins/:id/medical-notes, audited); the roster never carries its text */
  canReadMedicalNotes: boolean;
  /** roll call: a room volunteer saw the child in the room (null: not yet) */
  presentAt: string | null;
  hasCustodyAlert: boolean;
  /** Staff and admins only: volunteers are handed the code (or pass) by the family at the door. */
  securityCode?: string;
  status: 'checked_in' | 'checked_out' | 'cancelled';
  checkedInAt: string;
  checkedOutAt: string | null;
  pickedUpBy: string | null;
  /** The latest page to this child's guardians (one row per guardian), newest first. */
  pages: PageStatus[];
}
export interface Roster {
  serviceId: string;
  roomId: string | null;
  checkins: RosterEntry[];
  /** the rooms the caller is checked in to as a volunteer today (roll call and medical notes there) */
  servingRoomIds: string[];
  /** the room's latest manual headcount (with a roomId) */
  headcount: import('./volunteers').RoomHeadcount | null;
  /** the room's standing headcount alarm (a count that disagreed with the system), with a roomId */
  headcountMismatch: import('./events').AlertEvent | null;
}
/** A child's medical note, opened by someone who may read it (audited). */
export interface MedicalNote {
  checkinId: string;
  childId: string;
  firstName: string;
  medicalNotes: string;
}

// ---- reports ----

export const ReportRangeQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, { message: 'must be within 366 days of from', path: ['to'] });
export const ReportCsvQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema, detail: z.enum(['rooms', 'children']).default('rooms') })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, { message: 'must be within 366 days of from', path: ['to'] });
export const TimelineQuerySchema = z.object({ bucketMinutes: z.coerce.number().int().min(1).max(60).default(5) });

export interface AttendanceRoom {
  roomId: string;
  name: string;
  children: number;
  firstTimeChildren: number;
  checkedOut: number;
}
export interface AttendanceService {
  id: string;
  name: string;
  startsAt: string;
  serviceDate: string;
  children: number;
  households: number;
  firstTimeHouseholds: number;
  rooms: AttendanceRoom[];
}
export interface AttendanceReport {
  from: string;
  to: string;
  services: AttendanceService[];
}
/**
 * Organisation admins: attendance per weekend × campus × age group (a weekend is named by its
 * Sunday; a Saturday service counts in the weekend of the next day). Numbers are the campus
 * reports' children summed: check-ins that happened, cancelled ones not counted.
 */
export interface RollupReport {
  from: string;
  to: string;
  campuses: { siteId: string; name: string }[];
  ageGroups: string[];
  weekends: string[];
  rows: { weekend: string; siteId: string; ageGroup: string; children: number }[];
  totals: { byWeekend: Record<string, number>; byCampus: Record<string, number>; children: number };
}
export interface ServiceReport {
  service: AttendanceService;
  firstTimeFamilies: { householdId: string; name: string; children: string[] }[];
}
export interface Timeline {
  serviceId: string;
  bucketMinutes: number;
  buckets: { at: string; checkins: number; checkouts: number; present: number }[];
}

// ---- admin: rooms ----

const months = z.number().int().min(0).max(240);
const roomFields = {
  name,
  ageGroup: z.string().trim().max(MAX_NAME_LENGTH),
  kind: z.enum(['regular', 'overflow']),
  minAgeMonths: months.nullable(),
  maxAgeMonths: months.nullable(),
  minGrade: grade.nullable(),
  maxGrade: grade.nullable(),
  defaultCapacity: z.number().int().min(0).max(500),
  ratio: z.number().int().min(1).max(100).nullable(),
  sortOrder: z.number().int().min(-1000).max(1000),
};
type RangeLike = { minAgeMonths?: number | null; maxAgeMonths?: number | null; minGrade?: number | null; maxGrade?: number | null };
/** A room's ranges must not be upside down (also checked after a patch is merged). */
export const rangeProblem = (r: RangeLike): { field: string; message: string } | null => {
  if (r.minAgeMonths != null && r.maxAgeMonths != null && r.minAgeMonths > r.maxAgeMonths)
    return { field: 'maxAgeMonths', message: 'must not be below minAgeMonths' };
  if (r.minGrade != null && r.maxGrade != null && r.minGrade > r.maxGrade) return { field: 'maxGrade', message: 'must not be below minGrade' };
  return null;
};
export const RoomCreateSchema = z
  .object({
    ...roomFields,
    ageGroup: roomFields.ageGroup.default(''),
    kind: roomFields.kind.default('regular'),
    minAgeMonths: months.nullable().default(null),
    maxAgeMonths: months.nullable().default(null),
    minGrade: grade.nullable().default(null),
    maxGrade: grade.nullable().default(null),
    defaultCapacity: roomFields.defaultCapacity.default(10),
    ratio: roomFields.ratio.default(null),
    sortOrder: roomFields.sortOrder.default(0),
    /** the care needs this room can meet (placement prefers it for a child with those needs) */
    careNeeds: CareNeedsSchema.default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    const p = rangeProblem(r);
    if (p) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export const RoomPatchSchema = z
  .object({ ...roomFields, careNeeds: CareNeedsSchema })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export type RoomCreate = z.infer<typeof RoomCreateSchema>;
export type RoomPatch = z.infer<typeof RoomPatchSchema>;
export interface AdminRoom {
  id: string;
  siteId: string;
  name: string;
  ageGroup: string;
  kind: 'regular' | 'overflow';
  minAgeMonths: number | null;
  maxAgeMonths: number | null;
  minGrade: number | null;
  maxGrade: number | null;
  defaultCapacity: number;
  ratio: number | null;
  sortOrder: number;
  /** the care needs this room can meet */
  careNeeds: string[];
}

// ---- admin: services ----

/** Without a window, check-in opens `checkinWindowMinutes` (site setting) before the start and closes an hour after it. */
export const ServiceCreateSchema = z
  .object({
    name,
    startsAt: instant,
    checkinOpensAt: instant.optional(),
    checkinClosesAt: instant.optional(),
    /** a one-off event's own rooms: these open, the others join closed (omitted: every regular room) */
    roomIds: z.array(UuidSchema).max(200).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.checkinOpensAt && s.checkinClosesAt && Date.parse(s.checkinOpensAt) >= Date.parse(s.checkinClosesAt)) {
      ctx.addIssue({ code: 'custom', path: ['checkinClosesAt'], message: 'must be after checkinOpensAt' });
    }
  });
export const ServicePatchSchema = z
  .object({ name, startsAt: instant, checkinOpensAt: instant, checkinClosesAt: instant })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const ServiceListQuerySchema = z.object({ from: IsoDateSchema.optional(), to: IsoDateSchema.optional() });
export type ServiceCreate = z.infer<typeof ServiceCreateSchema>;
export type ServicePatch = z.infer<typeof ServicePatchSchema>;
export interface ServiceSummary extends Service {
  serviceDate: string;
  rooms: number;
  checkins: number;
}

// ---- admin: recurring schedules ----

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM (24-hour, the campus's local time)");
const windowMinutes = z.number().int().min(0).max(720);
/** A weekly service time of a campus: generates its services 8 weeks ahead (DESIGN §10). */
export const ScheduleCreateSchema = z
  .object({
    name,
    weekday: z.number().int().min(0, 'must be 0 (Sunday) to 6 (Saturday)').max(6, 'must be 0 (Sunday) to 6 (Saturday)'),
    time: localTime,
    opensBeforeMinutes: windowMinutes.optional(),
    closesAfterMinutes: windowMinutes.default(60),
    /** the rooms that open (others join closed); omitted: every regular room */
    roomIds: z.array(UuidSchema).max(200).optional(),
    /** overflow rooms open from the start (else staff open them when needed) */
    overflowOpen: z.boolean().default(false),
  })
  .strict();
export const SchedulePatchSchema = z
  .object({
    name,
    weekday: z.number().int().min(0).max(6),
    time: localTime,
    opensBeforeMinutes: windowMinutes,
    closesAfterMinutes: windowMinutes,
    roomIds: z.array(UuidSchema).max(200).nullable(),
    overflowOpen: z.boolean(),
  })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const ScheduleSkipSchema = z.object({ date: IsoDateSchema }).strict();
export type ScheduleCreate = z.infer<typeof ScheduleCreateSchema>;
export type SchedulePatch = z.infer<typeof SchedulePatchSchema>;
export interface Schedule {
  id: string;
  name: string;
  weekday: number;
  time: string;
  opensBeforeMinutes: number;
  closesAfterMinutes: number;
  roomIds: string[] | null;
  overflowOpen: boolean;
  active: boolean;
  skips: string[];
  /** the generated services from today on */
  upcoming: { id: string; serviceDate: string; startsAt: string }[];
}

// ---- admin: site and settings ----

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
export { TEMPLATE_PLACEHOLDERS } from './rules/templates';
export const SitePatchSchema = z
  .object({
    name: PlaceNameSchema,
    timezone: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as America/Chicago'),
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

// ---- import (DESIGN §11) ----
const mappingJson = z
  .string()
  .max(4000)
  .transform((s, ctx) => {
    try {
      const v = JSON.parse(s) as unknown;
      if (
        v &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')))
      )
        return v as Record<string, string> & { childValues?: string[] };
    } catch {
      /* below */
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of field → column header' });
    return z.NEVER;
  });
export const ImportStartQuerySchema = z.object({
  format: z.enum(['pco', 'rock', 'breeze', 'generic']).optional(),
  mapping: mappingJson.optional(),
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  /** the file's character encoding (utf-8, windows-1252, iso-8859-1 …); `auto` (the default) reads UTF-8, else detects it */
  encoding: z.string().trim().min(1).max(40).optional(),
});
/** `POST /api/imports` (and a re-run) → 202: the job started; poll `GET /api/imports/:id`. */
export interface ImportStarted {
  jobId: string;
  format: string;
  total: number;
  rows: number;
  /** what the file was read as (`utf-8`, or e.g. `windows-1252` when detected or given) */
  encoding: string;
}
export interface ImportJob {
  id: string;
  /** interrupted: the server running it restarted; what was committed stays, run it again to finish. */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  format: string;
  dryRun: boolean;
  total: number;
  processed: number;
  summary: { households?: number; people?: number; skippedRows?: number; unchangedHouseholds?: number; line?: string };
  problems: { row: number; message: string }[];
  error: string | null;
  /** The job this one runs again, if it is a re-run. */
  rerunOf: string | null;
  /** Whether the file is kept so that POST /api/imports/:id/rerun can run it again. */
  canRerun: boolean;
}
