/** Rosters: who is in each room, with pages and medical notes. */
import { z } from 'zod';
import { UuidSchema } from '../api';
import type { AllergySeverity } from '../rules';

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
  headcount: import('../volunteers').RoomHeadcount | null;
  /** the room's standing headcount alarm (a count that disagreed with the system), with a roomId */
  headcountMismatch: import('../events').AlertEvent | null;
}
/** A child's medical note, opened by someone who may read it (audited). */
export interface MedicalNote {
  checkinId: string;
  childId: string;
  firstName: string;
  medicalNotes: string;
}
