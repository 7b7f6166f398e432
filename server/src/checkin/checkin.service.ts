import crypto from 'node:crypto';
import type { CheckinCreate, CheckinResult, RefusalReason } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict, notFound } from '../errors';
import { randomFromAlphabet, sha256 } from '../auth/crypto';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts';
import { insertAudit } from '../audit/audit.repo';
import { parseSettings, type ServiceContext } from '../sites/sites.repo';
import { ageInMonths, assignRooms, isEligible, type ChildForAssignment } from '../capacity/rules';
import { lockServiceRooms, toState } from '../capacity/capacity.repo';
import { afterRoomsChangedWith, groupOf, raiseRefusalAlerts } from '../capacity/capacity.service';
import { PROJECTION_WINDOW_MINUTES } from '../capacity/projection';
import { checkinReceiptBody, enqueueCheckinReceipt } from '../notifications/outbox.service';
import { notifyAfterCommit } from '../notifications/signal';
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
 *
 * This is the busiest path of the system, so it is written for round trips (six, with BEGIN and
 * COMMIT; bench/RESULTS.md): one statement reads everything decided before any lock, one inserts
 * the batch with its (speculative) pickup pass, one message takes the lock and recounts, and one
 * statement inserts the check-ins with their audit row and SMS receipt and reads what the
 * capacity alerts need. Overflow rooms are locked only when a child needs one, so one age group's
 * check-ins do not queue behind another's on the shared overflow room.
 */
export async function checkIn(tx: Tx, actor: Actor, input: CheckinCreate, deps: CheckinDeps): Promise<CheckinResult> {
  const { trx } = tx;
  const ctx = await repo.loadCheckinContext(trx, { siteId: actor.siteId, serviceId: input.serviceId, householdId: input.householdId, childIds: input.childIds, idempotencyKey: input.idempotencyKey });
  const service = ctx.service ? serviceContextOf(ctx.service) : undefined;
  if (!service || service.siteId !== actor.siteId) throw notFound('Service');
  if (ctx.previous) return replay(tx, ctx.previous, input, deps);

  const household = ctx.household;
  if (!household || household.site_id !== actor.siteId) throw notFound('Household');
  const byId = new Map(ctx.children.map((c) => [c.id, c]));
  const stranger = input.childIds.findIndex((id) => !byId.has(id));
  if (stranger >= 0) throw badRequest(`childIds.${stranger}: is not a child of this household`, `childIds.${stranger}`);
  const refusedEarly: string[] = [];

  const open = isCheckinOpen(service);
  for (const id of input.childIds) if (open && ctx.already.has(id)) refusedEarly.push(id);
  const toPlace: ChildForAssignment[] = open ? input.childIds.filter((id) => !ctx.already.has(id)).map((id) => {
    const c = byId.get(id)!;
    return { childId: id, grade: c.grade, ageMonths: c.birthdate ? ageInMonths(c.birthdate, service.serviceDate) : null };
  }) : [];
  // The rooms these children could use: only those are locked, so other age groups check in in parallel.
  const all = ctx.rooms.map((r) => toState(r, 0));
  const candidates = all.filter((r) => r.open && toPlace.some((c) => isEligible(r, c)));

  // The batch row first: a concurrent retry with the same key waits on its unique index.
  const passId = crypto.randomUUID();
  const kioskId = actor.kind === 'kiosk' ? actor.id : null;
  const userId = actor.kind === 'user' ? actor.id : null;
  let batchId: string | undefined;
  let code = '';
  for (let attempt = 0; !batchId; attempt++) {
    if (attempt > 20) throw conflict('no_security_code', 'Could not allocate a security code; try again');
    code = newSecurityCode();
    batchId = await repo.tryInsertBatchWithPass(trx, {
      site_id: actor.siteId, service_id: service.id, household_id: household.id, service_date: service.serviceDate,
      security_code: code, idempotency_key: input.idempotencyKey, kiosk_id: kioskId, user_id: userId,
    }, { id: passId, token_hash: sha256(pickupToken(deps.secret, passId)), timezone: service.timezone });
    if (!batchId) {
      const raced = await repo.findBatchByKey(trx, actor.siteId, input.idempotencyKey);
      if (raced) return replay(tx, raced, input, deps);
    }
  }

  const refused: { childId: string; reason: RefusalReason; firstName?: string }[] = [];
  const refuse = (childId: string, reason: RefusalReason) => refused.push({ childId, reason, firstName: byId.get(childId)?.first_name });
  let admitted: { id: string; child_id: string; room_id: string }[] = [];
  const roomNames = new Map(all.map((r) => [r.roomId, r.name]));
  const receiptOf = (placed: { childId: string; roomId: string }[]) => ({
    service, householdId: household.id, batchId: batchId!, securityCode: code,
    children: placed.map((p) => ({ firstName: byId.get(p.childId)!.first_name, roomName: roomNames.get(p.roomId) ?? '' })),
  });
  let receiptQueued = false;
  let audited = false;

  if (!open) {
    for (const id of input.childIds) refuse(id, 'service_closed');
  } else {
    for (const id of refusedEarly) refuse(id, 'already_checked_in');
    if (toPlace.length) {
      let locked = await lockServiceRooms(trx, service.id, candidates.filter((r) => r.kind === 'regular').map((r) => r.roomId));
      let plan = assignRooms(toPlace, locked, service.settings.strategy, service.settings.enforceRatios);
      // Overflow only when a regular room could not take a child: lock the overflow rooms too
      // (always after the regular ones, so lock order stays acyclic) and plan again.
      const overflow = candidates.filter((r) => r.kind === 'overflow' && plan.refused.some((x) => isEligible(r, toPlace.find((c) => c.childId === x.childId)!)));
      if (overflow.length) {
        locked = [...locked, ...(await lockServiceRooms(trx, service.id, overflow.map((r) => r.roomId)))];
        plan = assignRooms(toPlace, locked, service.settings.strategy, service.settings.enforceRatios);
      }
      for (const r of plan.refused) refuse(r.childId, r.reason);

      // The age groups whose alerts this check-in may change, and their rooms not locked here.
      const lockedIds = new Set(locked.map((r) => r.roomId));
      const groups = new Set(locked.filter((r) => plan.assigned.some((a) => a.roomId === r.roomId)).map(groupOf));
      const groupRooms = all.filter((r) => groups.has(groupOf(r)));
      // one statement under the lock: the check-ins, their audit row and their SMS receipt
      const read = await repo.insertCheckinsReadingAlertInputs(trx, {
        batchId, siteId: actor.siteId, serviceId: service.id, householdId: household.id, securityCode: code, kioskId, userId, placed: plan.assigned,
        audit: { actorKind: actor.kind, actorId: actor.id, refused },
        receiptBody: plan.assigned.length ? checkinReceiptBody(receiptOf(plan.assigned)) : null,
      }, { arrivalRoomIds: groupRooms.map((r) => r.roomId), countRoomIds: groupRooms.filter((r) => !lockedIds.has(r.roomId)).map((r) => r.roomId), windowMinutes: PROJECTION_WINDOW_MINUTES });
      admitted = read.admitted;
      audited = read.audited;
      receiptQueued = read.receipts > 0;
      if (receiptQueued) notifyAfterCommit(trx);
      const inserted = new Set(admitted.map((a) => a.child_id));
      for (const a of plan.assigned) if (!inserted.has(a.childId)) refuse(a.childId, 'already_checked_in');
      const refusedFull = plan.refused.filter((r) => r.reason === 'room_full' || r.reason === 'no_room_for_age');
      if (refusedFull.length) await raiseRefusalAlerts(tx, service, refusedFull, toPlace, [...locked, ...all.filter((r) => !lockedIds.has(r.roomId))], read.standing);
      if (admitted.length) {
        // rooms as they are now: locked ones with what this transaction added, the others as just counted
        const addedTo = new Map<string, number>();
        for (const a of admitted) addedTo.set(a.room_id, (addedTo.get(a.room_id) ?? 0) + 1);
        const now = groupRooms.map((r) => {
          const l = locked.find((x) => x.roomId === r.roomId);
          return l ? { ...l, headcount: l.headcount + (addedTo.get(r.roomId) ?? 0) } : { ...r, headcount: Number(read.headcounts[r.roomId] ?? 0) };
        });
        const arrivals = new Map(groupRooms.map((r) => [r.roomId, Number(read.arrivals[r.roomId] ?? 0) + (addedTo.get(r.roomId) ?? 0)]));
        await afterRoomsChangedWith(tx, service, now, [...addedTo.keys()], read.standing, arrivals);
      }
    }
  }

  if (!admitted.length) {
    // nobody admitted: no receipt, no pass, no code; the batch keeps the refusals for a replay
    await repo.closeEmptyBatch(trx, batchId, passId, JSON.stringify(refused));
  } else {
    // rare: a child was taken by another kiosk meanwhile, so the statement queued no receipt
    if (!receiptQueued) await enqueueCheckinReceipt(trx, receiptOf(admitted.map((a) => ({ childId: a.child_id, roomId: a.room_id }))));
    // the batch row already says "nothing refused, code kept": only a different answer is written
    if (refused.length) await repo.updateBatch(trx, batchId, { refused: JSON.stringify(refused) });
  }
  if (!audited) {
    await insertAudit(trx, actor, {
      action: 'checkin.create', entity: 'checkin_batch', entityId: batchId,
      details: { serviceId: service.id, householdId: household.id, admitted: admitted.map((a) => ({ checkinId: a.id, childId: a.child_id, roomId: a.room_id })), refused },
    });
  }

  const checkins = admitted.map((a) => ({
    id: a.id, childId: a.child_id, roomId: a.room_id, roomName: roomNames.get(a.room_id) ?? '',
    firstName: byId.get(a.child_id)!.first_name, lastName: byId.get(a.child_id)!.last_name, allergies: byId.get(a.child_id)!.allergies ?? '',
  }));
  if (checkins.length) {
    tx.events.push({ name: 'checkin.created', siteId: actor.siteId, audience: 'staff', payload: { serviceId: service.id, batchId, checkins: checkins.map(({ roomName: _r, allergies: _a, ...c }) => c), at: new Date().toISOString() } });
  }
  return {
    batchId, securityCode: admitted.length ? code : null,
    pickupUrl: admitted.length ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, passId)) : null,
    checkins, refused,
  };
}

/** The service row of loadCheckinContext (JSON: timestamps arrive as strings). */
function serviceContextOf(row: Record<string, any>): ServiceContext {
  return {
    id: row.id, siteId: row.site_id, name: row.name, startsAt: new Date(row.starts_at), checkinOpensAt: new Date(row.checkin_opens_at),
    checkinClosesAt: new Date(row.checkin_closes_at), serviceDate: row.service_date, siteName: row.site_name, timezone: row.timezone,
    settings: parseSettings(row.settings),
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
    checkins: rows.map((r) => ({ id: r.id, childId: r.child_id, roomId: r.room_id, roomName: r.room_name, firstName: r.first_name, lastName: r.last_name, allergies: r.allergies ?? '' })),
    refused: batch.refused ?? [],
  };
}
