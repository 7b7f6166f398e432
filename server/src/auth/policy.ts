/**
 * Who may read what is decided here, once (CONVENTIONS habit 18): routes, services and presenters
 * ask these functions instead of testing roles themselves.
 */
import { roleAtLeast, type Actor } from './actor';

/**
 * A child's medical note (DESIGN §13, §15): staff and admins read it; a volunteer reads it while
 * checked in to the child's room (`servingRoomIds`: the rooms they are checked in to on the day of
 * the child's service — they look after the child there); nobody else below staff, no kiosk, no
 * wall display. Where no room is known (a family record, a pickup), staff only.
 */
export function readsMedicalNotes(actor: Actor, child?: { roomId: string; servingRoomIds: ReadonlySet<string> }): boolean {
  if (actor.kind !== 'user') return false;
  if (roleAtLeast(actor.role, 'staff')) return true;
  return !!child && child.servingRoomIds.has(child.roomId);
}
