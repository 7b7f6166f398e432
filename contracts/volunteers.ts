/** Volunteers in the room (DESIGN §13): request schemas and response types. */
import { z } from 'zod';
import { BACKGROUND_CHECK_STATUSES, type BackgroundCheckStatus } from './rules/volunteers';

const Uuid = z.uuid({ message: 'must be a UUID' });
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date');

/** Check a volunteer in to a room for a service: oneself (no userId), or, for staff, someone else. */
export const VolunteerCheckinSchema = z.object({ userId: Uuid.optional() }).strict();
export type VolunteerCheckin = z.infer<typeof VolunteerCheckinSchema>;
export const BackgroundCheckSchema = z
  .object({
    status: z.enum(BACKGROUND_CHECK_STATUSES as [BackgroundCheckStatus, ...BackgroundCheckStatus[]]),
    expiresOn: IsoDate.nullable().optional(),
  })
  .strict()
  .refine((b) => b.status !== 'cleared' || b.expiresOn != null, { message: 'a cleared check needs its expiry date', path: ['expiresOn'] });
export type BackgroundCheckUpdate = z.infer<typeof BackgroundCheckSchema>;
export const VolunteerReportQuerySchema = z
  .object({ from: IsoDate, to: IsoDate })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] });
export const HeadcountCreateSchema = z.object({ count: z.number().int().min(0).max(1000) }).strict();
export const RollCallSchema = z.object({ present: z.boolean() }).strict();

export interface BackgroundCheck {
  status: BackgroundCheckStatus;
  expiresOn: string | null;
  current: boolean;
}
export interface VolunteerShift {
  id: string;
  serviceId: string;
  roomId: string;
  roomName: string;
  userId: string;
  name: string;
  checkedInAt: string;
  checkedOutAt: string | null;
}
/** A volunteer name tag: name and room, never a security code. */
export interface VolunteerLabel {
  name: string;
  roomName: string;
  serviceName: string;
  date: string;
  zpl: string;
  /** the badge from the campus's stored volunteer template, for the browser's print (absent: the built-in layout prints) */
  html?: string;
}
export interface VolunteerCheckinResult {
  shift: VolunteerShift;
  label: VolunteerLabel;
  volunteers: number;
}
/** Who may be checked in (staff see the campus's people; a volunteer sees only themselves). */
export interface VolunteerCandidate {
  userId: string;
  name: string;
  backgroundCheck: BackgroundCheck;
}
export interface ServiceVolunteers {
  serviceId: string;
  shifts: VolunteerShift[];
  candidates: VolunteerCandidate[];
  mine: VolunteerShift | null;
  requireBackgroundCheck: boolean;
  /** staff only (volunteers get none): each room's latest correction of its volunteers present this service */
  corrections?: VolunteerCorrection[];
}
/** Staff corrected a room's volunteers present (DESIGN §15): who, when, why; it ends with the service. */
export interface VolunteerCorrection {
  roomId: string;
  /** the number staff set */
  present: number;
  before: number;
  /** volunteers checked in to the room at that moment */
  checkedIn: number;
  reason: string;
  by: string | null;
  at: string;
}
export interface VolunteerReportRow extends VolunteerShift {
  serviceName: string;
  serviceDate: string;
  minutes: number | null;
}
export interface VolunteerReport {
  from: string;
  to: string;
  shifts: VolunteerReportRow[];
}
export interface RoomHeadcount {
  id: string;
  roomId: string;
  count: number;
  systemCount: number;
  recordedBy: string | null;
  recordedAt: string;
}

// ---- at a check-in kiosk: the volunteer's phone number is who they are; the kiosk learns their name alone ----
const KioskPhone = z
  .string()
  .trim()
  .regex(/^[0-9 ()+.-]{7,24}$/, 'must be a full phone number');
export const KioskVolunteerLookupSchema = z.object({ serviceId: Uuid, phone: KioskPhone }).strict();
export const KioskVolunteerCheckinSchema = z.object({ serviceId: Uuid, phone: KioskPhone, roomId: Uuid }).strict();
export type KioskVolunteerCheckin = z.infer<typeof KioskVolunteerCheckinSchema>;
/** The volunteer found by their phone: their own name and room, and the rooms they may choose. */
export interface KioskVolunteer {
  name: string;
  serving: { roomId: string; roomName: string } | null;
  rooms: { id: string; name: string }[];
}
export interface KioskVolunteerCheckinResult {
  name: string;
  roomName: string;
  label: VolunteerLabel;
  /** the tag went to the kiosk's label printer; false: print it from the browser */
  printed: boolean;
}

// ---- staff: the campus's volunteers, their background checks and phones ----
export const VolunteerPhoneSchema = z.object({ phone: z.string().trim().max(24).nullable() }).strict();
export interface VolunteerPerson {
  userId: string;
  name: string;
  phone: string | null;
  backgroundCheck: BackgroundCheck;
  /** a current check that runs out within 30 days */
  expiresSoon: boolean;
}
