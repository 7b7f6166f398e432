import type { PageStatus, RosterEntry } from '../../../contracts';
import { roleAtLeast, type Actor } from '../auth/actor';
import { ageInMonths } from '../capacity/rules';
import { iso } from '../../../contracts/rules';


export const presentPage = (n: Record<string, any>): PageStatus => ({
  id: n.id, status: n.status, error: n.error ?? null, createdAt: iso(n.created_at), updatedAt: iso(n.updated_at),
});

/**
 * A roster line. Volunteers get the medical FLAG only; the note's text goes to staff and admins,
 * and so does the family's security code.
 * This is the only place roster rows become JSON.
 */
export function presentRosterEntry(actor: Actor, row: Record<string, any>, ctx: { serviceDate: string; custody: Set<string>; pages: PageStatus[] }): RosterEntry {
  const staff = actor.kind === 'user' && roleAtLeast(actor.role, 'staff');
  const medical = String(row.medical_notes ?? '').trim();
  return {
    id: row.id, childId: row.child_id, householdId: row.household_id, firstName: row.first_name, lastName: row.last_name,
    roomId: row.room_id, roomName: row.room_name,
    ageMonths: row.birthdate ? ageInMonths(row.birthdate, ctx.serviceDate) : null, grade: row.grade,
    allergies: row.allergies ?? '', hasMedicalNotes: medical.length > 0, ...(staff ? { medicalNotes: medical } : {}),
    hasCustodyAlert: ctx.custody.has(row.household_id),
    // codes are for families and staff: a volunteer at the door is handed the code or pass (DESIGN §4)
    ...(staff ? { securityCode: row.security_code } : {}), status: row.status,
    checkedInAt: iso(row.checked_in_at), checkedOutAt: row.checked_out_at ? iso(row.checked_out_at) : null, pickedUpBy: row.picked_up_by ?? null,
    pages: ctx.pages,
  };
}
