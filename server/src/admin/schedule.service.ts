/** Admins schedule services; each new service gets its rooms from the rooms' defaults. */
import type { ServiceCreate, ServicePatch, ServiceSummary } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findSite } from '../sites/sites.repo';
import { dateInTimezone } from '../capacity/rules';
import { presentServiceSummary } from './admin.presenter';
import * as repo from './admin.repo';
import { assertSameSite } from '../policies/ownership';

const CLOSES_AFTER_START_MINUTES = 60;

export async function tellKiosks(tx: Tx, siteId: string, message: string) {
  for (const kioskId of await repo.pairedKioskIds(tx.trx, siteId)) {
    tx.events.push({ name: 'kiosk.status', siteId, audience: { kioskId }, payload: { kind: 'service_changed', message } });
  }
}

function checkWindow(opens: Date, closes: Date) {
  if (opens >= closes) throw badRequest('checkinClosesAt: must be after checkinOpensAt', 'checkinClosesAt');
}

export async function list(tx: Tx, actor: Actor, from?: string, to?: string): Promise<ServiceSummary[]> {
  return (await repo.listServices(tx.trx, actor.siteId, from, to)).map(presentServiceSummary);
}

export async function create(tx: Tx, actor: Actor, input: ServiceCreate): Promise<ServiceSummary> {
  const site = (await findSite(tx.trx, actor.siteId))!;
  const startsAt = new Date(input.startsAt);
  const opens = input.checkinOpensAt ? new Date(input.checkinOpensAt) : new Date(startsAt.getTime() - site.settings.checkinWindowMinutes * 60_000);
  const closes = input.checkinClosesAt ? new Date(input.checkinClosesAt) : new Date(startsAt.getTime() + CLOSES_AFTER_START_MINUTES * 60_000);
  checkWindow(opens, closes);
  const row = await repo.insertService(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    name: input.name,
    starts_at: startsAt,
    checkin_opens_at: opens,
    checkin_closes_at: closes,
    service_date: dateInTimezone(startsAt, site.timezone),
  });
  if (input.roomIds) await roomsOfSite(tx, actor.siteId, input.roomIds);
  const rooms = await addServiceRooms(tx, actor.siteId, row.id, { roomIds: input.roomIds });
  await insertAudit(tx.trx, actor, { action: 'service.create', entity: 'service', entityId: row.id, details: { ...input, rooms } });
  await tellKiosks(tx, actor.siteId, `New service: ${input.name}`);
  return presentServiceSummary({ ...row, rooms, checkins: 0 });
}

/** Refuses room ids that are not this campus's (live) rooms, naming the field. */
export async function roomsOfSite(tx: Tx, siteId: string, roomIds: string[]) {
  const known = new Set((await repo.listRooms(tx.trx, siteId)).map((r) => r.id));
  const unknown = roomIds.filter((id) => !known.has(id));
  if (unknown.length) throw badRequest(`roomIds: ${unknown.length === 1 ? 'a room is' : `${unknown.length} rooms are`} not rooms of this campus`, 'roomIds');
}

/**
 * A new service gets every live room of the campus. Open: the rooms named (a one-off event's own
 * rooms, a schedule's rooms), else every regular room — overflow rooms stay closed until staff open
 * them unless `overflowOpen`. No volunteers yet: they are counted as they check in (DESIGN §15). Returns how many rooms it has.
 */
export async function addServiceRooms(tx: Tx, siteId: string, serviceId: string, o: { roomIds?: string[] | null; overflowOpen?: boolean }) {
  const rooms = await repo.listRooms(tx.trx, siteId);
  await repo.insertServiceRooms(
    tx.trx,
    rooms.map((r) => ({
      service_id: serviceId,
      room_id: r.id,
      open: o.roomIds ? o.roomIds.includes(r.id) || (r.kind === 'overflow' && !!o.overflowOpen) : r.kind === 'regular' || !!o.overflowOpen,
      capacity: r.default_capacity,
      volunteers: 0,
    })),
  );
  return rooms.length;
}

async function ownService(tx: Tx, actor: Actor, id: string) {
  const s = await repo.lockService(tx.trx, id);
  assertSameSite(actor, s, 'Service');
  return s;
}

export async function update(tx: Tx, actor: Actor, id: string, patch: ServicePatch): Promise<ServiceSummary> {
  const s = await ownService(tx, actor, id);
  const site = (await findSite(tx.trx, actor.siteId))!;
  const startsAt = patch.startsAt ? new Date(patch.startsAt) : new Date(s.starts_at);
  const opens = patch.checkinOpensAt ? new Date(patch.checkinOpensAt) : new Date(s.checkin_opens_at);
  const closes = patch.checkinClosesAt ? new Date(patch.checkinClosesAt) : new Date(s.checkin_closes_at);
  checkWindow(opens, closes);
  await repo.updateService(tx.trx, id, {
    ...(patch.name ? { name: patch.name } : {}),
    starts_at: startsAt,
    checkin_opens_at: opens,
    checkin_closes_at: closes,
    service_date: dateInTimezone(startsAt, site.timezone),
  });
  await insertAudit(tx.trx, actor, { action: 'service.update', entity: 'service', entityId: id, details: { patch } });
  await tellKiosks(tx, actor.siteId, `Service changed: ${patch.name ?? s.name}`);
  const [row] = (await repo.listServices(tx.trx, actor.siteId)).filter((x) => x.id === id);
  return presentServiceSummary(row ?? { ...s, rooms: 0, checkins: 0 });
}

/** Only a service nobody checked in to can be deleted: attendance is history. */
export async function remove(tx: Tx, actor: Actor, id: string): Promise<void> {
  const s = await ownService(tx, actor, id);
  if ((await repo.serviceCheckinCount(tx.trx, id)) > 0) throw conflict('has_checkins', `${s.name} has check-ins and cannot be deleted`);
  await repo.deleteService(tx.trx, id);
  await insertAudit(tx.trx, actor, { action: 'service.delete', entity: 'service', entityId: id, details: { name: s.name } });
  await tellKiosks(tx, actor.siteId, `Service removed: ${s.name}`);
}
