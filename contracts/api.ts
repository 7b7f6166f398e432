/**
 * The public API's request schemas and response types (DESIGN §7). The server validates every
 * body and query with these; the UIs use the same types, so the two sides cannot drift.
 */
import { z } from 'zod';
import {
  MAX_CHILDREN_PER_CHECKIN,
  MAX_GRADE,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_PAGE_MESSAGE_LENGTH,
  MIN_GRADE,
  SECURITY_CODE_ALPHABET,
  DEFAULT_SOFT_THRESHOLD_PCT,
  SECURITY_CODE_LENGTH,
  type Role,
} from './limits';
import { birthdateProblem, cleanName, FAMILY_LANGS, isRealDate, nameHasLetter, normalizeExpressCode, type AllergySeverity } from './rules';

/**
 * A person's name: invisible and bidi-control characters stripped (a lone U+200B is no name),
 * and what is left must contain a letter of some script (contracts/rules/text.ts).
 */
export const NameSchema = z
  .string()
  .max(MAX_NAME_LENGTH * 4)
  .transform(cleanName)
  .pipe(z.string().min(1, 'is required').max(MAX_NAME_LENGTH).refine(nameHasLetter, 'must contain a letter'));
const name = NameSchema;
/**
 * The name of a campus (it begins every SMS), a room or a service: the same text rules as a
 * person's name — invisible and bidi-control characters stripped, a letter required — up to 120.
 */
export const PlaceNameSchema = z
  .string()
  .max(120 * 4)
  .transform(cleanName)
  .pipe(z.string().min(1, 'is required').max(120).refine(nameHasLetter, 'must contain a letter'));
/**
 * A child's birthdate: a real day between 25 years ago and today. The schema cannot know the
 * site's timezone, so it allows a day either way; the server checks again against the site's
 * own date (contracts/rules/dates.ts) and names the field the same way.
 */
export const BirthdateSchema = z
  .string()
  .refine(isRealDate, 'must be a real calendar date YYYY-MM-DD')
  .superRefine((s, ctx) => {
    if (!isRealDate(s)) return;
    const now = Date.now();
    const ahead = new Date(now + 86_400_000).toISOString().slice(0, 10);
    const behind = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const problem = birthdateProblem(s, s > behind ? ahead : behind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const optionalText = z.string().trim().max(MAX_NOTE_LENGTH).optional().default('');
export const UuidSchema = z.uuid({ message: 'must be a UUID' });
/** A phone number as typed: digits with common punctuation; normalised to E.164 by the server. */
export const PhoneInputSchema = z
  .string()
  .trim()
  .min(4)
  .max(24)
  .regex(/^\+?[0-9 ().-]+$/, 'must be a phone number');
const grade = z.number().int().min(MIN_GRADE).max(MAX_GRADE);
export const SecurityCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .length(SECURITY_CODE_LENGTH, `must be ${SECURITY_CODE_LENGTH} characters`)
  .refine((s) => [...s].every((c) => SECURITY_CODE_ALPHABET.includes(c)), 'has characters that are never used in codes');

export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
  /** the campus to act at (a person with roles at several); default: their default campus */
  siteId: UuidSchema.optional(),
  /** a person with accounts in several organisations names one; default: the oldest account */
  organizationId: UuidSchema.optional(),
});
export type Login = z.infer<typeof LoginSchema>;

export const KioskCreateSchema = z.object({
  name,
  siteId: UuidSchema,
  mode: z.enum(['checkin', 'pickup']).default('checkin'),
  printerHost: z.string().trim().max(200).optional(),
});
export type KioskCreate = z.infer<typeof KioskCreateSchema>;
export const KioskPairSchema = z.object({ pairingCode: z.string().trim().toUpperCase().min(6).max(12) });

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
/** Staff move a checked-in child to another room of the service. */
export const CheckinMoveSchema = z.object({ roomId: UuidSchema }).strict();
/** `GET /api/alerts?serviceId=`: the alerts of one service. */
export const AlertListQuerySchema = z.object({ serviceId: UuidSchema });

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

export const CheckinCreateSchema = z
  .object({
    /** One service (the classic form) … */
    serviceId: UuidSchema.optional(),
    /** … or one or more: a child staying for two services is placed in both in one request. */
    serviceIds: z
      .array(UuidSchema)
      .min(1, 'needs at least one service')
      .max(4)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a service')
      .optional(),
    householdId: UuidSchema,
    childIds: z
      .array(UuidSchema)
      .min(1, 'needs at least one child')
      .max(MAX_CHILDREN_PER_CHECKIN)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a child'),
    idempotencyKey: z.string().trim().min(8).max(100),
    /** Staff only: add these services for children already checked in today (a second service on purpose). */
    extendStay: z.boolean().optional(),
    /**
     * Staff only: a room may take children past its volunteer ratio, never past its capacity, for
     * this check-in — with the reason, audited (DESIGN §12, a soft limit overridden at the desk).
     */
    softOverride: z
      .object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH) })
      .strict()
      .optional(),
    /** the language the family checked in with: their SMS, pass page and labels follow it */
    lang: z.enum(FAMILY_LANGS, 'must be en or es').optional(),
    /** the family's pre-check-in(s) this check-in carries out (the kiosk got them with the family): used once children are in */
    precheckinIds: z.array(UuidSchema).max(4).optional(),
    /**
     * What proves, at a kiosk, that the parent holds the family's code for the day (DESIGN §16):
     * the scan of the family's parent tag or pickup pass (its QR), of its key tag or express code,
     * the day's security code typed, or the code just texted to a guardian's phone. Needed only
     * when the family already checked children in today; a wrong one counts against the family.
     */
    proof: z.string().trim().min(1, 'must not be empty').max(512).optional(),
    /** who dropped the children off: a guardian of this household (the kiosk asks when the family has more than one adult) */
    droppedOffBy: UuidSchema.optional(),
  })
  .strict()
  .refine((b) => b.serviceId != null || b.serviceIds != null, { message: 'needs a serviceId or serviceIds', path: ['serviceId'] })
  .refine((b) => !(b.serviceId != null && b.serviceIds != null && !(b.serviceIds.length === 1 && b.serviceIds[0] === b.serviceId)), {
    message: 'give serviceId or serviceIds, not both',
    path: ['serviceIds'],
  });
export type CheckinCreate = z.infer<typeof CheckinCreateSchema>;

/** A wall display an admin creates for a screen (paired like a kiosk). */
export const DisplayCreateSchema = z.object({ name: z.string().trim().min(1).max(120) }).strict();

export const PickupVerifySchema = z.union(
  [z.object({ token: z.string().trim().min(16).max(200) }).strict(), z.object({ securityCode: SecurityCodeSchema, serviceId: UuidSchema }).strict()],
  { message: 'needs a token, or a securityCode with a serviceId' },
);
export type PickupVerify = z.infer<typeof PickupVerifySchema>;

/** A staff override at the door: a staff member's PIN (or the caller's own staff sign-in) and why. */
export const OverrideSchema = z
  .object({
    pin: z
      .string()
      .trim()
      .regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits')
      .optional(),
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH),
  })
  .strict();
export type Override = z.infer<typeof OverrideSchema>;

/**
 * The adult is chosen from the family's list (`pickupPersonId`: a guardian's or authorised
 * pickup's id); `pickedUpBy`, a typed name, is the exception path (DESIGN §4 release rules).
 */
export const CheckoutCreateSchema = z
  .object({
    checkinIds: z
      .array(UuidSchema)
      .min(1)
      .max(MAX_CHILDREN_PER_CHECKIN)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a check-in'),
    token: z.string().trim().min(16).max(200).optional(),
    securityCode: SecurityCodeSchema.optional(),
    pickupPersonId: UuidSchema.optional(),
    pickedUpBy: name.optional(),
    override: OverrideSchema.optional(),
  })
  .strict()
  .refine((b) => b.token != null || b.securityCode != null, { message: 'needs the pickup token or the security code', path: ['securityCode'] })
  .refine((b) => b.pickupPersonId != null || b.pickedUpBy != null, {
    message: "needs pickupPersonId (someone on the family's list) or pickedUpBy (a typed name)",
    path: ['pickedUpBy'],
  });
export type CheckoutCreate = z.infer<typeof CheckoutCreateSchema>;

export const ServiceRoomPatchSchema = z
  .object({
    open: z.boolean().optional(),
    capacity: z.number().int().min(0).max(500).optional(),
    /** staff correct the volunteers present (DESIGN §15): needs `reason`; kept with who and when, for this service only */
    volunteers: z.number().int().min(0).max(100).optional(),
    ratioOverride: z.boolean().optional(),
    /** staff confirm a change that leaves children short of volunteers, or closes a room with children in it (DESIGN §13) */
    confirm: z.boolean().optional(),
    /** why staff corrected the volunteers present ("Sam is in the room, no phone") */
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(200).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'confirm' && k !== 'reason'), 'needs at least one of open, capacity, volunteers, ratioOverride')
  .refine((p) => p.volunteers == null || p.reason != null, { message: 'is required to correct the volunteers present: say why', path: ['reason'] });
export type ServiceRoomPatch = z.infer<typeof ServiceRoomPatchSchema>;

/** A staff member's own override PIN (stored as a scrypt hash). */
export const OverridePinSchema = z
  .object({
    pin: z
      .string()
      .trim()
      .regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits'),
  })
  .strict();
/** Staff put a checked-out child back in the room within a few minutes of a mistaken checkout. */
export const UndoCheckoutSchema = z.object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH) }).strict();
/** Staff undo a mistaken check-in at the desk. */
export const CancelCheckinSchema = z.object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH) }).strict();
/** Staff reprint a family's labels: to the browser (ZPL and fields returned), or to a kiosk's printer. */
export const ReprintLabelsSchema = z.object({ kioskId: UuidSchema.optional() }).strict();

export const PageCreateSchema = z.object({ message: z.string().trim().min(1).max(MAX_PAGE_MESSAGE_LENGTH).optional() }).strict();
/** A kiosk asks the server to send a check-in's labels to its Zebra printer. */
/**
 * A parent reprints the family's own labels at a kiosk later in the day (DESIGN §18), proved by
 * the tag's code or the pass (the same proof as joining the day's code, DESIGN §16).
 */
export const FamilyReprintSchema = z
  .object({
    householdId: UuidSchema,
    serviceId: UuidSchema,
    proof: z.string().trim().min(1, 'must not be empty').max(512),
    /** the kiosk prints with its browser: only the label data comes back */
    browser: z.boolean().optional(),
  })
  .strict();
export type FamilyReprint = z.infer<typeof FamilyReprintSchema>;

export const PrintLabelsSchema = z
  .object({
    /** one check-in request (the kiosk's labels right after it) … */
    requestId: UuidSchema.optional(),
    /** … or the family's batch: this kiosk's latest check-in into it */
    batchId: UuidSchema.optional(),
    /** the kiosk prints with its browser (no Zebra, or the Zebra is down): only the label data comes back */
    browser: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.requestId != null) !== (b.batchId != null), { message: 'needs a requestId or a batchId', path: ['batchId'] });

// ---- response types ----

export interface User {
  id: string;
  email: string;
  role: Role;
  siteId: string;
  name: string;
  organizationId: string;
  orgAdmin: boolean;
}
/** A campus a person may act at, and their role there. */
export interface Campus {
  siteId: string;
  name: string;
  role: Role;
}
export interface LoginResult {
  token: string;
  user: User;
  expiresAt: string;
  campuses: Campus[];
}
export interface Kiosk {
  id: string;
  siteId: string;
  name: string;
  mode: 'checkin' | 'pickup';
  paired: boolean;
  lastSeenAt: string | null;
  printerHost: string | null;
}
export interface Site {
  id: string;
  name: string;
  timezone: string;
}
export interface Service {
  id: string;
  siteId: string;
  name: string;
  startsAt: string;
  checkinOpensAt: string;
  checkinClosesAt: string;
}
/** A service of today for pickup, rosters and the dashboard: check-in may be closed, children still in the rooms. */
export interface TodayService extends Service {
  serviceDate: string;
  checkinOpen: boolean;
  childrenIn: number;
}
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
/** `allergies`: the text for the child's label (the kiosk's lookup only carries a flag). */
export interface CheckinRow {
  id: string;
  childId: string;
  roomId: string;
  roomName: string;
  firstName: string;
  lastName: string;
  allergies: string;
  /** DESIGN §16: severe and life-threatening print with the mark (null: not recorded) */
  allergySeverity?: AllergySeverity | null;
  serviceId: string;
  serviceName: string;
  startsAt: string;
}
/**
 * `waiting_for_volunteers`: the room has seats but not the adults to open them — enforced ratios
 * (present × ratio) or the two-adult rule (DESIGN §15); it admits again once volunteers check in.
 */
export type RefusalReason = 'room_full' | 'no_room_for_age' | 'service_closed' | 'already_checked_in' | 'waiting_for_volunteers';
export interface CheckinResult {
  batchId: string;
  securityCode: string | null;
  pickupUrl: string | null;
  /** this request's own part of the family's day (labels print for these only) */
  requestId: string;
  checkins: CheckinRow[];
  refused: { childId: string; reason: RefusalReason; firstName?: string; serviceId?: string }[];
  /** the family already held this code today: these children joined it */
  joined: boolean;
}
export interface VerifiedCheckin {
  id: string;
  childId: string;
  firstName: string;
  lastName: string;
  roomName: string;
  roomId: string;
  status: 'checked_in' | 'checked_out' | 'cancelled';
  allergies: string;
  /** DESIGN §16: severe and life-threatening show with the mark at pickup */
  allergySeverity?: AllergySeverity | null;
  careNeeds?: string[];
  ageMonths: number | null;
  grade: number | null;
  hasMedicalNotes: boolean;
  medicalNotes?: string;
  /** the child's photo (DESIGN §16), or null when there is none or the caller may not see it */
  photoUrl: string | null;
  /** For a child already picked up: who took them, when, and who verified it. */
  checkedOutAt: string | null;
  pickedUpBy: string | null;
  verifiedBy: string | null;
}
export interface PickupPerson {
  id: string;
  kind: 'guardian' | 'authorized_pickup';
  name: string;
}
export interface PickupVerification {
  securityCode: string;
  batchId: string;
  householdName: string;
  serviceId: string;
  checkins: VerifiedCheckin[];
  /** True when every child of the check-in is already picked up (a used code or pass). */
  allPickedUp: boolean;
  authorizedPickups: { id: string; name: string; relationship: string; photoUrl: string | null }[];
  guardians: { id: string; firstName: string; lastName: string; photoUrl: string | null }[];
  /** the person a custody alert names, with their photo when one is on file */
  custodyAlerts: { id: string; name: string; note: string; photoUrl: string | null }[];
}
export interface CheckoutResult {
  checkedOut: string[];
  pickedUpBy: string;
  pickupPerson: { id: string; kind: 'guardian' | 'authorized_pickup' } | null;
  override: { by: string; reason: string } | null;
}
/** `over_ratio`: more children than the volunteers present may look after (headcount > volunteers × ratio), still within capacity. */
export type RoomStatus = 'open' | 'nearly_full' | 'full' | 'over_ratio' | 'closed';
export interface ServiceRoom {
  id: string;
  serviceId: string;
  name: string;
  kind: 'regular' | 'overflow';
  open: boolean;
  /** the age group its alerts are about (the room's name when it has none) */
  ageGroup: string;
  capacity: number;
  volunteers: number;
  ratio: number | null;
  ratioOverride: boolean;
  headcount: number;
  limit: number;
  status: RoomStatus;
  sortOrder: number;
  /**
   * Grows with every change of this room's state (commit order, under the room's lock): a client
   * keeps the state with the higher version, whichever of an HTTP answer and an event came last.
   */
  version: number;
  minAgeMonths: number | null;
  maxAgeMonths: number | null;
  minGrade: number | null;
  maxGrade: number | null;
}
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; matches?: PossibleDuplicate[] };
}
/** One child's label: `medical` is a marker (a note exists), never the note. */
export interface LabelChildData {
  childId?: string;
  firstName: string;
  lastName: string;
  roomName: string;
  allergies: string;
  allergySeverity?: AllergySeverity | null;
  medical?: boolean;
}
/** Everything a label shows, built once on the server for the Zebra and for the browser. */
export interface LabelSetData {
  securityCode: string;
  pickupUrl: string;
  date: string;
  serviceName: string;
  footer: string;
  children: LabelChildData[];
  lang?: 'en' | 'es';
}
/** `printed`: a printer accepted the job; false when the kiosk asked for the browser's data only. */
export interface PrintLabelsResult {
  printed: boolean;
  labels: number;
  set: LabelSetData;
}
/** `POST /api/kiosks` and `POST /api/kiosks/:id/pairing-code`: the code to type on the tablet (shown once). */
export interface KioskPairing {
  kiosk: Kiosk;
  pairingCode: string;
  pairingExpiresAt: string;
}
/** `POST /api/kiosks/pair`: the tablet's token, its kiosk and site. */
export interface KioskPairResult {
  token: string;
  kiosk: Kiosk;
  site: Site | null;
}
/** `GET /api/kiosk/me`: a kiosk's own view of itself and its site (the tablet shows the site's name and label text). */
export interface KioskSelf {
  /** `hasPrinter`: a Zebra on the network takes the labels; otherwise the tablet prints them itself */
  kiosk: { id: string; name: string; mode: 'checkin' | 'pickup'; siteId: string; hasPrinter: boolean };
  site?: Site & { labelFooter: string };
  /** false when the server has no SMS provider: texts are logged, not sent */
  sms: { sending: boolean };
}
/** `GET /api/auth/me`: who the token is. */
export type Me =
  { kind: 'user'; user: User; campuses: Campus[] } | { kind: 'kiosk'; kiosk: { id: string; siteId: string; name: string; mode: 'checkin' | 'pickup' } };
export interface Display {
  id: string;
  siteId: string;
  name: string;
  paired: boolean;
  lastSeenAt: string | null;
}
export interface DisplayPairing {
  display: Display;
  pairingCode: string;
  pairingExpiresAt: string;
}
export interface DisplayPairResult {
  token: string;
  display: Display;
  site: Site | null;
}
export interface DisplaySelf {
  display: { id: string; name: string; siteId: string };
  site: Site | null;
}
/** `POST /api/households/:id/join-code` → 202 */
export interface JoinCodeSent {
  sent: true;
  phoneMasked: string;
}
/** `POST /api/checkins/:id/labels`: the family's labels (for the browser) and where they were printed. */
export interface ReprintResult {
  labels: LabelSetData;
  zpl: string;
  printed: { kiosk: string | null } | null;
}
/** One entry of a child's audit trail, as staff read it. */
export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  entity: string;
  entityId: string | null;
  actor: { kind: string; id: string | null; name: string | null };
  details: unknown;
}
export interface Health {
  status: 'ok' | 'degraded';
  db: 'up' | 'down';
}
/** A kiosk's label printer and how its last job went (null: nothing sent yet). */
export interface PrinterStatus {
  kioskId: string;
  kioskName: string;
  printerHost: string | null;
  lastOk: boolean | null;
  lastAt: string | null;
  lastError: string | null;
}

// ---- site settings (DESIGN §2) ----
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
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;
