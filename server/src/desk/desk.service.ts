/**
 * The attended station (DESIGN §12): staff at the welcome desk undo a mistaken check-in. Check-in,
 * guest children and reprints use the existing routes under the same rules.
 */
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { conflict, forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { lockServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import * as repo from './desk.repo';
import { assertSameSite } from '../policies/ownership';

/**
 * Cancels a check-in made by mistake, on the service's day: the child is no longer in (status
 * `cancelled`, not attendance), the seat is free again (room.updated for every service sharing the
 * room, alerts re-judged), and when nobody of the family is left in, its pickup pass dies.
 * Under the room's lock, like every other change of a headcount. Audited with the reason.
 */
export async function cancelCheckin(tx: Tx, actor: Actor, checkinId: string, reason: string) {
  if (!isStaff(actor)) throw forbidden('Only staff can undo a check-in');
  const c = await repo.lockCheckinForCancel(tx.trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  if (c.status === 'cancelled') throw conflict('already_cancelled', `${c.first_name}'s check-in was already undone`);
  if (c.status !== 'checked_in') throw conflict('not_checked_in', `${c.first_name} was already picked up; a check-in is undone only while the child is in`);
  if (!c.today) throw conflict('cancel_expired', 'A check-in can only be undone on its service day');
  const service = await findServiceContext(tx.trx, c.service_id);
  if (!service) throw notFound('Service');
  await lockServiceRooms(tx.trx, service.id, [c.room_id]);
  await repo.markCancelled(tx.trx, c.id);
  const left = await repo.remainingInBatch(tx.trx, c.batch_id);
  if (left === 0) await repo.revokePass(tx.trx, c.batch_id);
  await insertAudit(tx.trx, actor, {
    action: 'checkin.cancel',
    entity: 'checkin',
    entityId: c.id,
    details: { reason, batchId: c.batch_id, roomId: c.room_id, childId: c.child_id, checkedInAt: c.checked_in_at, passRevoked: left === 0 },
  });
  await afterRoomsChanged(tx, service, [c.room_id]);
  return { id: c.id, status: 'cancelled' as const };
}
