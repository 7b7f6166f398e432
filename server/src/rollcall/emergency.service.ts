/**
 * Emergency roll call (DESIGN §15): staff start one for their campus; each room volunteer marks
 * the children of their room accounted for; staff and the wall display watch live totals per room
 * and the children not yet accounted for; staff end it. Start and end are audited with their
 * times. One runs per campus at a time. A volunteer sees and marks only the rooms they are checked
 * in to today; the wall display gets totals, never names.
 */
import type { Emergency, EmergencyChild, EmergencyEvent, EmergencyRoom } from '../../../contracts';
import { iso } from '../../../contracts/rules';
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { conflict, forbidden, notFound, unauthorized } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import * as repo from './emergency.repo';
import { assertSameSite } from '../policies/ownership';

type UserActor = Extract<Actor, { kind: 'user' }>;
function userActor(a: Actor): UserActor {
  if (a.kind !== 'user') throw unauthorized();
  return a;
}

/** Rooms in the order the children came (repo order: the room's sort order), with their totals. */
function totals(children: repo.EmergencyChildRow[]): { rooms: EmergencyRoom[]; total: number; accounted: number } {
  const rooms = new Map<string, EmergencyRoom>();
  for (const c of children) {
    const r = rooms.get(c.room_id) ?? { roomId: c.room_id, name: c.room_name, total: 0, accounted: 0 };
    r.total += 1;
    if (c.accounted_at) r.accounted += 1;
    rooms.set(c.room_id, r);
  }
  return { rooms: [...rooms.values()], total: children.length, accounted: children.filter((c) => c.accounted_at).length };
}

const presentChild = (c: repo.EmergencyChildRow): EmergencyChild => ({
  checkinId: c.checkin_id,
  firstName: c.first_name,
  lastName: c.last_name,
  roomId: c.room_id,
  accountedAt: c.accounted_at ? iso(c.accounted_at) : null,
  accountedBy: c.accounted_by ?? null,
});

async function present(tx: Tx, actor: Actor, e: repo.EmergencyRow): Promise<Emergency> {
  // a volunteer: only the rooms they are checked in to; staff, the wall display and an integration: the campus
  const noNames = actor.kind === 'display' || actor.kind === 'integration';
  const rooms = isStaff(actor) || noNames ? undefined : [...(await repo.servingRoomsToday(tx.trx, actor.id, actor.siteId))];
  const children = await repo.emergencyChildren(tx.trx, e.id, rooms);
  const t = totals(children);
  // not yet accounted for first: the list is what someone goes looking with
  const ordered = [...children.filter((c) => !c.accounted_at), ...children.filter((c) => c.accounted_at)];
  return {
    id: e.id,
    message: e.message,
    startedAt: iso(e.started_at),
    startedBy: e.started_by,
    endedAt: e.ended_at ? iso(e.ended_at) : null,
    endedBy: e.ended_by,
    ...t,
    // an integration (a security desk's screen) gets the totals like a wall display, not the children's names
    children: noNames ? [] : ordered.map(presentChild),
  };
}

/** The cue every screen of the campus hears (no names: the wall display hears it too). */
async function announce(tx: Tx, siteId: string, id: string, status: EmergencyEvent['status']) {
  const t = totals(await repo.emergencyChildren(tx.trx, id));
  tx.events.push({
    name: 'emergency.updated',
    siteId,
    audience: 'staff',
    payload: { id, status, total: t.total, accounted: t.accounted, at: new Date().toISOString() },
  });
  return t;
}

export async function start(tx: Tx, a: Actor, message: string | undefined): Promise<Emergency> {
  const actor = userActor(a);
  const id = await repo.insertIfNoneRunning(tx.trx, {
    organization_id: actor.organizationId,
    site_id: actor.siteId,
    message: message ?? '',
    started_by: actor.id,
  });
  if (!id) throw conflict('emergency_running', 'An emergency roll call is already running at this campus');
  const e = (await repo.findEmergency(tx.trx, id))!;
  const t = await announce(tx, actor.siteId, id, 'started');
  await insertAudit(tx.trx, actor, {
    action: 'emergency.start',
    entity: 'emergency',
    entityId: id,
    details: { message: e.message, startedAt: iso(e.started_at), children: t.total },
  });
  return present(tx, actor, e);
}

/** The running emergency of the caller's campus, or null. */
export async function current(tx: Tx, actor: Actor): Promise<Emergency | null> {
  const e = await repo.runningAt(tx.trx, actor.siteId);
  return e ? present(tx, actor, e) : null;
}

async function ownEmergency(tx: Tx, actor: Actor, id: string) {
  const e = await repo.findEmergency(tx.trx, id);
  assertSameSite(actor, e, 'Emergency');
  if (e.ended_at) throw conflict('emergency_ended', 'This emergency roll call has ended');
  return e;
}

/** A child is accounted for: a volunteer checked in to the child's room today, or staff. Marking twice is harmless. */
export async function accounted(tx: Tx, a: Actor, id: string, checkinId: string): Promise<Emergency> {
  const actor = userActor(a);
  const e = await ownEmergency(tx, actor, id);
  const c = await repo.checkinOfEmergency(tx.trx, id, checkinId);
  if (!c) throw notFound('Check-in');
  if (!isStaff(actor) && !(await repo.servingRoomsToday(tx.trx, actor.id, actor.siteId)).has(c.room_id))
    throw forbidden("Only the volunteers checked in to this child's room, or staff, account for them");
  const marked = await repo.markAccounted(tx.trx, {
    emergency_id: id,
    checkin_id: checkinId,
    organization_id: actor.organizationId,
    room_id: c.room_id,
    marked_by: actor.id,
  });
  if (marked) {
    await insertAudit(tx.trx, actor, {
      action: 'emergency.accounted',
      entity: 'checkin',
      entityId: checkinId,
      details: { emergencyId: id, roomId: c.room_id },
    });
    await announce(tx, actor.siteId, id, 'updated');
  }
  return present(tx, actor, e);
}

export async function end(tx: Tx, a: Actor, id: string): Promise<Emergency> {
  const actor = userActor(a);
  await ownEmergency(tx, actor, id);
  if (!(await repo.endEmergency(tx.trx, id, actor.id))) throw conflict('emergency_ended', 'This emergency roll call has ended');
  const e = (await repo.findEmergency(tx.trx, id))!;
  const children = await repo.emergencyChildren(tx.trx, id);
  const t = await announce(tx, actor.siteId, id, 'ended');
  await insertAudit(tx.trx, actor, {
    action: 'emergency.end',
    entity: 'emergency',
    entityId: id,
    details: {
      startedAt: iso(e.started_at),
      endedAt: iso(e.ended_at),
      total: t.total,
      accounted: t.accounted,
      notAccounted: children.filter((c) => !c.accounted_at).map((c) => c.checkin_id),
    },
  });
  return present(tx, actor, e);
}
