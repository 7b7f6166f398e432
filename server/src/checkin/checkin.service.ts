import crypto from 'node:crypto';
import type { CheckinCreate, LocatedCheckinResult, LocatedCheckinRow, RefusalReason } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { randomFromAlphabet, sha256 } from '../auth/crypto';
import { SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../../../contracts';
import { allergySeverity, familyLang } from '../../../contracts/rules';
import { effectiveSettings, type ServiceContext } from '../sites/sites.repo';
import { ageInMonths, gradeFromBirthdate, isEligible, roomLimit, type ChildForAssignment } from '../capacity/rules';
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
import { pickupToken, pickupUrl } from './pickup-token';
import * as repo from './checkin.repo';
import { markUsed as markPrecheckinsUsed } from '../precheckin/kiosk';
import { planAll, refusalWithoutLock, type Placement } from './decide';
import { requireFamilyProof } from './family-proof';
import { assertSameOrganization } from '../policies/ownership';

export interface CheckinDeps {
  secret: Buffer;
  baseUrl: string;
}

export const newSecurityCode = () => randomFromAlphabet(SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH);

/** Check-in window: open from checkin_opens_at until checkin_closes_at. */
export const isCheckinOpen = (s: Pick<ServiceContext, 'checkinOpensAt' | 'checkinClosesAt'>, now = new Date()) =>
  now >= s.checkinOpensAt && now < s.checkinClosesAt;

/** The same key must carry the same request: household, services and children, in any order. */
export function requestHash(input: { householdId: string; serviceIds: string[]; childIds: string[]; extendStay?: boolean; softOverride?: boolean }): string {
  // `o` only when overriding, so every existing request keeps its hash
  return sha256(
    JSON.stringify({
      h: input.householdId,
      s: [...input.serviceIds].sort(),
      c: [...input.childIds].sort(),
      x: !!input.extendStay,
      ...(input.softOverride ? { o: true } : {}),
    }),
  );
}

type Refusal = { childId: string; reason: RefusalReason; firstName?: string; serviceId?: string };

/**
 * Checks a household's children in to one or more services of one day (DESIGN §3, §4).
 *
 * - One code per family and day: the family's batch for the day carries the security code and the
 *   pickup pass; later check-ins join it (and lock it, so a family's check-ins run one at a time).
 * - Physical rooms: the rooms the children could use are locked (`rooms` rows, in the global
 *   order), and a room admits a child only while its physical headcount — distinct children in it
 *   that day, across every service — is below the limit in force for the admitting service.
 * - A child already checked in today is refused `already_checked_in`, unless staff add a service
 *   on purpose (`extendStay`); a child staying for two services is placed in both in one request.
 *
 * Round trips on the usual path (one service, a returning family): BEGIN, context, join the
 * family, lock and recount, insert (with its audit row, SMS receipt, the rooms' new state versions
 * and the alert inputs), COMMIT. A request that admits nobody by the committed state read with the
 * context (every room plainly full, or the children already in), whose alerts already stand, skips
 * the lock and recount: a full room's refusals do not queue on the room's lock (decide.ts).
 */
export async function checkIn(tx: Tx, actor: Actor, input: CheckinCreate, deps: CheckinDeps): Promise<LocatedCheckinResult> {
  const { trx } = tx;
  const serviceIds = input.serviceIds ?? [input.serviceId!];
  const staff = isStaff(actor);
  if (input.extendStay && !staff) throw forbidden('extendStay: only staff can add a service for a child already checked in');
  if (input.softOverride && !staff) throw forbidden('softOverride: only staff can take a room past its volunteer ratio');
  const hash = requestHash({
    householdId: input.householdId,
    serviceIds,
    childIds: input.childIds,
    extendStay: input.extendStay,
    softOverride: !!input.softOverride,
  });
  const ctx = await repo.loadCheckinContext(trx, {
    siteId: actor.siteId,
    serviceIds,
    householdId: input.householdId,
    childIds: input.childIds,
    idempotencyKey: input.idempotencyKey,
  });
  if (ctx.services.length !== serviceIds.length) throw notFound('Service');
  const services = ctx.services.map(serviceContextOf);
  if (ctx.previous) return replay(tx, ctx.previous, { householdId: input.householdId, serviceIds, hash }, deps);

  const household = ctx.household;
  // families belong to the organisation: any campus of it checks them in (never another organisation's)
  assertSameOrganization(actor, household, 'Household');
  // the kiosk's language at check-in becomes the family's (their SMS, pass page and labels)
  const lang = input.lang ?? familyLang(household.language);
  if (input.lang && input.lang !== household.language) await repo.setHouseholdLanguage(trx, household.id, input.lang);
  const day = services[0]!.serviceDate;
  if (services.some((s) => s.serviceDate !== day)) throw badRequest('serviceIds: must all be services of the same day', 'serviceIds');
  const byId = new Map(ctx.children.map((c) => [c.id, c]));
  const stranger = input.childIds.findIndex((id) => !byId.has(id));
  if (stranger >= 0) throw badRequest(`childIds.${stranger}: is not a child of this household`, `childIds.${stranger}`);
  const kids: ChildForAssignment[] = input.childIds.map((id) => {
    const c = byId.get(id)!;
    return {
      childId: id,
      grade: c.grade,
      ageMonths: c.birthdate ? ageInMonths(c.birthdate, day) : null,
      // no grade on record: a school-age child goes to a grade-only room by the grade the birthdate implies (DESIGN §15)
      inferredGrade: c.grade == null && c.birthdate ? gradeFromBirthdate(c.birthdate, services[0]!) : null,
      ...(c.care_needs?.length ? { careNeeds: c.care_needs } : {}),
    };
  });
  const serviceOf = new Map(services.map((s) => [s.id, s]));
  const openServices = services.filter((s) => isCheckinOpen(s));
  const openIds = new Set(openServices.map((s) => s.id));
  // the rooms these children could use: only those are locked, so other age groups check in in parallel
  const candidates = ctx.rooms.filter((r) => openIds.has(r.service_id) && r.open && kids.some((c) => isEligible(toState(r, 0), c)));

  // Decided on the last committed state first: a request that admits nobody there (every room
  // plainly full, or the children already in) is answered without queueing on the rooms' locks,
  // once every alert its refusals call for stands (decide.ts).
  const waive = !!input.softOverride;
  const extend = !!input.extendStay;
  const withoutLock = openServices.length
    ? refusalWithoutLock(
        planAll(openServices, kids, candidates, ctx.counts, ctx.present, extend, waive),
        openServices,
        kids,
        ctx.rooms,
        ctx.counts,
        ctx.standing,
      )
    : null;
  const unlocked = !!withoutLock;
  const regular = [...new Set(candidates.filter((r) => r.kind === 'regular').map((r) => r.room_id))];
  // a returning family joins its day in the rooms' lock message (one round trip fewer; the family's lock still comes first)
  const joinWithLock = !!ctx.family && !!openServices.length && !unlocked && regular.length > 0 && !input.droppedOffBy;

  // The family's batch for the day (its code and pass), and this request under its key.
  const kioskId = actor.kind === 'kiosk' ? actor.id : null;
  const userId = actor.kind === 'user' ? actor.id : null;
  const request: repo.RequestInsert = {
    organizationId: household.organization_id,
    siteId: actor.siteId,
    idempotencyKey: input.idempotencyKey,
    requestHash: hash,
    serviceIds,
    kioskId,
    userId,
  };
  const replayRaced = async () => {
    const prev = await repo.findRequestByKey(trx, actor.siteId, input.idempotencyKey);
    if (!prev) throw conflict('try_again', 'Another check-in is using this key; try again');
    return replay(tx, prev, { householdId: input.householdId, serviceIds, hash }, deps);
  };
  let family = ctx.family;
  let requestId: string | undefined;
  for (let attempt = 0; !requestId && !joinWithLock; attempt++) {
    if (attempt > 20) throw conflict('no_security_code', 'Could not allocate a security code; try again');
    if (family) {
      requestId = await repo.joinFamilyDay(trx, family.id, request);
      if (!requestId) return replayRaced();
      break;
    }
    const code = newSecurityCode();
    const passId = crypto.randomUUID();
    const started = await repo.startFamilyDay(
      trx,
      {
        serviceId: services[0]!.id,
        householdId: household.id,
        serviceDate: day,
        securityCode: code,
        passId,
        tokenHash: sha256(pickupToken(deps.secret, passId)),
        timezone: services[0]!.timezone,
      },
      request,
    );
    if (started.batchId) {
      if (!started.requestId) return replayRaced();
      family = { id: started.batchId, security_code: code, pass_id: passId, has_children: false };
      requestId = started.requestId;
    } else {
      // the code is taken, or another kiosk just started this family's day: look again
      family = await repo.findFamilyDay(trx, actor.siteId, household.id, day);
    }
  }
  if (input.droppedOffBy) {
    const dropOff = {
      requestId: requestId!,
      batchId: family!.id,
      householdId: household.id,
      guardianId: input.droppedOffBy,
      organizationId: household.organization_id,
      siteId: actor.siteId,
      actorKind: actor.kind,
      actorId: actor.id,
    };
    if (!(await repo.recordDropOff(trx, dropOff))) throw badRequest('droppedOffBy: is not an adult of this household', 'droppedOffBy');
  }
  const code = family!.security_code;
  if (!code) throw conflict('no_security_code', 'This family has no code today; ask a volunteer');
  const joined = family!.has_children;

  const refused: Refusal[] = [];
  const refuse = (childId: string, reason: RefusalReason, serviceId: string) =>
    refused.push({ childId, reason, firstName: byId.get(childId)?.first_name, serviceId });
  for (const s of services) if (!openIds.has(s.id)) for (const id of input.childIds) refuse(id, 'service_closed', s.id);

  let assigned: Placement[] = [];
  let lockedRows: repo.ServiceRoomJson[] = [];
  let headcounts = new Map<string, number>();
  let planRefused: Refusal[] = [];
  const addedTo = new Map<string, Set<string>>();
  if (openServices.length) {
    let plan = withoutLock;
    if (!plan) {
      const lock = await repo.lockPhysicalRooms(trx, {
        serviceIds: [...openIds],
        roomIds: regular,
        serviceDate: day,
        childIds: input.childIds,
        ...(joinWithLock ? { join: { batchId: family!.id, request } } : {}),
      });
      if (joinWithLock) {
        if (!lock.requestId) return replayRaced();
        requestId = lock.requestId;
      }
      lockedRows = lock.rows;
      headcounts = lock.headcounts;
      plan = planAll(openServices, kids, lockedRows, headcounts, lock.present, extend, waive);
      // Overflow only when a regular room could not take a child: lock the overflow rooms too
      // (always after the regular ones, so lock order stays acyclic) and plan again.
      // An overflow room the context read (without its lock) showed at its limit is not locked:
      // when every room is full, refusals do not queue behind the one overflow room all age
      // groups share. That read can only be older than the truth (a seat freed a moment ago is
      // missed: the child is refused as if they had come a moment earlier); nothing is ever
      // admitted without the lock.
      const seenFull = (r: repo.ServiceRoomJson) =>
        (ctx.counts.get(r.room_id) ?? 0) >= roomLimit(toState(r, 0), waive ? false : serviceOf.get(r.service_id)!.settings);
      const refusedNow = plan.refused;
      const overflow = [
        ...new Set(
          candidates
            .filter(
              (r) =>
                r.kind === 'overflow' &&
                !seenFull(r) &&
                refusedNow.some(
                  (x) =>
                    x.serviceId === r.service_id &&
                    isEligible(
                      toState(r, 0),
                      kids.find((c) => c.childId === x.childId)!,
                    ),
                ),
            )
            .map((r) => r.room_id),
        ),
      ];
      if (overflow.length) {
        const more = await repo.lockPhysicalRooms(trx, { serviceIds: [...openIds], roomIds: overflow, serviceDate: day });
        lockedRows = [...lockedRows, ...more.rows];
        headcounts = new Map([...headcounts, ...more.headcounts]);
        plan = planAll(openServices, kids, lockedRows, headcounts, lock.present, extend, waive);
      }
    }
    assigned = plan.assigned;
    for (const [roomId, ids] of plan.addedTo) addedTo.set(roomId, ids);
    planRefused = plan.refused.map((r) => ({ ...r, firstName: byId.get(r.childId)?.first_name }));
    refused.push(...planRefused);
  }

  // every path above recorded this request (the lock message joined the family's day, or the loop did)
  if (!requestId) throw new Error('checkIn: the request was not recorded');

  // A kiosk that found the family by phone alone must not be handed the code its children are
  // released with: a check-in that would admit a child into a family day that already has children
  // needs proof (one that admits nobody answers without the code, as before).
  if (joined && actor.kind === 'kiosk' && assigned.length)
    await requireFamilyProof(
      tx,
      actor,
      deps.secret,
      { householdId: household.id, organizationId: household.organization_id, batchId: family!.id, securityCode: code, passId: family!.pass_id },
      input.proof,
    );

  // The alert inputs the insert reads for the usual one-service check-in.
  const single = openServices.length === 1 ? openServices[0]! : null;
  const lockedIds = new Set(lockedRows.map((r) => r.room_id));
  // the groups of the rooms that took children, and those an overflow room that took one serves
  const singleRooms = single ? ctx.rooms.filter((r) => r.service_id === single.id).map((r) => toState(r, 0)) : [];
  const groups = groupsTouchedBy(singleRooms, [...new Set(assigned.map((a) => a.roomId))]);
  const judged = new Set([...groups].flatMap((g) => roomsForGroup(singleRooms, g).map((x) => x.roomId)));
  const groupRooms = single ? ctx.rooms.filter((r) => r.service_id === single.id && judged.has(r.room_id)) : [];
  const roomName = new Map(ctx.rooms.map((r) => [r.room_id, r.name]));
  const roomLocation = new Map(ctx.rooms.map((r) => [r.room_id, r.location]));
  const firstPlaced = assigned[0] ? serviceOf.get(assigned[0].serviceId)! : services[0]!;
  const receiptBody = assigned.length
    ? checkinReceiptBody({
        service: firstPlaced,
        lang,
        securityCode: code,
        added: joined,
        children: input.childIds
          .filter((id) => assigned.some((a) => a.childId === id))
          .map((id) => ({
            firstName: byId.get(id)!.first_name,
            roomName: assigned
              .filter((a) => a.childId === id)
              .map((a) => (openServices.length > 1 ? `${roomName.get(a.roomId)} ${timeOf(serviceOf.get(a.serviceId)!)}` : roomName.get(a.roomId)))
              .join(', '),
          })),
      })
    : null;
  const read = await repo.insertCheckins(trx, {
    organizationId: household.organization_id,
    batchId: family!.id,
    requestId,
    siteId: actor.siteId,
    householdId: household.id,
    securityCode: code,
    serviceDate: day,
    kioskId,
    userId,
    placed: assigned,
    actorKind: actor.kind,
    actorId: actor.id,
    serviceIds,
    refused,
    receiptBody,
    alertServiceId: unlocked ? null : (single?.id ?? null),
    arrivalRoomIds: groupRooms.map((r) => r.room_id),
    countRoomIds: groupRooms.filter((r) => !lockedIds.has(r.room_id)).map((r) => r.room_id),
    windowMinutes: PROJECTION_WINDOW_MINUTES,
  });
  // Under the family's lock nobody else checks these children in, so this cannot happen; if it
  // ever did, nothing is kept (the receipt would name a child who is not in).
  if (read.admitted.length !== assigned.length) throw conflict('already_checked_in', 'A child was just checked in elsewhere; try again');
  if (read.receipts > 0) tx.afterCommit(notifyOutbox);
  // the rooms that took a child were given their new state version by the insert
  recordRoomVersions(tx, read.versions);
  // the phone's pre-check-in this check-in carried out is used once children are in (a second scan finds none)
  if (input.precheckinIds?.length && read.admitted.length)
    await markPrecheckinsUsed(tx, { ids: input.precheckinIds, siteId: actor.siteId, householdId: household.id, serviceIds, batchId: family!.id });
  if (input.softOverride && assigned.length) {
    await insertAudit(trx, actor, {
      action: 'checkin.soft_override',
      entity: 'checkin_request',
      entityId: requestId,
      details: { reason: input.softOverride.reason, batchId: family!.id, rooms: [...new Set(assigned.map((a) => a.roomId))] },
    });
  }

  for (const s of unlocked ? [] : openServices) {
    const refusedFull = planRefused.filter(
      (r) => r.serviceId === s.id && (r.reason === 'room_full' || r.reason === 'no_room_for_age' || r.reason === 'waiting_for_volunteers'),
    );
    if (!refusedFull.length) continue;
    // the locked rooms as the plan saw them (a room waiting for volunteers is told by its headcount)
    const rooms = ctx.rooms
      .filter((r) => r.service_id === s.id)
      .map((r) =>
        lockedIds.has(r.room_id)
          ? toState(
              lockedRows.find((x) => x.room_id === r.room_id && x.service_id === s.id) ?? r,
              (headcounts.get(r.room_id) ?? 0) + (addedTo.get(r.room_id)?.size ?? 0),
            )
          : toState(r, 0),
      );
    await raiseRefusalAlerts(tx, s, refusedFull, kids, rooms, single ? read.standing : undefined, household.name);
  }
  if (assigned.length) {
    const changed = [...new Set(assigned.map((a) => a.roomId))];
    const physicalNow = (roomId: string) =>
      lockedIds.has(roomId) ? (headcounts.get(roomId) ?? 0) + (addedTo.get(roomId)?.size ?? 0) : Number(read.headcounts[roomId] ?? 0);
    if (single) {
      const now = groupRooms.map((r) => toState(lockedRows.find((x) => x.room_id === r.room_id && x.service_id === single.id) ?? r, physicalNow(r.room_id)));
      const arrivals = new Map(groupRooms.map((r) => [r.room_id, Number(read.arrivals[r.room_id] ?? 0) + (addedTo.get(r.room_id)?.size ?? 0)]));
      await afterRoomsChangedWith(tx, single, now, changed, read.standing, arrivals);
      // other services of the day in the same rooms: their dashboards see the new physical count
      for (const other of new Set(ctx.others.filter((r) => changed.includes(r.room_id)).map((r) => r.service_id))) {
        await pushRoomUpdates(
          tx,
          { ...single, id: other },
          ctx.others.filter((r) => r.service_id === other && changed.includes(r.room_id)).map((r) => toState(r, physicalNow(r.room_id))),
        );
      }
    } else {
      await afterRoomsChanged(tx, openServices[0]!, changed);
    }
  }

  const checkins: LocatedCheckinRow[] = read.admitted
    .map((a) => {
      const s = serviceOf.get(a.service_id)!;
      const c = byId.get(a.child_id)!;
      return {
        id: a.id,
        childId: a.child_id,
        roomId: a.room_id,
        roomName: roomName.get(a.room_id) ?? '',
        roomLocation: roomLocation.get(a.room_id) ?? null,
        firstName: c.first_name,
        lastName: c.last_name,
        allergies: c.allergies ?? '',
        allergySeverity: allergySeverity(c.allergy_severity),
        serviceId: s.id,
        serviceName: s.name,
        startsAt: s.startsAt.toISOString(),
      };
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.firstName.localeCompare(b.firstName) || a.id.localeCompare(b.id));
  for (const s of openServices) {
    const mine = checkins.filter((c) => c.serviceId === s.id);
    if (!mine.length) continue;
    tx.events.push({
      name: 'checkin.created',
      siteId: actor.siteId,
      audience: 'staff',
      payload: {
        serviceId: s.id,
        batchId: family!.id,
        checkins: mine.map(({ roomName: _r, roomLocation: _l, serviceName: _s, startsAt: _t, allergies: _a, allergySeverity: _v, ...c }) => c),
        at: new Date().toISOString(),
      },
    });
  }
  const admitted = checkins.length > 0;
  return {
    batchId: family!.id,
    requestId,
    joined,
    securityCode: admitted ? code : null,
    pickupUrl: admitted && family!.pass_id ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, family!.pass_id)) : null,
    checkins,
    refused,
  };
}

const timeOf = (s: ServiceContext) => new Intl.DateTimeFormat('en-US', { timeZone: s.timezone, hour: 'numeric', minute: '2-digit' }).format(s.startsAt);

/** A service row of loadCheckinContext (JSON: timestamps arrive as strings). */
function serviceContextOf(row: repo.ServiceJson): ServiceContext {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    startsAt: new Date(row.starts_at),
    checkinOpensAt: new Date(row.checkin_opens_at),
    checkinClosesAt: new Date(row.checkin_closes_at),
    serviceDate: row.service_date,
    siteName: row.site_name,
    timezone: row.timezone,
    settings: effectiveSettings(row.org_settings, row.settings),
  };
}

/** The same key with the same body gives the same answer and creates nothing new; with another body it is refused. */
async function replay(
  { trx }: Tx,
  prev: repo.PreviousRequest,
  input: { householdId: string; serviceIds: string[]; hash: string },
  deps: CheckinDeps,
): Promise<LocatedCheckinResult> {
  const same =
    prev.request_hash != null
      ? prev.request_hash === input.hash
      : // a request from before bodies were hashed: household and services must match
        prev.household_id === input.householdId && [...prev.service_ids].sort().join() === [...input.serviceIds].sort().join();
  if (!same) throw conflict('idempotency_key_reused', 'This idempotencyKey was already used for a different check-in');
  const rows = await repo.requestCheckins(trx, prev.id);
  return {
    batchId: prev.batch_id,
    requestId: prev.id,
    joined: prev.joined,
    securityCode: rows.length ? prev.security_code : null,
    pickupUrl: rows.length && prev.pass_id ? pickupUrl(deps.baseUrl, pickupToken(deps.secret, prev.pass_id)) : null,
    checkins: rows.map((r) => ({
      id: r.id,
      childId: r.child_id,
      roomId: r.room_id,
      roomName: r.room_name,
      roomLocation: r.room_location,
      firstName: r.first_name,
      lastName: r.last_name,
      allergies: r.allergies ?? '',
      allergySeverity: allergySeverity(r.allergy_severity),
      serviceId: r.service_id,
      serviceName: r.service_name,
      startsAt: new Date(r.starts_at).toISOString(),
    })),
    refused: (prev.refused ?? []) as Refusal[],
  };
}
