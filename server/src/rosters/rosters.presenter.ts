import type { PageStatus, RosterEntry } from '../../../contracts';
import type { Actor } from '../auth/actor';
import { can } from '../policies';
import { ageInMonths } from '../capacity/rules';
import { allergySeverity, iso } from '../../../contracts/rules';
import type { PageRow, RosterRow } from './rosters.repo';

export const presentPage = (n: PageRow): PageStatus => ({
  id: n.id,
  status: n.status,
  error: n.error ?? null,
  createdAt: iso(n.created_at),
  updatedAt: iso(n.updated_at),
});

/**
 * A roster line. The medical note's text is never on it: whoever may read it (staff, a volunteer
 * checked in to the child's room — server/src/policies, 'medical.read') opens it with GET
 * /api/checkins/:id/medical-notes, and each opening is audited; everyone else sees the flag only.
 * The family's security code goes to staff and admins only.
 * This is the only place roster rows become JSON.
 */
export function presentRosterEntry(
  actor: Actor,
  row: RosterRow,
  ctx: { serviceDate: string; custody: Set<string>; pages: PageStatus[]; servingRoomIds?: Set<string>; presentAt?: Date },
): RosterEntry {
  // the roster is of the actor's own campus (rosters.service); the policy decides the rest
  const subject = { siteId: actor.siteId, roomIds: [row.room_id], servingRoomIds: ctx.servingRoomIds };
  const medical = String(row.medical_notes ?? '').trim();
  const caresForChild = can(actor, 'medical.read', subject);
  return {
    id: row.id,
    childId: row.child_id,
    householdId: row.household_id,
    firstName: row.first_name,
    lastName: row.last_name,
    roomId: row.room_id,
    roomName: row.room_name,
    ageMonths: row.birthdate ? ageInMonths(row.birthdate, ctx.serviceDate) : null,
    grade: row.grade,
    allergies: row.allergies ?? '',
    allergySeverity: allergySeverity(row.allergy_severity),
    careNeeds: row.care_needs ?? [],
    droppedOffBy: row.dropped_off_by_name ?? null,
    hasMedicalNotes: medical.length > 0,
    canReadMedicalNotes: medical.length > 0 && caresForChild,
    presentAt: ctx.presentAt ? iso(ctx.presentAt) : null,
    hasCustodyAlert: ctx.custody.has(row.household_id),
    // codes are for families and staff: a volunteer at the door is handed the code or pass (DESIGN §4)
    ...(can(actor, 'code.read', subject) ? { securityCode: row.security_code } : {}),
    status: row.status,
    checkedInAt: iso(row.checked_in_at),
    checkedOutAt: row.checked_out_at ? iso(row.checked_out_at) : null,
    pickedUpBy: row.picked_up_by ?? null,
    pages: ctx.pages,
  };
}
