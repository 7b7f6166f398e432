import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { conflict, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { roomLimit } from '../capacity/rules';
import { lockServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import * as repo from './pickup.repo';
import { assertSameSite } from '../policies/ownership';

/**
 * Staff undo a mistaken checkout within UNDO_MINUTES (DESIGN §4): the child is checked in again in
 * the room they left, under the room's lock — refused (409 room_full) if that room is now at its
 * limit, since capacity is never exceeded. Audited with the reason and what was undone.
 */
export async function undoCheckout(tx: Tx, actor: Actor, checkinId: string, reason: string) {
  if (!isStaff(actor)) throw forbidden('Only staff can undo a checkout');
  const c = await repo.lockCheckinForUndo(tx.trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  if (c.status !== 'checked_out') throw conflict('not_checked_out', `${c.first_name} is not checked out`);
  if (!c.undoable) throw conflict('undo_expired', `A checkout can only be undone within ${repo.UNDO_MINUTES} minutes`);
  const service = await findServiceContext(tx.trx, c.service_id);
  if (!service) throw notFound('Service');
  const [room] = await lockServiceRooms(tx.trx, service.id, [c.room_id]);
  if (!room) throw notFound('Room');
  if (!room.open) throw conflict('room_closed', `${room.name} is closed; open it (or move the child) first`);
  if (room.headcount >= roomLimit(room, service.settings))
    throw conflict('room_full', `${room.name} is full (${room.headcount}); ${c.first_name} cannot go back until there is room`);
  await repo.markCheckedInAgain(tx.trx, c.id);
  await repo.reinstatePass(tx.trx, c.batch_id);
  await insertAudit(tx.trx, actor, {
    action: 'checkout.undo',
    entity: 'checkin',
    entityId: c.id,
    details: {
      reason,
      batchId: c.batch_id,
      undone: {
        checkedOutAt: c.checked_out_at,
        pickedUpBy: c.picked_up_by,
        checkedOutBy: c.checked_out_by,
        checkedOutKioskId: c.checked_out_kiosk_id,
        overrideBy: c.override_by,
      },
    },
  });
  await afterRoomsChanged(tx, service, [c.room_id]);
  return { id: c.id, status: 'checked_in' as const, roomId: c.room_id, roomName: room.name };
}
