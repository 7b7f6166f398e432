/** Admins manage a site's rooms: names, age/grade ranges, kind, default capacity and ratio. */
import { cleanCareNeeds, rangeProblem, type LocatedAdminRoom, type RoomWithLocationCreate, type RoomWithLocationPatch } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { AppError, badRequest, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { afterRoomsChanged } from '../capacity/capacity.service';
import { presentRoom } from './admin.presenter';
import * as repo from './admin.repo';
import { assertSameSite } from '../policies/ownership';

const toRow = (p: RoomWithLocationPatch): Record<string, unknown> => {
  const map: Record<keyof RoomWithLocationPatch, string> = {
    name: 'name',
    ageGroup: 'age_group',
    kind: 'kind',
    minAgeMonths: 'min_age_months',
    maxAgeMonths: 'max_age_months',
    minGrade: 'min_grade',
    maxGrade: 'max_grade',
    defaultCapacity: 'default_capacity',
    ratio: 'ratio',
    sortOrder: 'sort_order',
    careNeeds: 'care_needs',
    location: 'location',
  };
  const value = (k: keyof RoomWithLocationPatch, v: unknown) =>
    k === 'careNeeds' ? cleanCareNeeds(v as string[]) : k === 'location' ? (v as string | null) || null : v;
  return Object.fromEntries(
    Object.entries(p)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [map[k as keyof RoomWithLocationPatch], value(k as keyof RoomWithLocationPatch, v)]),
  );
};

async function nameFree(tx: Tx, siteId: string, name: string, exceptId?: string) {
  const other = await repo.findRoomByName(tx.trx, siteId, name);
  if (other && other.id !== exceptId) {
    throw new AppError(409, 'room_name_taken', `name: a room called ${name} already exists${other.archived ? ' (archived)' : ''}`, 'name');
  }
}

/** Dashboards of the services that include the room hear about it now. */
async function pushToServices(tx: Tx, roomId: string, serviceIds: string[]) {
  for (const id of serviceIds) {
    const service = await findServiceContext(tx.trx, id);
    if (service) await afterRoomsChanged(tx, service, [roomId]);
  }
}

export async function list(tx: Tx, actor: Actor): Promise<LocatedAdminRoom[]> {
  return (await repo.listRooms(tx.trx, actor.siteId)).map(presentRoom);
}

export async function create(tx: Tx, actor: Actor, input: RoomWithLocationCreate): Promise<LocatedAdminRoom> {
  await nameFree(tx, actor.siteId, input.name);
  const row = await repo.insertRoom(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    ...toRow(input),
    age_group: input.ageGroup || input.name,
  });
  const services = await repo.openOrUpcomingServiceIds(tx.trx, actor.siteId);
  // nobody is checked in to a new room yet: its volunteers present start at 0 (DESIGN §15)
  await repo.addRoomToServices(tx.trx, row.id, services, row.default_capacity, 0);
  await insertAudit(tx.trx, actor, { action: 'room.create', entity: 'room', entityId: row.id, details: { ...input, addedClosedTo: services } });
  await pushToServices(tx, row.id, services);
  return presentRoom(row);
}

async function ownRoom(tx: Tx, actor: Actor, id: string) {
  const room = await repo.lockRoom(tx.trx, id);
  assertSameSite(actor, room, 'Room');
  if (room.archived) throw notFound('Room');
  return room;
}

export async function update(tx: Tx, actor: Actor, id: string, patch: RoomWithLocationPatch): Promise<LocatedAdminRoom> {
  const room = await ownRoom(tx, actor, id);
  const merged = { ...presentRoom(room), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  const problem = rangeProblem(merged);
  if (problem) throw badRequest(`${problem.field}: ${problem.message}`, problem.field);
  if (patch.name && patch.name !== room.name) await nameFree(tx, actor.siteId, patch.name, id);
  const row = await repo.updateRoom(tx.trx, id, toRow(patch));
  await insertAudit(tx.trx, actor, { action: 'room.update', entity: 'room', entityId: id, details: { before: presentRoom(room), patch } });
  // ranges and ratio apply at once to the services under way
  await pushToServices(tx, id, await repo.servicesWithRoom(tx.trx, id, await repo.openOrUpcomingServiceIds(tx.trx, actor.siteId)));
  return presentRoom(row);
}

/** Archiving keeps the history: the room closes in current and upcoming services and new services leave it out. */
export async function archive(tx: Tx, actor: Actor, id: string): Promise<void> {
  await ownRoom(tx, actor, id);
  await repo.updateRoom(tx.trx, id, { archived: true });
  const services = await repo.servicesWithRoomOpen(tx.trx, id, await repo.openOrUpcomingServiceIds(tx.trx, actor.siteId));
  await repo.closeRoomIn(tx.trx, id, services);
  await insertAudit(tx.trx, actor, { action: 'room.archive', entity: 'room', entityId: id, details: { closedIn: services } });
  await pushToServices(tx, id, services);
}
