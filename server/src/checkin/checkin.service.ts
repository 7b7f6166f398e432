import type { CheckinCreate, CheckinResult, RefusalReason } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict, notFound } from '../errors';
import { randomFromAlphabet, sha256 } from '../auth/crypto';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { ageInMonths, assignRooms, isEligible, type ChildForAssignment } from '../capacity/rules';
import { listServiceRooms, lockServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged, raiseRefusalAlerts } from '../capacity/capacity.service';
import { enqueueCheckinReceipt } from '../notifications/outbox.service';
import { pickupToken, pickupUrl } from './pickup-token';
import * as repo from './checkin.repo';

export interface CheckinDeps { secret: Buffer; baseUrl: string }

export const newSecurityCode = () => randomFromAlphabet(SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH);

/** Check-in window: open from checkin_opens_at until checkin_closes_at. */
export const isCheckinOpen = (s: Pick<ServiceContext, 'checkinOpensAt' | 'checkinClosesAt'>, now = new Date()) =>
  now >= s.checkinOpensAt && now < s.checkinClosesAt;

/**
 * Checks a household's children in (DESIGN §3, §4). The room assignment and the inserts happen
 * under a lock on the eligible service_rooms rows, so concurrent kiosks can never overbook.
 */
export async function checkIn(tx: Tx, actor: Actor, input: CheckinCreate, deps: CheckinDeps): Promise<CheckinResult> {
  const { trx } = tx;
  const service = await findServiceContext(trx, input.serviceId);
  if (!service || service.siteId !== actor.siteId) throw notFound('Service');

  const previous = await repo.findBatchByKey(trx, actor.siteId, input.idempotencyKey);
  if (previous) return replay(tx, previous, input, deps);

  const household = await repo.findHousehold(trx, input.householdId);
  if (!household || household.site_id !== actor.siteId) throw notFound('Household');
  const children = await repo.householdChildren(trx, household.id, input.childIds);
  const byId = new Map(children.map((c) => [c.id as string, c]));
  const stranger = input.childIds.findIndex((id) => !byId.has(id));
  if (stranger >= 0) throw badRequest(`childIds.${stranger}: is not a child of this household`, `childIds.${stranger}`);

  // The batch row first: a concurrent retry with the same key waits on its unique index.
  let batchId: string | undefined;
  let code = '';
  for (let attempt = 0; !batchId; attempt++) {
    if (attempt > 20) throw conflict('no_security_code', 'Could not allocate a security code; try again');
    code = newSecurityCode();
    batchId = await repo.tryInsertBatch(trx, {
      site_id: actor.siteId, service_id: service.id, household_id: household.id, service_date: service.serviceDate,
      security_code: code, idempotency_key: input.idempotencyKey,
      kiosk_id: actor.kind === 'kiosk' ? actor.id : null, user_id: actor.kind === 'user' ? actor.id : null,
    });
    if (!batchId) {
      const raced = await repo.findBatchByKey(trx, actor.siteId, input.idempotencyKey);
      if (raced) return replay(tx, raced, input, deps);
    }
  }

  const refused: { childId: string; reason: RefusalReason; firstName?: string }[] = [];
  const refuse = (childId: string, reason: RefusalReason) => refused.push({ childId, reason, firstName: byId.get(childId)?.first_name });
  let admitted: { id: string; child_id: string; room_id: string }[] = [];
  let roomNames = new Map<string, string>();

  if (!isCheckinOpen(service)) {
    for (const id of input.childIds) refuse(id, 'service_closed');
  } else {
    const already = await repo.childrenCheckedIn(trx, service.id, input.childIds);
    for (const id of input.childIds) if (already.has(id)) refuse(id, 'already_checked_in');
    const toPlace: ChildForAssignment[] = input.childIds.filter((id) => !already.has(id)).map((id) => {
      const c = byId.get(id)!;
      return { childId: id, grade: c.grade, ageMonths: c.birthdate ? ageInMonths(c.birthdate, service.serviceDate) : null };
    });
    if (toPlace.length) {
      // Lock only the rooms these children could use, so other age groups check in in parallel.
      const all = await listServiceRooms(trx, service.id);
      const candidateIds = all.filter((r) => r.open && toPlace.some((c) => isEligible(r, c))).map((r) => r.roomId);
      const locked = await lockServiceRooms(trx, service.id, candidateIds);
      const plan = assignRooms(toPlace, locked, service.settings.strategy, service.settings.enforceRatios);
      for (const r of plan.refused) refuse(r.childId, r.reason);
      roomNames = new Map(locked.map((r) => [r.roomId, r.name]));
      admitted = await repo.insertCheckins(trx, plan.assigned.map((a) => ({
        batch_id: batchId, site_id: actor.siteId, service_id: service.id, room_id: a.roomId, child_id: a.childId,
        household_id: household.id, security_code: code,
        kiosk_id: actor.kind === 'kiosk' ? actor.id : null, user_id: actor.kind === 'user' ? actor.id : null,
      })));
      const inserted = new Set(admitted.map((a) => a.child_id));
      for (const a of plan.assigned) if (!inserted.has(a.childId)) refuse(a.childId, 'already_checked_in');
      const refusedFull = plan.refused.filter((r) => r.reason === 'room_full' || r.reason === 'no_room_for_age');
      if (refusedFull.length) await raiseRefusalAlerts(tx, service, refusedFull, toPlace, all);
      if (admitted.length) await afterRoomsChanged(tx, service, [...new Set(admitted.map((a) => a.room_id))]);
    }
  }

  let passId: string | null = null;
  if (admitted.length) {
    passId = await repo.insertPass(trx, batchId, (id) => sha256(pickupToken(deps.secret, id)), service.timezone, service.serviceDate);
    await enqueueCheckinReceipt(trx, {
      service, householdId: household.id, batchId, securityCode: code,
      children: admitted.map((a) => ({ firstName: byId.get(a.child_id)!.first_name, roomName: roomNames.get(a.room_id) ?? '' })),
    });
  }
  await repo.updateBatch(trx, batchId, { refused: JSON.stringify(refused), ...(admitted.length ? {} : { security_code: null }) });
  await insertAudit(trx, actor, {
    action: 'checkin.create', entity: 'checkin_batch', entityId: batchId,
    details: { serviceId: service.id, householdId: household.id, admitted: admitted.map((a) => ({ checkinId: a.id, childId: a.child_id, roomId: a.room_id })), refused },
  });

  const checkins = admitted.map((a) => ({
    id: a.id, childId: a.child_id, roomId: a.room_id, roomName: roomNames.get(a.room_id) ?? '',
    firstName: byId.get(a.child_id)!.first_name as string, lastName: byId.get(a.child_id)!.last_name as string,
  }));
  if (checkins.length) {
    tx.events.push({ name: 'checkin.created', siteId: actor.siteId, audience: 'staff', payload: { serviceId: service.id, batchId, checkins: checkins.map(({ roomName: _r, ...c }) => c), at: new Date().toISOString() } });
  }
  return {
    batchId, securityCode: admitted.length ? code : null,
    pickupUrl: passId ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, passId)) : null,
    checkins, refused,
  };
}

/** The same key gives the same answer and creates nothing new. */
async function replay({ trx }: Tx, batch: repo.BatchRow, input: CheckinCreate, deps: CheckinDeps): Promise<CheckinResult> {
  if (batch.service_id !== input.serviceId || batch.household_id !== input.householdId) {
    throw conflict('idempotency_key_reused', 'This idempotencyKey was already used for a different check-in');
  }
  const rows = await repo.batchCheckins(trx, batch.id);
  return {
    batchId: batch.id, securityCode: rows.length ? batch.security_code : null,
    pickupUrl: batch.pass_id ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, batch.pass_id)) : null,
    checkins: rows.map((r) => ({ id: r.id, childId: r.child_id, roomId: r.room_id, roomName: r.room_name, firstName: r.first_name, lastName: r.last_name })),
    refused: batch.refused ?? [],
  };
}
