import type { CheckoutCreate, PickupVerification, PickupVerify } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { inSequence } from '../db/transaction';
import { roleAtLeast, type Actor } from '../auth/actor';
import { AppError, conflict, notFound } from '../errors';
import { sha256 } from '../auth/crypto';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { ageInMonths } from '../capacity/rules';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { enqueueCheckoutConfirmation } from '../notifications/outbox.service';
import { tokenFromScan } from '../checkin/pickup-token';
import * as repo from './pickup.repo';

/** A failed code or token: the caller audits it outside the rolled-back transaction. */
export class VerificationFailed extends AppError {
  constructor(readonly attempt: Record<string, unknown>) { super(404, 'pickup_not_found', 'No check-in matches that code or pass'); }
}

async function findBatch(tx: Tx, actor: Actor, by: { token?: string; securityCode?: string; serviceId?: string }) {
  if (by.token) {
    const batch = await repo.findBatchByTokenHash(tx.trx, sha256(tokenFromScan(by.token)));
    if (batch && batch.site_id === actor.siteId) return batch;
    throw new VerificationFailed({ by: 'token' });
  }
  const batch = await repo.findBatchByCode(tx.trx, actor.siteId, by.serviceId!, by.securityCode!);
  if (batch) return batch;
  throw new VerificationFailed({ by: 'securityCode', serviceId: by.serviceId });
}

/** What the volunteer at the door sees before handing children back. */
export async function verify(tx: Tx, actor: Actor, input: PickupVerify): Promise<PickupVerification> {
  const batch = await findBatch(tx, actor, input);
  const service = await findServiceContext(tx.trx, batch.service_id);
  const [children, pickups, guardians, custody, householdName] = await inSequence(
    () => repo.batchChildren(tx.trx, batch.id), () => repo.authorizedPickups(tx.trx, batch.household_id),
    () => repo.guardians(tx.trx, batch.household_id), () => repo.custodyAlerts(tx.trx, batch.household_id), () => repo.householdName(tx.trx, batch.household_id),
  );
  // volunteers at the door see that there is a note; staff see what it says
  const seesMedical = actor.kind === 'user' && roleAtLeast(actor.role, 'staff');
  await insertAudit(tx.trx, actor, { action: 'pickup.verify', entity: 'checkin_batch', entityId: batch.id, details: { by: 'token' in input ? 'token' : 'securityCode' } });
  return {
    securityCode: batch.security_code, batchId: batch.id, householdName,
    checkins: children.map((c) => ({
      id: c.id, childId: c.child_id, firstName: c.first_name, lastName: c.last_name, roomName: c.room_name, roomId: c.room_id,
      status: c.status, allergies: c.allergies, grade: c.grade, hasMedicalNotes: !!c.medical_notes,
      ageMonths: c.birthdate && service ? ageInMonths(c.birthdate, service.serviceDate) : null,
      ...(seesMedical ? { medicalNotes: c.medical_notes } : {}),
    })),
    authorizedPickups: pickups.map((p) => ({ name: p.name, relationship: p.relationship })),
    guardians: guardians.map((g) => ({ firstName: g.first_name, lastName: g.last_name })),
    custodyAlerts: custody.map((c) => ({ name: c.name, note: c.note })),
  };
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

/** Checks children out: who picked up, who verified, when; custody alerts stop it. */
export async function checkout(tx: Tx, actor: Actor, input: CheckoutCreate) {
  const rows = await repo.lockCheckins(tx.trx, actor.siteId, input.checkinIds);
  if (rows.length !== input.checkinIds.length) throw notFound('Check-in');
  const batchIds = new Set(rows.map((r) => r.batch_id));
  if (batchIds.size !== 1) throw new AppError(400, 'validation_failed', 'checkinIds: must all come from one check-in', 'checkinIds');
  const batchId = rows[0]!.batch_id as string;
  const batch = await findBatch(tx, actor, input.token ? { token: input.token } : { securityCode: input.securityCode, serviceId: rows[0]!.service_id });
  if (batch.id !== batchId) throw new VerificationFailed({ by: input.token ? 'token' : 'securityCode', mismatch: true });
  const done = rows.filter((r) => r.status !== 'checked_in');
  if (done.length) throw conflict('already_checked_out', `${done.map((r) => r.first_name).join(', ')} already checked out`);
  const custody = await repo.custodyAlerts(tx.trx, batch.household_id);
  const blocked = custody.find((c) => normalise(c.name) === normalise(input.pickedUpBy));
  if (blocked) {
    await insertAudit(tx.trx, actor, { action: 'checkout.custody_blocked', entity: 'checkin_batch', entityId: batchId, details: { pickedUpBy: input.pickedUpBy } });
    throw conflict('custody_alert', `${input.pickedUpBy} is named in a custody alert and may not pick up`);
  }
  await repo.markCheckedOut(tx.trx, input.checkinIds, input.pickedUpBy, actor.kind === 'user' ? actor.id : null);
  if ((await repo.remainingInBatch(tx.trx, batchId)) === 0) await repo.revokePass(tx.trx, batchId);
  const service = (await findServiceContext(tx.trx, rows[0]!.service_id))!;
  await enqueueCheckoutConfirmation(tx.trx, { service, householdId: batch.household_id, batchId, children: rows.map((r) => r.first_name), pickedUpBy: input.pickedUpBy });
  await insertAudit(tx.trx, actor, { action: 'checkout.create', entity: 'checkin_batch', entityId: batchId, details: { checkinIds: input.checkinIds, pickedUpBy: input.pickedUpBy, verifiedBy: actor.id } });
  const roomIds = [...new Set(rows.map((r) => r.room_id as string))];
  await afterRoomsChanged(tx, service, roomIds);
  tx.events.push({ name: 'checkin.checkedOut', siteId: actor.siteId, audience: 'staff', payload: { serviceId: service.id, checkinIds: input.checkinIds, roomIds, at: new Date().toISOString() } });
  return { checkedOut: input.checkinIds, pickedUpBy: input.pickedUpBy };
}
