import type { PageStatus, Roster } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { inSequence } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { notFound } from '../errors';
import { findServiceContext } from '../sites/sites.repo';
import { presentPage, presentRosterEntry } from './rosters.presenter';
import * as repo from './rosters.repo';
import { latestHeadcount, rollCalls, servingRoomsOn } from '../volunteers/volunteers.repo';
import { presentHeadcount } from '../volunteers/volunteers.presenter';

/** Who is in a room (or the whole service) right now, with allergy flags and the latest page. */
export async function roster(tx: Tx, actor: Actor, serviceId: string, q: { roomId?: string; status: 'checked_in' | 'all' }): Promise<Roster> {
  const service = await findServiceContext(tx.trx, serviceId);
  if (!service || service.siteId !== actor.siteId) throw notFound('Service');
  if (q.roomId && !(await repo.serviceHasRoom(tx.trx, serviceId, q.roomId))) throw notFound('Room');
  const rows = await repo.rosterRows(tx.trx, serviceId, q);
  const [custody, pageRows, serving, present, headcount] = await inSequence(
    () => repo.householdsWithCustodyAlerts(tx.trx, [...new Set(rows.map((r) => r.household_id))]),
    () =>
      repo.latestPages(
        tx.trx,
        rows.map((r) => r.id),
      ),
    () => (actor.kind === 'user' ? servingRoomsOn(tx.trx, actor.id, serviceId) : Promise.resolve(new Set<string>())),
    () =>
      rollCalls(
        tx.trx,
        rows.map((r) => r.id),
      ),
    () => (q.roomId ? latestHeadcount(tx.trx, serviceId, q.roomId) : Promise.resolve(undefined)),
  );
  const pages = new Map<string, PageStatus[]>();
  for (const p of pageRows) pages.set(p.checkin_id, [...(pages.get(p.checkin_id) ?? []), presentPage(p)]);
  return {
    serviceId,
    roomId: q.roomId ?? null,
    checkins: rows.map((r) =>
      presentRosterEntry(actor, r, {
        serviceDate: service.serviceDate,
        custody,
        pages: pages.get(r.id) ?? [],
        servingRoomIds: serving,
        presentAt: present.get(r.id),
      }),
    ),
    servingRoomIds: [...serving],
    headcount: headcount ? presentHeadcount(headcount) : null,
  };
}
