import type { RefusalReason, ServiceRoomPatch } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { actorName } from '../auth/actor';
import { AppError, conflict, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { ageInMonths, gradeFromBirthdate, isEligible, overflowServes, roomLimit, type ChildForAssignment, type RoomState } from './rules';
import { adultsNeeded, isOverRatio, ratioPolicy, waitsForVolunteers } from '../../../contracts/rules';
import {
  bumpRoomVersions,
  countCheckedInVolunteers,
  insertVolunteerCorrection,
  listServiceRooms,
  lockServiceRooms,
  servicesSharingRooms,
  updateServiceRoom,
  lockCheckinForMove,
  setCheckinRoom,
} from './capacity.repo';
import { presentServiceRoom } from './room.presenter';
import { judgeGroup, openRoomMessage, PROJECTION_WINDOW_MINUTES } from './projection';
import { forDisplay, presentAlert } from './alerts.presenter';
import * as alerts from './alerts.repo';
import { actedOn, AHEAD_KINDS } from './alerts-ahead';
import { assertSameSite } from '../policies/ownership';

/** What judging needs of a standing (not cleared) alert. */
export interface StandingAlert {
  id: string;
  kind: string;
  age_group: string;
  message: string;
}

const rulesOf = (s: ServiceContext) => ({ ratios: s.settings, softThresholdPct: s.settings.softThresholdPct });
/** The age group a room's alerts are about. */
export const groupOf = (r: RoomState) => r.ageGroup || r.name;

/**
 * The rooms an age group's alerts are judged on: its own rooms, and the overflow rooms that take
 * its children (opening the overflow room is space for Toddlers: "Toddlers is full" clears).
 */
export function roomsForGroup<T extends RoomState>(rooms: T[], group: string): T[] {
  const own = rooms.filter((r) => groupOf(r) === group);
  const regular = own.filter((r) => r.kind === 'regular');
  const extra = rooms.filter((r) => r.kind === 'overflow' && groupOf(r) !== group && regular.some((g) => overflowServes(r, g)));
  return [...own, ...extra];
}

/** The age groups a change to these rooms may clear or raise an alert for (an overflow room counts for every group it serves). */
export function groupsTouchedBy(rooms: RoomState[], roomIds: string[]): Set<string> {
  const changed = rooms.filter((r) => roomIds.includes(r.roomId));
  const groups = new Set(changed.map(groupOf));
  for (const o of changed.filter((r) => r.kind === 'overflow')) {
    for (const r of rooms) if (r.kind === 'regular' && overflowServes(o, r)) groups.add(groupOf(r));
  }
  return groups;
}

/**
 * After headcount, capacity, volunteers or open changed: push room.updated (after commit) and
 * raise or clear the age groups' alerts — for this service, and for every other service of the day
 * that uses the same physical rooms (a checkout from 9:00 frees a seat for 10:30 too).
 */
export async function afterRoomsChanged(tx: Tx, service: ServiceContext, roomIds: string[]): Promise<void> {
  // first the lock and the new versions, then every read (so the state read is the newest)
  await versionsFor(tx, roomIds);
  const writes: AlertWrite[] = [];
  for (const id of await servicesSharingRooms(tx.trx, service.id, roomIds)) {
    const s = id === service.id ? service : await findServiceContext(tx.trx, id);
    if (!s) continue;
    const rooms = await listServiceRooms(tx.trx, s.id);
    const standing = await alerts.standingAlerts(tx.trx, s.id);
    await judgeChangedRooms(
      tx,
      s,
      rooms,
      roomIds,
      standing,
      (ids) => alerts.recentArrivals(tx.trx, s.id, ids, PROJECTION_WINDOW_MINUTES),
      writes,
      s.id === service.id,
    );
    // an alert ahead (DESIGN §17) clears as soon as it is acted on: its room opened, its adults checked in
    for (const a of standing)
      if ((AHEAD_KINDS as readonly string[]).includes(a.kind) && actedOn(a, rooms))
        writes.push(alertWrite(s.id, a.kind, a.age_group, () => clearAlert(tx, s, a.id)));
  }
  await writeAlertsInOrder(writes);
}

/**
 * One write to an `alerts` row (raise, reword or clear), to be made in the one global order.
 * Every path that writes alerts holds its rooms' locks first (LOCK_ROOMS_SQL, in its order), then
 * writes its alerts sorted by service, kind and age group — never in the order it happened to
 * judge them (its own service first): two checkouts of two overlapping services, each refreshing
 * both services' alerts of one age group, would otherwise wait on each other in opposite orders.
 */
interface AlertWrite {
  order: string;
  run(): Promise<void>;
}
const alertWrite = (serviceId: string, kind: string, ageGroup: string, run: () => Promise<void>): AlertWrite => ({
  order: `${serviceId}\u0000${kind}\u0000${ageGroup}`,
  run,
});
async function writeAlertsInOrder(writes: AlertWrite[]): Promise<void> {
  for (const w of [...writes].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))) await w.run();
}

/** The versions this transaction gave its rooms: each room's state is versioned once per transaction. */
const txVersions = new WeakMap<Tx, Map<string, number>>();
async function versionsFor(tx: Tx, roomIds: string[]): Promise<Map<string, number>> {
  let held = txVersions.get(tx);
  if (!held) {
    held = new Map();
    txVersions.set(tx, held);
  }
  const missing = [...new Set(roomIds)].filter((id) => !held.has(id));
  if (missing.length) for (const [id, v] of await bumpRoomVersions(tx.trx, missing)) held.set(id, v);
  return held;
}
/**
 * Versions this transaction already took for its rooms under their locks (the check-in takes them
 * in its insert statement): later pushes and judgements of those rooms use them, with no round trip.
 */
export function recordRoomVersions(tx: Tx, versions: Map<string, number>): void {
  let held = txVersions.get(tx);
  if (!held) {
    held = new Map();
    txVersions.set(tx, held);
  }
  for (const [id, v] of versions) held.set(id, v);
}
const versioned = (r: RoomState, v: Map<string, number>): RoomState => (v.has(r.roomId) ? { ...r, version: v.get(r.roomId) } : r);

/** The check-in's fast path: other services sharing the rooms hear the new physical headcount (their alerts are judged on their next change). */
export async function pushRoomUpdates(tx: Tx, service: ServiceContext, rooms: RoomState[]): Promise<void> {
  const v = await versionsFor(
    tx,
    rooms.map((r) => r.roomId),
  );
  for (const r of rooms)
    tx.events.push({
      name: 'room.updated',
      siteId: service.siteId,
      audience: 'staff',
      payload: { serviceId: service.id, room: presentServiceRoom(service.id, versioned(r, v), rulesOf(service)) },
    });
}

/**
 * The same as afterRoomsChanged for the check-in path, which has already read everything it
 * needs (under its locks, in its insert's round trip): `rooms` with current headcounts, the
 * standing alerts, and arrivals per room in the projection window.
 */
export async function afterRoomsChangedWith(
  tx: Tx,
  service: ServiceContext,
  rooms: RoomState[],
  roomIds: string[],
  standing: StandingAlert[],
  arrivals: Map<string, number>,
): Promise<void> {
  const writes: AlertWrite[] = [];
  await judgeChangedRooms(tx, service, rooms, roomIds, standing, async (ids) => ids.reduce((sum, id) => sum + (arrivals.get(id) ?? 0), 0), writes);
  await writeAlertsInOrder(writes);
}

async function judgeChangedRooms(
  tx: Tx,
  service: ServiceContext,
  rooms: RoomState[],
  roomIds: string[],
  standing: StandingAlert[],
  arrivalsIn: (roomIds: string[]) => Promise<number>,
  writes: AlertWrite[],
  raiseRatio = false,
) {
  const v = await versionsFor(tx, roomIds);
  for (const r of rooms) {
    if (roomIds.includes(r.roomId))
      tx.events.push({
        name: 'room.updated',
        siteId: service.siteId,
        audience: 'staff',
        payload: { serviceId: service.id, room: presentServiceRoom(service.id, versioned(r, v), rulesOf(service)) },
      });
  }
  await judgeRatios(
    tx,
    service,
    rooms.filter((r) => roomIds.includes(r.roomId)),
    standing,
    raiseRatio,
    writes,
  );
  const groups = groupsTouchedBy(rooms, roomIds);
  await evaluateGroups(tx, service, rooms, groups, standing, arrivalsIn, writes);
}

async function evaluateGroups(
  tx: Tx,
  service: ServiceContext,
  rooms: RoomState[],
  groups: Set<string>,
  standing: StandingAlert[],
  arrivalsIn: (roomIds: string[]) => Promise<number>,
  writes: AlertWrite[],
) {
  const later = (kind: string, group: string, run: () => Promise<void>) => writes.push(alertWrite(service.id, kind, group, run));
  for (const group of groups) {
    const groupRooms = roomsForGroup(rooms, group);
    if (!groupRooms.some((r) => groupOf(r) === group)) continue; // only an overflow room of another group was passed in
    const arrivals = await arrivalsIn(groupRooms.map((r) => r.roomId));
    // "open a new room" is about seats (capacity); a room short of adults raises its own waiting alert
    const judged = judgeGroup(groupRooms, arrivals, service.settings.softThresholdPct, false);
    // a forecast ("full in ~N min") is about arrivals still to come: none once check-in has closed
    const verdict = isForecast(judged) && checkinClosed(service) ? { ...judged, raise: false } : judged;
    const existing = standing.find((a) => a.kind === 'open_room' && a.age_group === group);
    if (verdict.raise && !existing) {
      later('open_room', group, async () => {
        const row = await alerts.tryRaise(tx.trx, {
          site_id: service.siteId,
          service_id: service.id,
          kind: 'open_room',
          age_group: group,
          room_ids: verdict.openRoomIds,
          message: openRoomMessage(group, verdict),
          projected_minutes: verdict.projectedMinutes,
        });
        if (row) tx.events.push({ name: 'alert.raised', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
      });
    } else if (verdict.raise && existing && existing.message !== openRoomMessage(group, verdict)) {
      // same standing condition, new numbers ("full in ~6 min" → "is full"): reword, do not re-raise
      later('open_room', group, async () => {
        const row = await alerts.refresh(tx.trx, existing.id, openRoomMessage(group, verdict), verdict.projectedMinutes);
        if (row) tx.events.push({ name: 'alert.updated', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
      });
    } else if (!verdict.raise && existing) {
      later('open_room', group, () => clearAlert(tx, service, existing.id));
    }
    // a refusal alert stands until some room of the group has space again
    const full = standing.find((a) => a.kind === 'room_full' && a.age_group === group);
    const hasSpace = groupRooms.some((r) => r.open && r.headcount < roomLimit(r, service.settings));
    if (full && hasSpace) later('room_full', group, () => clearAlert(tx, service, full.id));
  }
}

/** The below-ratio alert's words: which room, how many children, how many adults, how many needed. */
export function belowRatioMessage(r: RoomState, service?: ServiceContext): string {
  const needed = service ? adultsNeeded(r.headcount, r, service.settings) : adultsNeeded(r.headcount, r, true);
  return `${r.name} is below ratio: ${r.headcount} children, ${r.volunteers} ${r.volunteers === 1 ? 'volunteer' : 'volunteers'} — needs ${needed}`;
}

/** The waiting-for-volunteers alert's words: the room, and the adults it needs before it takes the next child. */
export function waitingMessage(r: RoomState, service: ServiceContext): string {
  const needed = adultsNeeded(r.headcount + 1, r, service.settings);
  return `${r.name} is waiting for volunteers: a child was turned away — ${r.volunteers} of ${needed} ${needed === 1 ? 'adult' : 'adults'} checked in`;
}

/** A forecast-style alert: "full in ~N min at the current rate". */
const isForecast = (v: { projectedMinutes: number | null }) => v.projectedMinutes != null && v.projectedMinutes > 0;
const checkinClosed = (s: ServiceContext, now = new Date()) => now >= s.checkinClosesAt;

/**
 * A room with more children than its volunteers may look after (a volunteer left, or staff
 * confirmed fewer) raises `below_ratio`, one standing alert per room (keyed by the room's name);
 * it clears once a volunteer arrives or children leave. The check-in path only clears: its limit
 * never admits a child past the ratio.
 */
async function judgeRatios(tx: Tx, service: ServiceContext, rooms: RoomState[], standing: StandingAlert[], raiseAsked: boolean, writes: AlertWrite[]) {
  // staff are alerted where ratios are enforced; under `warn` the room card says "over ratio"
  const raise = raiseAsked && ratioPolicy(service.settings).mode === 'enforce';
  for (const r of rooms) {
    // a room waiting for volunteers stops waiting once enough adults are in it (or it closes, or the rule is lifted)
    const waiting = standing.find((a) => a.kind === 'waiting_for_volunteers' && a.age_group === r.name);
    if (waiting && !(r.open && waitsForVolunteers(r, service.settings)))
      writes.push(alertWrite(service.id, 'waiting_for_volunteers', r.name, () => clearAlert(tx, service, waiting.id)));
    const over = r.open && isOverRatio(r, service.settings);
    const existing = standing.find((a) => a.kind === 'below_ratio' && a.age_group === r.name);
    const later = (run: () => Promise<void>) => writes.push(alertWrite(service.id, 'below_ratio', r.name, run));
    if (over && raise && !existing) {
      later(async () => {
        const row = await alerts.tryRaise(tx.trx, {
          site_id: service.siteId,
          service_id: service.id,
          kind: 'below_ratio',
          age_group: r.name,
          room_ids: [r.roomId],
          message: belowRatioMessage(r, service),
          projected_minutes: null,
        });
        if (row) tx.events.push({ name: 'alert.raised', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
      });
    } else if (over && existing && existing.message !== belowRatioMessage(r, service)) {
      later(async () => {
        const row = await alerts.refresh(tx.trx, existing.id, belowRatioMessage(r, service), null);
        if (row) tx.events.push({ name: 'alert.updated', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
      });
    } else if (!over && existing) {
      later(() => clearAlert(tx, service, existing.id));
    }
  }
}

async function clearAlert(tx: Tx, service: ServiceContext, id: string) {
  const row = await alerts.clear(tx.trx, id);
  if (row) tx.events.push({ name: 'alert.cleared', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
}

/** A capacity alert a refusal raises: one standing alert per condition (service, kind, age group or room). */
export interface RefusalAlert {
  kind: 'room_full' | 'waiting_for_volunteers';
  /** the age group (room_full) or the room's name (waiting_for_volunteers) */
  ageGroup: string;
  roomIds: string[];
  message: string;
  projectedMinutes: number | null;
}

/**
 * The alerts these refusals call for that do not stand yet (pure): a room_full per age group
 * ("No room for age" when no regular room fits), a waiting_for_volunteers per room. With
 * `standing` undefined nothing is known to stand, so every condition is returned (the writer's
 * unique index then keeps one).
 */
export function refusalAlerts(
  service: ServiceContext,
  refused: { childId: string; reason: RefusalReason }[],
  children: ChildForAssignment[],
  rooms: RoomState[],
  standing?: Pick<StandingAlert, 'kind' | 'age_group'>[],
  familyName?: string,
): RefusalAlert[] {
  // staff go and find the family at the kiosk: say which one (the household's name, e.g. "Quill family")
  const who = familyName ? `A child of the ${familyName.replace(/^the\s+/i, '')} was turned away` : 'A child was turned away';
  const stands = (kind: string, group: string) => !!standing?.some((a) => a.kind === kind && a.age_group === group);
  const out: RefusalAlert[] = [];
  const add = (a: RefusalAlert) => {
    if (!stands(a.kind, a.ageGroup) && !out.some((x) => x.kind === a.kind && x.ageGroup === a.ageGroup)) out.push(a);
  };
  for (const r of refused) {
    if (r.reason !== 'room_full' && r.reason !== 'no_room_for_age' && r.reason !== 'waiting_for_volunteers') continue;
    const child = children.find((c) => c.childId === r.childId);
    if (r.reason === 'waiting_for_volunteers') {
      // a room has seats but not the adults for them: staff hear which room (it clears when enough adults check in)
      const room = rooms.find((x) => x.open && child && isEligible(x, child) && waitsForVolunteers(x, service.settings));
      if (room)
        add({ kind: 'waiting_for_volunteers', ageGroup: room.name, roomIds: [room.roomId], message: waitingMessage(room, service), projectedMinutes: null });
      continue;
    }
    const eligible = child ? rooms.filter((room) => room.kind === 'regular' && isEligible(room, child)) : [];
    const group = eligible[0] ? groupOf(eligible[0]) : 'No room for age';
    // no regular room fits: the overflow rooms that take this child are the only ones the alert may offer (DESIGN §15)
    const offered = eligible.length ? eligible : child ? rooms.filter((room) => room.kind === 'overflow' && isEligible(room, child)) : [];
    const message =
      r.reason === 'room_full' ? `${who}: every ${group} room is full — open a new room` : `${who}: no open room for their age (${describeChild(child)})`;
    add({ kind: 'room_full', ageGroup: group, roomIds: offered.map((e) => e.roomId), message, projectedMinutes: 0 });
  }
  return out;
}

/** A child was turned away: staff hear about it at once (one standing alert per group, or per room waiting for adults). */
export async function raiseRefusalAlerts(
  tx: Tx,
  service: ServiceContext,
  refused: { childId: string; reason: RefusalReason }[],
  children: ChildForAssignment[],
  rooms: RoomState[],
  standing?: StandingAlert[],
  familyName?: string,
) {
  const writes = refusalAlerts(service, refused, children, rooms, standing, familyName).map((a) =>
    alertWrite(service.id, a.kind, a.ageGroup, async () => {
      const row = await alerts.tryRaise(tx.trx, {
        site_id: service.siteId,
        service_id: service.id,
        kind: a.kind,
        age_group: a.ageGroup,
        room_ids: a.roomIds,
        message: a.message,
        projected_minutes: a.projectedMinutes,
      });
      if (row) tx.events.push({ name: 'alert.raised', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
    }),
  );
  await writeAlertsInOrder(writes);
}

const describeChild = (c?: ChildForAssignment) => (c?.grade != null ? `grade ${c.grade}` : c?.ageMonths != null ? `${c.ageMonths} months` : 'unknown age');

async function serviceFor(tx: Tx, actor: Actor, serviceId: string) {
  const service = await findServiceContext(tx.trx, serviceId);
  assertSameSite(actor, service, 'Service');
  return service;
}

export async function listRooms(tx: Tx, actor: Actor, serviceId: string) {
  const service = await serviceFor(tx, actor, serviceId);
  const rooms = await listServiceRooms(tx.trx, service.id);
  return rooms.map((r) => presentServiceRoom(service.id, r, rulesOf(service)));
}

/**
 * Staff open/close a room, set capacity and volunteers, or override the ratio limit (audited,
 * named). Nothing ever sets capacity below the children already in the room.
 */
export async function patchRoom(tx: Tx, actor: Actor, serviceId: string, roomId: string, patch: ServiceRoomPatch) {
  const service = await serviceFor(tx, actor, serviceId);
  const [room] = await lockServiceRooms(tx.trx, service.id, [roomId]);
  if (!room) throw notFound('Room');
  if (patch.capacity != null && patch.capacity < room.headcount) {
    throw new AppError(409, 'capacity_below_headcount', `capacity: ${room.headcount} children are in ${room.name}; capacity cannot go below that`, 'capacity');
  }
  // Guardrails (DESIGN §13): fewer adults than the children present need, or closing a room with
  // children in it, only on purpose — the UI asks, then sends confirm: true (audited as confirmed).
  const planned = { ...room, volunteers: patch.volunteers ?? room.volunteers, ratioOverride: patch.ratioOverride ?? room.ratioOverride };
  const shortBefore = isOverRatio(room, service.settings);
  const goesShort = patch.volunteers != null && patch.volunteers < room.volunteers && isOverRatio(planned, service.settings);
  if (goesShort && !patch.confirm) {
    const needed = adultsNeeded(room.headcount, room, service.settings);
    throw new AppError(
      409,
      'below_ratio_needs_confirmation',
      `volunteers: ${room.headcount} children in ${room.name} need ${needed} ${needed === 1 ? 'volunteer' : 'volunteers'}; confirm to set ${patch.volunteers}`,
      'volunteers',
      { needed, headcount: room.headcount, ...(shortBefore ? { alreadyShort: true } : {}) },
    );
  }
  if (patch.open === false && room.open && room.headcount > 0 && !patch.confirm) {
    throw new AppError(
      409,
      'room_has_children',
      `open: ${room.headcount} ${room.headcount === 1 ? 'child is' : 'children are'} still in ${room.name}; confirm to close it`,
      'open',
      { headcount: room.headcount },
    );
  }
  const update: Record<string, unknown> = {};
  if (patch.open != null) update.open = patch.open;
  if (patch.capacity != null) update.capacity = patch.capacity;
  if (patch.volunteers != null) update.volunteers = patch.volunteers;
  if (patch.ratioOverride != null) {
    update.ratio_override = patch.ratioOverride;
    update.ratio_override_by = patch.ratioOverride ? actor.id : null;
  }
  const confirmed = !!patch.confirm && (goesShort || (patch.open === false && room.headcount > 0));
  await updateServiceRoom(tx.trx, service.id, roomId, update);
  // a correction of the volunteers present is kept (who, when, why) for this service only (DESIGN §15)
  const corrected = patch.volunteers != null && patch.volunteers !== room.volunteers;
  if (corrected)
    await insertVolunteerCorrection(tx.trx, {
      organization_id: actor.organizationId,
      site_id: service.siteId,
      service_id: service.id,
      room_id: roomId,
      present: patch.volunteers!,
      before: room.volunteers,
      checked_in: await countCheckedInVolunteers(tx.trx, service.id, roomId),
      reason: patch.reason!,
      corrected_by: actor.kind === 'user' ? actor.id : null,
    });
  await insertAudit(tx.trx, actor, {
    action: patch.ratioOverride ? 'room.ratio_override' : corrected ? 'room.volunteers_corrected' : 'room.update',
    entity: 'room',
    entityId: roomId,
    details: {
      serviceId,
      before: { open: room.open, capacity: room.capacity, volunteers: room.volunteers, ratioOverride: room.ratioOverride },
      patch,
      by: actorName(actor),
      headcount: room.headcount,
      ...(confirmed ? { confirmed: true } : {}),
    },
  });
  await afterRoomsChanged(tx, service, [roomId]);
  const [after] = await listServiceRooms(tx.trx, service.id, [roomId]);
  return presentServiceRoom(service.id, after!, rulesOf(service));
}

/** Moves a checked-in child to another room of the same service, under the same rules. */
export async function moveChild(tx: Tx, actor: Actor, checkinId: string, toRoomId: string) {
  const checkin = await lockCheckinForMove(tx.trx, checkinId);
  assertSameSite(actor, checkin, 'Check-in');
  if (checkin.status !== 'checked_in') throw conflict('not_checked_in', 'That child is not checked in');
  if (checkin.room_id === toRoomId) throw conflict('same_room', 'The child is already in that room');
  const service = await serviceFor(tx, actor, checkin.service_id);
  const locked = await lockServiceRooms(tx.trx, service.id, [checkin.room_id, toRoomId]);
  const target = locked.find((r) => r.roomId === toRoomId);
  if (!target) throw notFound('Room');
  if (!target.open) throw conflict('room_closed', `${target.name} is closed`);
  if (target.headcount >= roomLimit(target, service.settings)) throw conflict('room_full', `${target.name} is full`);
  const child: ChildForAssignment = {
    childId: checkin.id,
    grade: checkin.grade,
    ageMonths: checkin.birthdate ? ageInMonths(checkin.birthdate, service.serviceDate) : null,
    inferredGrade: checkin.grade == null && checkin.birthdate ? gradeFromBirthdate(checkin.birthdate, service) : null,
  };
  if (!isEligible(target, child)) throw conflict('not_eligible', `${target.name} is not for ${checkin.first_name}'s age or grade`);
  await setCheckinRoom(tx.trx, checkinId, toRoomId);
  await insertAudit(tx.trx, actor, { action: 'checkin.move', entity: 'checkin', entityId: checkinId, details: { from: checkin.room_id, to: toRoomId } });
  await afterRoomsChanged(tx, service, [checkin.room_id, toRoomId]);
  return { id: checkinId, roomId: toRoomId, roomName: target.name };
}

export async function listAlertsFor(tx: Tx, actor: Actor, serviceId: string) {
  await serviceFor(tx, actor, serviceId);
  const list = (await alerts.listAlerts(tx.trx, serviceId)).map(presentAlert);
  return actor.kind === 'display' ? list.map(forDisplay) : list;
}

/** The actor's campus's alerts of no one service (label printers); a wall display reads its copy. */
export async function listSiteAlertsFor(tx: Tx, actor: Actor) {
  const list = (await alerts.listSiteAlerts(tx.trx, actor.siteId)).map(presentAlert);
  return actor.kind === 'display' ? list.map(forDisplay) : list;
}

export async function acknowledgeAlert(tx: Tx, actor: Actor, alertId: string) {
  const row = await alerts.acknowledge(tx.trx, alertId, actor.siteId, actor.id);
  if (!row) throw notFound('Alert');
  await insertAudit(tx.trx, actor, { action: 'alert.acknowledge', entity: 'alert', entityId: alertId });
  const alert = presentAlert(row);
  tx.events.push({ name: 'alert.acknowledged', siteId: actor.siteId, audience: 'staff', payload: alert });
  return alert;
}
