/**
 * The check-in's writes (read → decide → write, #27): the family's day and this request under its
 * key, then — once decide.ts has answered — the check-ins with their audit row and SMS receipt,
 * the override's audit, the capacity alerts, the rooms' pushes and the `checkin.created` events.
 * Every decision about who goes where was made before; this only carries it out, in as few round
 * trips as it can (the rooms are locked from lockPhysicalRooms to COMMIT).
 */
import crypto from 'node:crypto';
import type { CheckinCreate, LocatedCheckinRow } from '../../../contracts';
import type { FamilyLang } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict } from '../errors';
import { randomFromAlphabet, sha256 } from '../auth/crypto';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts';
import type { ServiceContext } from '../sites/sites.repo';
import { toState } from '../capacity/capacity.repo';
import {
  afterRoomsChanged,
  afterRoomsChangedWith,
  groupsTouchedBy,
  pushRoomUpdates,
  raiseRefusalAlerts,
  recordRoomVersions,
  roomsForGroup,
} from '../capacity/capacity.service';
import { PROJECTION_WINDOW_MINUTES } from '../capacity/projection';
import { checkinReceiptBody } from '../notifications/outbox.service';
import { notifyOutbox } from '../notifications/signal';
import { insertAudit } from '../audit/audit.repo';
import { markUsed as markPrecheckinsUsed } from '../precheckin/kiosk';
import { pickupToken } from './pickup-token';
import * as repo from './checkin.repo';
import type { CheckinCase, Decision, Locked } from './decide';
import type { Refusal } from './checkin.presenter';

export const newSecurityCode = () => randomFromAlphabet(SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH);

/**
 * The family's batch for the day (its code and pass) with this request recorded under its key:
 * joined (its lock makes a family's check-ins run one at a time), or started with a new code.
 * 'raced': the idempotency key is taken (the caller replays the request that holds it).
 */
export async function enterFamilyDay(
  trx: Tx['trx'],
  family: repo.FamilyDay | undefined,
  request: repo.RequestInsert,
  day: { service: ServiceContext; householdId: string; secret: Buffer },
): Promise<{ family: repo.FamilyDay; requestId: string } | 'raced'> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 20) throw conflict('no_security_code', 'Could not allocate a security code; try again');
    if (family) {
      const requestId = await repo.joinFamilyDay(trx, family.id, request);
      return requestId ? { family, requestId } : 'raced';
    }
    const code = newSecurityCode();
    const passId = crypto.randomUUID();
    const started = await repo.startFamilyDay(
      trx,
      {
        serviceId: day.service.id,
        householdId: day.householdId,
        serviceDate: day.service.serviceDate,
        securityCode: code,
        passId,
        tokenHash: sha256(pickupToken(day.secret, passId)),
        timezone: day.service.timezone,
      },
      request,
    );
    if (started.batchId) {
      if (!started.requestId) return 'raced';
      return { family: { id: started.batchId, security_code: code, pass_id: passId, has_children: false }, requestId: started.requestId };
    }
    // the code is taken, or another kiosk just started this family's day: look again
    family = await repo.findFamilyDay(trx, request.siteId, day.householdId, day.service.serviceDate);
  }
}

/** Who dropped the children off (DESIGN §16): an adult of the household, or a 400 naming the field. */
export async function recordDropOff(
  tx: Tx,
  actor: Actor,
  household: { id: string; organization_id: string },
  batchId: string,
  requestId: string,
  guardianId: string,
): Promise<void> {
  const dropOff = {
    requestId,
    batchId,
    householdId: household.id,
    guardianId,
    organizationId: household.organization_id,
    siteId: actor.siteId,
    actorKind: actor.kind,
    actorId: actor.id,
  };
  if (!(await repo.recordDropOff(tx.trx, dropOff))) throw badRequest('droppedOffBy: is not an adult of this household', 'droppedOffBy');
}

export type Answer = Extract<Decision, { kind: 'answer' }>;

/** What the writes carry out: the request, the family's day it is recorded in, and the decision. */
export interface CheckinWrite {
  actor: Actor;
  input: CheckinCreate;
  serviceIds: string[];
  household: { id: string; organization_id: string; name: string };
  /** the family's day (has_children: it had children checked in before this request) */
  family: repo.FamilyDay & { security_code: string };
  requestId: string;
  lang: FamilyLang;
  c: CheckinCase;
  /** what the context read: the requested children by id, the services' rooms, and other services' rooms that day sharing them */
  read: { children: Map<string, repo.ChildJson>; rooms: repo.ServiceRoomJson[]; others: repo.ServiceRoomJson[] };
  answer: Answer;
  refused: Refusal[];
  /** the rooms' state as read under their locks (none: answered without them) */
  locked?: Locked;
}

/**
 * Which rooms' alerts the insert's round trip gathers inputs for, on the usual one-service
 * check-in: the age groups of the rooms that took children, and of those an overflow room that
 * took one serves.
 */
function alertScope(w: CheckinWrite) {
  const single = w.c.open.length === 1 ? w.c.open[0]! : null;
  const lockedIds = new Set((w.locked?.rows ?? []).map((r) => r.room_id));
  const singleRooms = single ? w.read.rooms.filter((r) => r.service_id === single.id).map((r) => toState(r, 0)) : [];
  const groups = groupsTouchedBy(singleRooms, [...new Set(w.answer.assigned.map((a) => a.roomId))]);
  const judged = new Set([...groups].flatMap((g) => roomsForGroup(singleRooms, g).map((x) => x.roomId)));
  const groupRooms = single ? w.read.rooms.filter((r) => r.service_id === single.id && judged.has(r.room_id)) : [];
  return { single, lockedIds, groupRooms };
}
type Scope = ReturnType<typeof alertScope>;

/**
 * The check-ins, in one round trip with their audit row, SMS receipt, the rooms' new state
 * versions and the alert inputs; then the outbox's wake-up, the pre-check-ins it carried out and
 * the soft override's audit row.
 */
export async function writeCheckins(tx: Tx, w: CheckinWrite) {
  const { actor, answer, household } = w;
  const scope = alertScope(w);
  const written = await repo.insertCheckins(tx.trx, {
    organizationId: household.organization_id,
    batchId: w.family.id,
    requestId: w.requestId,
    siteId: actor.siteId,
    householdId: household.id,
    securityCode: w.family.security_code,
    serviceDate: w.c.day,
    kioskId: actor.kind === 'kiosk' ? actor.id : null,
    userId: actor.kind === 'user' ? actor.id : null,
    placed: answer.assigned,
    actorKind: actor.kind,
    actorId: actor.id,
    serviceIds: w.serviceIds,
    refused: w.refused,
    receiptBody: receiptBody(w),
    alertServiceId: answer.withoutLock ? null : (scope.single?.id ?? null),
    arrivalRoomIds: scope.groupRooms.map((r) => r.room_id),
    countRoomIds: scope.groupRooms.filter((r) => !scope.lockedIds.has(r.room_id)).map((r) => r.room_id),
    windowMinutes: PROJECTION_WINDOW_MINUTES,
  });
  // Under the family's lock nobody else checks these children in, so this cannot happen; if it
  // ever did, nothing is kept (the receipt would name a child who is not in).
  if (written.admitted.length !== answer.assigned.length) throw conflict('already_checked_in', 'A child was just checked in elsewhere; try again');
  if (written.receipts > 0) tx.afterCommit(notifyOutbox);
  // the rooms that took a child were given their new state version by the insert
  recordRoomVersions(tx, written.versions);
  // the phone's pre-check-in this check-in carried out is used once children are in (a second scan finds none)
  if (w.input.precheckinIds?.length && written.admitted.length)
    await markPrecheckinsUsed(tx, {
      ids: w.input.precheckinIds,
      siteId: actor.siteId,
      householdId: household.id,
      serviceIds: w.serviceIds,
      batchId: w.family.id,
    });
  if (w.input.softOverride && answer.assigned.length) {
    await insertAudit(tx.trx, actor, {
      action: 'checkin.soft_override',
      entity: 'checkin_request',
      entityId: w.requestId,
      details: { reason: w.input.softOverride.reason, batchId: w.family.id, rooms: [...new Set(answer.assigned.map((a) => a.roomId))] },
    });
  }
  return { ...written, scope };
}

/** The family's SMS receipt: the children placed and their rooms (with the service's time when there are several). */
function receiptBody(w: CheckinWrite): string | null {
  const { assigned } = w.answer;
  if (!assigned.length) return null;
  const serviceOf = new Map(w.c.services.map((s) => [s.id, s]));
  const roomName = new Map(w.read.rooms.map((r) => [r.room_id, r.name]));
  return checkinReceiptBody({
    service: serviceOf.get(assigned[0]!.serviceId)!,
    lang: w.lang,
    securityCode: w.family.security_code,
    added: w.family.has_children,
    children: w.input.childIds
      .filter((id) => assigned.some((a) => a.childId === id))
      .map((id) => ({
        firstName: w.read.children.get(id)!.first_name,
        roomName: assigned
          .filter((a) => a.childId === id)
          .map((a) => (w.c.open.length > 1 ? `${roomName.get(a.roomId)} ${timeOf(serviceOf.get(a.serviceId)!)}` : roomName.get(a.roomId)))
          .join(', '),
      })),
  });
}

const timeOf = (s: ServiceContext) => new Intl.DateTimeFormat('en-US', { timeZone: s.timezone, hour: 'numeric', minute: '2-digit' }).format(s.startsAt);

/**
 * After the insert: staff hear of the refusals that call for an alert (the locked rooms as the plan
 * saw them), the rooms that took children are pushed and their groups' alerts judged, other services
 * of the day in the same rooms see the new physical count, and `checkin.created` goes out per service.
 */
export async function announce(tx: Tx, w: CheckinWrite, written: Awaited<ReturnType<typeof writeCheckins>>, checkins: LocatedCheckinRow[]): Promise<void> {
  const { answer, locked } = w;
  const { single, lockedIds, groupRooms }: Scope = written.scope;
  const addedTo = answer.addedTo;
  const lockedNow = (roomId: string) => (locked?.headcounts.get(roomId) ?? 0) + (addedTo.get(roomId)?.size ?? 0);
  const lockedRow = (r: repo.ServiceRoomJson, serviceId: string) => locked?.rows.find((x) => x.room_id === r.room_id && x.service_id === serviceId) ?? r;
  for (const s of answer.withoutLock ? [] : w.c.open) {
    const refusedFull = answer.refused.filter(
      (r) => r.serviceId === s.id && (r.reason === 'room_full' || r.reason === 'no_room_for_age' || r.reason === 'waiting_for_volunteers'),
    );
    if (!refusedFull.length) continue;
    // the locked rooms as the plan saw them (a room waiting for volunteers is told by its headcount)
    const rooms = w.read.rooms
      .filter((r) => r.service_id === s.id)
      .map((r) => (lockedIds.has(r.room_id) ? toState(lockedRow(r, s.id), lockedNow(r.room_id)) : toState(r, 0)));
    await raiseRefusalAlerts(tx, s, refusedFull, w.c.kids, rooms, single ? written.standing : undefined, w.household.name);
  }
  if (answer.assigned.length) {
    const changed = [...new Set(answer.assigned.map((a) => a.roomId))];
    const physicalNow = (roomId: string) => (lockedIds.has(roomId) ? lockedNow(roomId) : Number(written.headcounts[roomId] ?? 0));
    if (single) {
      const now = groupRooms.map((r) => toState(lockedRow(r, single.id), physicalNow(r.room_id)));
      const arrivals = new Map(groupRooms.map((r) => [r.room_id, Number(written.arrivals[r.room_id] ?? 0) + (addedTo.get(r.room_id)?.size ?? 0)]));
      await afterRoomsChangedWith(tx, single, now, changed, written.standing, arrivals);
      // other services of the day in the same rooms: their dashboards see the new physical count
      for (const other of new Set(w.read.others.filter((r) => changed.includes(r.room_id)).map((r) => r.service_id))) {
        await pushRoomUpdates(
          tx,
          { ...single, id: other },
          w.read.others.filter((r) => r.service_id === other && changed.includes(r.room_id)).map((r) => toState(r, physicalNow(r.room_id))),
        );
      }
    } else {
      await afterRoomsChanged(tx, w.c.open[0]!, changed);
    }
  }
  for (const s of w.c.open) {
    const mine = checkins.filter((c) => c.serviceId === s.id);
    if (!mine.length) continue;
    tx.events.push({
      name: 'checkin.created',
      siteId: w.actor.siteId,
      audience: 'staff',
      payload: {
        serviceId: s.id,
        batchId: w.family.id,
        checkins: mine.map(({ roomName: _r, roomLocation: _l, serviceName: _s, startsAt: _t, allergies: _a, allergySeverity: _v, ...c }) => c),
        at: new Date().toISOString(),
      },
    });
  }
}
