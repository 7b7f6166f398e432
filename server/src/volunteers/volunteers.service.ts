/**
 * Volunteers in the room (DESIGN §13). A volunteer checks in to a room for a service (themselves,
 * or staff for them) and out when they leave; the room's volunteer count for the service —
 * `service_rooms.volunteers`, which the check-in reads under the room lock, and so its ratio
 * limit — moves with them, under that same lock. Only a cleared adult serves (organisation
 * setting, on by default). A volunteer in a room marks children present, records a headcount and
 * sees that room's medical notes (rosters presenter).
 */
import type {
  BackgroundCheckUpdate,
  KioskVolunteer,
  KioskVolunteerCheckin,
  VolunteerPerson,
  ServiceVolunteers,
  VolunteerCheckin,
  VolunteerCheckinResult,
  VolunteerReport,
  VolunteerShift,
  RoomHeadcount,
  RollCallResult,
} from '../../../contracts';
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { AppError, badRequest, conflict, forbidden, notFound, unauthorized } from '../errors';
import { siteInputRules } from '../families/input';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { adjustVolunteers, latestVolunteerCorrections, lockServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { volunteerBadge } from '../printing/tags.service';
import { backgroundCheckCurrent, daysUntilExpiry, normalizeAnyPhone, type BackgroundCheckStatus } from '../../../contracts/rules';
import { presentCheck, presentCorrection, presentHeadcount, presentReportRow, presentShift } from './volunteers.presenter';
import { setBackgroundCheck } from '../people/people.service';
import * as repo from './volunteers.repo';
import { judgeCount } from '../rollcall/mismatch.service';
import { assertSameSite } from '../policies/ownership';

type UserActor = Extract<Actor, { kind: 'user' }>;
function userActor(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw unauthorized();
  return actor;
}

async function serviceOf(tx: Tx, actor: Actor, serviceId: string): Promise<ServiceContext> {
  const service = await findServiceContext(tx.trx, serviceId);
  assertSameSite(actor, service, 'Service');
  return service;
}

const dateLabel = (s: ServiceContext) =>
  new Intl.DateTimeFormat('en-US', { timeZone: s.timezone, weekday: 'short', month: 'short', day: 'numeric' }).format(s.startsAt);

/**
 * Checks a volunteer in to a room for a service. Checking in to another room of the same service
 * moves them (both rooms locked, in the global order). Refused without a current background
 * check when the organisation requires one (audited, kept through the rollback).
 */
export async function checkIn(tx: Tx, a: Actor, serviceId: string, roomId: string, input: VolunteerCheckin): Promise<VolunteerCheckinResult> {
  const actor = userActor(a);
  const service = await serviceOf(tx, actor, serviceId);
  const userId = input.userId ?? actor.id;
  if (userId !== actor.id && !isStaff(actor)) throw forbidden('Only staff check someone else in as a volunteer');
  const person = await repo.personAtSite(tx.trx, userId, actor.siteId);
  if (!person || person.organization_id !== actor.organizationId || (!person.has_role && !person.org_admin)) throw notFound('Person');
  return serve(tx, actor, service, person, roomId);
}

/** Who did it, in the shift's columns: a user by id, a kiosk by its own column. */
const byColumns = (actor: Actor, what: 'in' | 'out') =>
  actor.kind === 'kiosk' ? { [`checked_${what}_by`]: null, [`checked_${what}_kiosk_id`]: actor.id } : { [`checked_${what}_by`]: actor.id };

/**
 * The one check-in of a volunteer to a room (from the staff UI or a kiosk): the background-check
 * gate, the move out of another room of the service, the count under the room locks, the tag.
 * A kiosk's refusal names no check status or date: the kiosk screen is public.
 */
async function serve(tx: Tx, actor: Actor, service: ServiceContext, person: repo.PersonForShift, roomId: string): Promise<VolunteerCheckinResult> {
  const serviceId = service.id;
  const userId = person.id;
  const who = person.name || person.email;
  if (person.deactivated_at) throw conflict('person_deactivated', `${who} is deactivated`);
  const check = { status: person.background_check_status as BackgroundCheckStatus, expiresOn: person.background_check_expires_on };
  if ((await repo.requiresBackgroundCheck(tx.trx, actor.organizationId)) && !backgroundCheckCurrent(check, service.serviceDate)) {
    tx.auditRefusal(actor, {
      action: 'volunteer.checkin_refused',
      entity: 'user',
      entityId: userId,
      details: { serviceId, roomId, reason: 'background_check_required', check },
    });
    if (actor.kind === 'kiosk')
      throw new AppError(409, 'background_check_required', `${who} cannot check in to a children's room yet: please see a staff member`, 'phone');
    throw new AppError(
      409,
      'background_check_required',
      `${who} has no current background check${check.expiresOn ? ` (${check.status}, expires ${check.expiresOn})` : ''}: they cannot serve in a children's room`,
      'userId',
      { backgroundCheck: presentCheck(person, service.serviceDate) },
    );
  }
  const before = await repo.openShiftOf(tx.trx, serviceId, userId);
  if (before?.room_id === roomId) throw conflict('already_serving', `${who} is already checked in to ${before.room_name}`);
  const locked = await lockServiceRooms(tx.trx, serviceId, before ? [roomId, before.room_id] : [roomId]);
  const room = locked.find((r) => r.roomId === roomId);
  if (!room) throw notFound('Room');
  if (!room.open) throw conflict('room_closed', `${room.name} is closed`);
  // under the locks: the shift read before them is still the one open (else another request moved them)
  const now = await repo.openShiftOf(tx.trx, serviceId, userId);
  if ((now?.id ?? null) !== (before?.id ?? null)) throw conflict('try_again', 'This volunteer was just checked in or out elsewhere; try again');
  if (before) {
    await repo.closeShift(tx.trx, before.id, byColumns(actor, 'out'));
    await adjustVolunteers(tx.trx, serviceId, before.room_id, -1);
  }
  const id = await repo.insertShift(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    service_id: serviceId,
    room_id: roomId,
    user_id: userId,
    ...byColumns(actor, 'in'),
  });
  const volunteers = await adjustVolunteers(tx.trx, serviceId, roomId, +1);
  await insertAudit(tx.trx, actor, {
    action: 'volunteer.checkin',
    entity: 'room',
    entityId: roomId,
    details: { serviceId, roomId, userId, shiftId: id, volunteers, headcount: room.headcount, ...(before ? { movedFrom: before.room_id } : {}) },
  });
  await afterRoomsChanged(tx, service, before ? [roomId, before.room_id] : [roomId]);
  const shift = presentShift((await repo.findShift(tx.trx, id))!);
  tx.webhook({
    siteId: actor.siteId,
    event: 'volunteer.checkedIn',
    build: () => ({
      siteId: actor.siteId,
      shiftId: id,
      userId,
      name: shift.name,
      serviceId,
      serviceName: service.name,
      roomId,
      roomName: room.name,
      movedFromRoomId: before?.room_id ?? null,
      checkedInAt: shift.checkedInAt,
    }),
  });
  const tag = { name: shift.name, roomName: room.name, serviceName: service.name, date: dateLabel(service) };
  // the campus's volunteer badge template (DESIGN §18): ZPL for a Zebra, HTML for the browser's print when one is stored
  const badge = await volunteerBadge(tx.trx, actor, tag);
  return { shift, volunteers, label: { ...tag, zpl: badge.zpl, ...(badge.html ? { html: badge.html } : {}) } };
}

/**
 * A volunteer leaves the room (they, or staff for them). Always recorded — nobody is kept in a
 * room — and if the children present now need more adults than are left, `below_ratio` is raised
 * and the lower limit stops new check-ins into the room.
 */
export async function checkOut(tx: Tx, a: Actor, shiftId: string): Promise<{ shift: VolunteerShift; volunteers: number }> {
  const actor = userActor(a);
  const found = await repo.findShift(tx.trx, shiftId);
  assertSameSite(actor, found, 'Shift');
  if (found.user_id !== actor.id && !isStaff(actor)) throw forbidden('Only staff check someone else out');
  const service = await serviceOf(tx, actor, found.service_id);
  return leave(tx, actor, service, found);
}

async function leave(tx: Tx, actor: Actor, service: ServiceContext, found: repo.ShiftRow): Promise<{ shift: VolunteerShift; volunteers: number }> {
  const shiftId = found.id;
  const [room] = await lockServiceRooms(tx.trx, found.service_id, [found.room_id]);
  if (!room) throw notFound('Room');
  if (!(await repo.closeShift(tx.trx, shiftId, byColumns(actor, 'out'))))
    throw conflict('already_checked_out', `${found.user_name || found.user_email} has already left ${found.room_name}`);
  const volunteers = await adjustVolunteers(tx.trx, found.service_id, found.room_id, -1);
  await insertAudit(tx.trx, actor, {
    action: 'volunteer.checkout',
    entity: 'room',
    entityId: found.room_id,
    details: { serviceId: found.service_id, roomId: found.room_id, userId: found.user_id, shiftId, volunteers, headcount: room.headcount },
  });
  await afterRoomsChanged(tx, service, [found.room_id]);
  return { shift: presentShift((await repo.findShift(tx.trx, shiftId))!), volunteers };
}

// ---- at a check-in kiosk, by the volunteer's phone number ----

type KioskActor = Extract<Actor, { kind: 'kiosk' }>;
function kioskActor(a: Actor): KioskActor {
  if (a.kind !== 'kiosk' || a.mode !== 'checkin') throw forbidden('Only a check-in kiosk');
  return a;
}
/**
 * The person of the kiosk's organisation holding a role at its campus with this phone number. Not
 * found, not a volunteer there, deactivated: one answer, so the kiosk tells nobody who is who.
 */
async function volunteerByPhone(tx: Tx, actor: KioskActor, phone: string): Promise<repo.PersonForShift> {
  const rules = await siteInputRules(tx.trx, actor.siteId);
  const e164 = normalizeAnyPhone(phone, rules.country);
  if (!e164) throw badRequest('phone: must be a full phone number', 'phone');
  const person = await repo.personByPhone(tx.trx, actor.organizationId, e164, actor.siteId);
  if (!person || !person.has_role || person.deactivated_at) throw new AppError(404, 'volunteer_not_found', 'No volunteer has this phone number', 'phone');
  return person;
}

/** The volunteer's own name, where they serve now, and the open rooms of the service to choose. */
export async function kioskLookup(tx: Tx, a: Actor, serviceId: string, phone: string): Promise<KioskVolunteer> {
  const actor = kioskActor(a);
  await serviceOf(tx, actor, serviceId);
  const person = await volunteerByPhone(tx, actor, phone);
  const open = await repo.openShiftOf(tx.trx, serviceId, person.id);
  return {
    name: person.name || person.email,
    serving: open ? { roomId: open.room_id, roomName: open.room_name } : null,
    rooms: await repo.openRoomsOf(tx.trx, serviceId),
  };
}

/** A volunteer checks in at a kiosk: the same check-in as from the staff UI, the kiosk as the actor. */
export async function kioskCheckIn(tx: Tx, a: Actor, input: KioskVolunteerCheckin): Promise<VolunteerCheckinResult> {
  const actor = kioskActor(a);
  const service = await serviceOf(tx, actor, input.serviceId);
  return serve(tx, actor, service, await volunteerByPhone(tx, actor, input.phone), input.roomId);
}

/** A volunteer checks out at a kiosk: their open shift of the service ends. */
export async function kioskCheckOut(tx: Tx, a: Actor, serviceId: string, phone: string): Promise<{ name: string; roomName: string; volunteers: number }> {
  const actor = kioskActor(a);
  const service = await serviceOf(tx, actor, serviceId);
  const person = await volunteerByPhone(tx, actor, phone);
  const open = await repo.openShiftOf(tx.trx, serviceId, person.id);
  if (!open) throw conflict('not_serving', `${person.name || person.email} is not checked in to a room`);
  const r = await leave(tx, actor, service, open);
  return { name: r.shift.name, roomName: r.shift.roomName, volunteers: r.volunteers };
}

// ---- staff: the campus's volunteers, their checks and phones ----

/** Everyone who may serve at the campus, with their check; a current one running out within 30 days is flagged. */
export async function listPeople(tx: Tx, a: Actor): Promise<VolunteerPerson[]> {
  const actor = userActor(a);
  const today = (await siteInputRules(tx.trx, actor.siteId)).today;
  return (await repo.candidatesAt(tx.trx, actor.siteId)).map((p) => {
    const backgroundCheck = presentCheck(p, today);
    const days = daysUntilExpiry(backgroundCheck.expiresOn, today);
    return {
      userId: p.id,
      name: p.name || p.email,
      phone: p.phone ?? null,
      backgroundCheck,
      expiresSoon: backgroundCheck.current && days != null && days <= 30,
    };
  });
}

/** Staff (or admins) record a volunteer's background check — never their own — through the people service (audited there). */
export async function recordCheck(tx: Tx, a: Actor, userId: string, input: BackgroundCheckUpdate): Promise<VolunteerPerson> {
  const actor = userActor(a);
  // who may record it is decided once, by setBackgroundCheck (mayRecordBackgroundCheck); this only finds the volunteer
  const person = await repo.personAtSite(tx.trx, userId, actor.siteId);
  if (!person || person.organization_id !== actor.organizationId || !person.has_role) throw notFound('Person');
  await setBackgroundCheck(tx, actor, userId, input);
  const saved = (await listPeople(tx, actor)).find((p) => p.userId === userId);
  if (!saved) throw notFound('Person');
  return saved;
}

/** Staff record a person's phone number (how the kiosk knows them), audited; unique in the organisation. */
export async function setPhone(tx: Tx, a: Actor, userId: string, phone: string | null): Promise<VolunteerPerson> {
  const actor = userActor(a);
  const person = await repo.personAtSite(tx.trx, userId, actor.siteId);
  if (!person || person.organization_id !== actor.organizationId || !person.has_role) throw notFound('Person');
  let e164: string | null = null;
  if (phone) {
    e164 = normalizeAnyPhone(phone, (await siteInputRules(tx.trx, actor.siteId)).country);
    if (!e164) throw badRequest('phone: must be a full phone number', 'phone');
    const other = await repo.personByPhone(tx.trx, actor.organizationId, e164, actor.siteId);
    if (other && other.id !== userId) throw new AppError(409, 'phone_taken', 'Another person of the organisation has this phone number', 'phone');
  }
  await repo.setPhone(tx.trx, userId, e164);
  await insertAudit(tx.trx, actor, { action: 'person.phone', entity: 'user', entityId: userId, details: { set: e164 != null } });
  return (await listPeople(tx, actor)).find((p) => p.userId === userId)!;
}

/** The service's shifts; staff also get who they may check in (with each one's check), a volunteer only themselves. */
export async function listForService(tx: Tx, a: Actor, serviceId: string): Promise<ServiceVolunteers> {
  const actor = userActor(a);
  const service = await serviceOf(tx, actor, serviceId);
  const shifts = (await repo.serviceShifts(tx.trx, serviceId)).map(presentShift);
  const people = isStaff(actor) ? await repo.candidatesAt(tx.trx, actor.siteId) : [await repo.personAtSite(tx.trx, actor.id, actor.siteId)].filter((p) => !!p);
  return {
    serviceId,
    shifts: isStaff(actor) ? shifts : shifts.filter((s) => s.userId === actor.id || s.checkedOutAt == null),
    candidates: people.map((p) => ({ userId: p.id, name: p.name || p.email, backgroundCheck: presentCheck(p, service.serviceDate) })),
    mine: shifts.find((s) => s.userId === actor.id && s.checkedOutAt == null) ?? null,
    requireBackgroundCheck: await repo.requiresBackgroundCheck(tx.trx, actor.organizationId),
    corrections: isStaff(actor) ? (await latestVolunteerCorrections(tx.trx, serviceId)).map(presentCorrection) : [],
  };
}

/** Who served where and when, for a date range (site's services by service date). */
export async function report(tx: Tx, a: Actor, from: string, to: string): Promise<VolunteerReport> {
  const actor = userActor(a);
  return { from, to, shifts: (await repo.shiftsInRange(tx.trx, actor.siteId, from, to)).map(presentReportRow) };
}

/** Staff anywhere; a volunteer only in a room they are checked in to today. */
async function assertServesIn(tx: Tx, actor: UserActor, serviceId: string, roomId: string) {
  if (isStaff(actor)) return;
  if (!(await repo.servingRoomsOn(tx.trx, actor.id, serviceId)).has(roomId)) throw forbidden('Check in to this room as a volunteer first');
}

/** Roll call: a room volunteer marks a checked-in child present (or not yet), audited. */
export async function setPresent(tx: Tx, a: Actor, checkinId: string, present: boolean): Promise<{ checkinId: string; present: boolean }> {
  const actor = userActor(a);
  const c = await repo.checkinForRollCall(tx.trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  if (c.status !== 'checked_in') throw conflict('not_checked_in', 'That child is not checked in');
  await assertServesIn(tx, actor, c.service_id, c.room_id);
  if (present) await repo.markPresent(tx.trx, { checkin_id: checkinId, site_id: actor.siteId, marked_by: actor.id });
  else await repo.unmarkPresent(tx.trx, checkinId);
  await insertAudit(tx.trx, actor, {
    action: present ? 'rollcall.present' : 'rollcall.not_present',
    entity: 'checkin',
    entityId: checkinId,
    details: { roomId: c.room_id },
  });
  return { checkinId, present };
}

/** A manual headcount of a room, kept beside the system's count at that moment; one that disagrees raises the alarm (§15). */
export async function recordHeadcount(tx: Tx, a: Actor, serviceId: string, roomId: string, count: number): Promise<RoomHeadcount> {
  const actor = userActor(a);
  const service = await serviceOf(tx, actor, serviceId);
  await assertServesIn(tx, actor, serviceId, roomId);
  const [room] = await lockServiceRooms(tx.trx, serviceId, [roomId]);
  if (!room) throw notFound('Room');
  if (count > room.capacity) throw badRequest(`count: must not be more than ${room.name}'s capacity (${room.capacity})`, 'count');
  const row = await repo.insertHeadcount(tx.trx, {
    site_id: actor.siteId,
    service_id: serviceId,
    room_id: roomId,
    count,
    system_count: room.headcount,
    recorded_by: actor.id,
  });
  await insertAudit(tx.trx, actor, { action: 'room.headcount', entity: 'room', entityId: roomId, details: { serviceId, count, systemCount: room.headcount } });
  await judgeCount(tx, service, room, 'headcount', count, room.headcount);
  return presentHeadcount({ ...row, recorded_by: actor.name || actor.email });
}

/**
 * A roll call submitted for a room: the children marked present (PUT /api/checkins/:id/present)
 * against the system's count, kept as the room's latest count; one short names who was not marked.
 */
export async function submitRollCall(tx: Tx, a: Actor, serviceId: string, roomId: string): Promise<RollCallResult> {
  const actor = userActor(a);
  const service = await serviceOf(tx, actor, serviceId);
  await assertServesIn(tx, actor, serviceId, roomId);
  const [room] = await lockServiceRooms(tx.trx, serviceId, [roomId]);
  if (!room) throw notFound('Room');
  const children = await repo.childrenInRoom(tx.trx, serviceId, roomId);
  const missing = children.filter((c) => !c.marked).map((c) => ({ checkinId: c.id, firstName: c.first_name, lastName: c.last_name }));
  const present = children.length - missing.length;
  await repo.insertHeadcount(tx.trx, {
    site_id: actor.siteId,
    service_id: serviceId,
    room_id: roomId,
    count: present,
    system_count: room.headcount,
    recorded_by: actor.id,
    kind: 'roll_call',
  });
  await insertAudit(tx.trx, actor, {
    action: 'room.roll_call',
    entity: 'room',
    entityId: roomId,
    details: { serviceId, present, systemCount: room.headcount, missing: missing.map((m) => m.checkinId) },
  });
  const alertId = await judgeCount(tx, service, room, 'roll_call', present, room.headcount, missing);
  return { roomId, present, systemCount: room.headcount, missing, alertId };
}
