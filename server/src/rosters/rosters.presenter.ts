import type { PageStatus, RosterEntry } from '../../../contracts';
import { roleAtLeast, type Actor } from '../auth/actor';
import { readsMedicalNotes } from '../auth/policy';
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
 * checked in to the child's room — policy.readsMedicalNotes) opens it with GET
 * /api/checkins/:id/medical-notes, and each opening is audited; everyone else sees the flag only.
 * The family's security code goes to staff and admins only.
 * This is the only place roster rows become JSON.
 */
export function presentRosterEntry(
  actor: Actor,
  row: RosterRow,
  ctx: { serviceDate: string; custody: Set<string>; pages: PageStatus[]; servingRoomIds?: Set<string>; presentAt?: Date },
): RosterEntry {
  const staff = actor.kind === 'user' && roleAtLeast(actor.role, 'staff');
  const medical = String(row.medical_notes ?? '').trim();
  const caresForChild = readsMedicalNotes(actor, { roomId: row.room_id, servingRoomIds: ctx.servingRoomIds ?? new Set() });
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
    ...(staff ? { securityCode: row.security_code } : {}),
    status: row.status,
    checkedInAt: iso(row.checked_in_at),
    checkedOutAt: row.checked_out_at ? iso(row.checked_out_at) : null,
    pickedUpBy: row.picked_up_by ?? null,
    pages: ctx.pages,
  };
}
