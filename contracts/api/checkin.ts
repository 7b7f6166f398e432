/** Check-in (DESIGN §7): the request, the answer, a service's rooms and their status, moves, cancels and pages. */
import { z } from 'zod';
import { MAX_CHILDREN_PER_CHECKIN, MAX_NOTE_LENGTH, MAX_PAGE_MESSAGE_LENGTH } from '../limits';
import { type AllergySeverity, FAMILY_LANGS } from '../rules';
import { UuidSchema } from './fields';

/** Staff move a checked-in child to another room of the service. */
export const CheckinMoveSchema = z.object({ roomId: UuidSchema }).strict();
/** `GET /api/alerts?serviceId=`: the alerts of one service. */
export const AlertListQuerySchema = z.object({ serviceId: UuidSchema });

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

/** Staff undo a mistaken check-in at the desk. */
export const CancelCheckinSchema = z.object({ reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(MAX_NOTE_LENGTH) }).strict();
export const PageCreateSchema = z.object({ message: z.string().trim().min(1).max(MAX_PAGE_MESSAGE_LENGTH).optional() }).strict();
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
