/**
 * Volunteers in the room (DESIGN §13). A volunteer checks in to a room for a service (themselves,
 * or staff for them) and out when they leave; the room's volunteer count for the service —
 * `service_rooms.volunteers`, which the check-in reads under the room lock, and so its ratio
 * limit — moves with them, under that same lock. Only a cleared adult serves (organisation
 * setting, on by default). A volunteer in a room marks children present, records a headcount and
 * sees that room's medical notes (rosters presenter).
 */
import type { ServiceVolunteers, VolunteerCheckin, VolunteerCheckinResult, VolunteerReport, VolunteerShift, RoomHeadcount } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { roleAtLeast, type Actor } from '../auth/actor';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext, type ServiceContext } from '../sites/sites.repo';
import { adjustVolunteers, lockServiceRooms } from '../capacity/capacity.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { volunteerTagZpl } from '../printing/printing.service';
import { backgroundCheckCurrent, type BackgroundCheckStatus } from '../../../contracts/rules';
import { presentCheck, presentHeadcount, presentReportRow, presentShift } from './volunteers.presenter';
import * as repo from './volunteers.repo';

type UserActor = Extract<Actor, { kind: 'user' }>;
function userActor(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw unauthorized();
  return actor;
}
const isStaff = (a: UserActor) => roleAtLeast(a.role, 'staff');

async function serviceOf(tx: Tx, actor: Actor, serviceId: string): Promise<ServiceContext> {
  const service = await findServiceContext(tx.trx, serviceId);
  if (!service || service.siteId !== actor.siteId) throw notFound('Service');
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
  if (person.deactivated_at) throw conflict('person_deactivated', `${person.name || person.email} is deactivated`);
  const check = { status: person.background_check_status as BackgroundCheckStatus, expiresOn: person.background_check_expires_on };
  if ((await repo.requiresBackgroundCheck(tx.trx, actor.organizationId)) && !backgroundCheckCurrent(check, service.serviceDate)) {
    tx.auditRefusal(actor, {
      action: 'volunteer.checkin_refused',
      entity: 'user',
      entityId: userId,
      details: { serviceId, roomId, reason: 'background_check_required', check },
    });
    throw new AppError(
      409,
      'background_check_required',
      `${person.name || person.email} has no current background check${check.expiresOn ? ` (${check.status}, expires ${check.expiresOn})` : ''}: they cannot serve in a children's room`,
      'userId',
      { backgroundCheck: presentCheck(person, service.serviceDate) },
    );
  }
  const before = await repo.openShiftOf(tx.trx, serviceId, userId);
  if (before?.room_id === roomId) throw conflict('already_serving', `${person.name || person.email} is already checked in to ${before.room_name}`);
  const locked = await lockServiceRooms(tx.trx, serviceId, before ? [roomId, before.room_id] : [roomId]);
  const room = locked.find((r) => r.roomId === roomId);
  if (!room) throw notFound('Room');
  if (!room.open) throw conflict('room_closed', `${room.name} is closed`);
  // under the locks: the shift read before them is still the one open (else another request moved them)
  const now = await repo.openShiftOf(tx.trx, serviceId, userId);
  if ((now?.id ?? null) !== (before?.id ?? null)) throw conflict('try_again', 'This volunteer was just checked in or out elsewhere; try again');
  if (before) {
    await repo.closeShift(tx.trx, before.id, actor.id);
    await adjustVolunteers(tx.trx, serviceId, before.room_id, -1);
  }
  const id = await repo.insertShift(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    service_id: serviceId,
    room_id: roomId,
    user_id: userId,
    checked_in_by: actor.id,
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
  const tag = { name: shift.name, roomName: room.name, serviceName: service.name, date: dateLabel(service) };
  return { shift, volunteers, label: { ...tag, zpl: volunteerTagZpl(tag) } };
}

/**
 * A volunteer leaves the room (they, or staff for them). Always recorded — nobody is kept in a
 * room — and if the children present now need more adults than are left, `below_ratio` is raised
 * and the lower limit stops new check-ins into the room.
 */
export async function checkOut(tx: Tx, a: Actor, shiftId: string): Promise<{ shift: VolunteerShift; volunteers: number }> {
  const actor = userActor(a);
  const found = await repo.findShift(tx.trx, shiftId);
  if (!found || found.site_id !== actor.siteId) throw notFound('Shift');
  if (found.user_id !== actor.id && !isStaff(actor)) throw forbidden('Only staff check someone else out');
  const service = await serviceOf(tx, actor, found.service_id);
  const [room] = await lockServiceRooms(tx.trx, found.service_id, [found.room_id]);
  if (!room) throw notFound('Room');
  if (!(await repo.closeShift(tx.trx, shiftId, actor.id)))
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
  if (!c || c.site_id !== actor.siteId) throw notFound('Check-in');
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

/** A manual headcount of a room, kept beside the system's count at that moment. */
export async function recordHeadcount(tx: Tx, a: Actor, serviceId: string, roomId: string, count: number): Promise<RoomHeadcount> {
  const actor = userActor(a);
  await serviceOf(tx, actor, serviceId);
  await assertServesIn(tx, actor, serviceId, roomId);
  const [room] = await lockServiceRooms(tx.trx, serviceId, [roomId]);
  if (!room) throw notFound('Room');
  const row = await repo.insertHeadcount(tx.trx, {
    site_id: actor.siteId,
    service_id: serviceId,
    room_id: roomId,
    count,
    system_count: room.headcount,
    recorded_by: actor.id,
  });
  await insertAudit(tx.trx, actor, { action: 'room.headcount', entity: 'room', entityId: roomId, details: { serviceId, count, systemCount: room.headcount } });
  return presentHeadcount({ ...row, recorded_by: actor.name || actor.email });
}
