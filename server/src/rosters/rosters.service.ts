import type { MedicalNote, PageStatus, Roster } from '../../../contracts';
import type { Tx } from '../db/transaction';
import { inSequence } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { forbidden, notFound } from '../errors';
import { readsMedicalNotes } from '../policies';
import { insertAudit } from '../audit/audit.repo';
import { standingAlerts } from '../capacity/alerts.repo';
import { presentAlert } from '../capacity/alerts.presenter';
import { MISMATCH } from '../rollcall/mismatch.service';
import { findServiceContext } from '../sites/sites.repo';
import { presentPage, presentRosterEntry } from './rosters.presenter';
import * as repo from './rosters.repo';
import { latestHeadcount, rollCalls, servingRoomsOn } from '../volunteers/volunteers.repo';
import { presentHeadcount } from '../volunteers/volunteers.presenter';
import { assertSameSite } from '../policies/ownership';

/** Who is in a room (or the whole service) right now, with allergy flags and the latest page. */
export async function roster(tx: Tx, actor: Actor, serviceId: string, q: { roomId?: string; status: 'checked_in' | 'all' }): Promise<Roster> {
  const service = await findServiceContext(tx.trx, serviceId);
  assertSameSite(actor, service, 'Service');
  if (q.roomId && !(await repo.serviceHasRoom(tx.trx, serviceId, q.roomId))) throw notFound('Room');
  const rows = await repo.rosterRows(tx.trx, serviceId, q);
  const [custody, pageRows, serving, present, headcount, standing] = await inSequence(
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
    () => (q.roomId ? standingAlerts(tx.trx, serviceId) : Promise.resolve([])),
  );
  const mismatch = standing.find((a) => a.kind === MISMATCH && (a.room_ids ?? []).includes(q.roomId!));
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
    headcountMismatch: mismatch ? presentAlert(mismatch) : null,
  };
}

/**
 * Opens a child's medical note for someone who may read it (server/src/policies: staff, or a
 * volunteer checked in to the child's room); every opening is audited — who (the actor), when,
 * which child — and so is a refusal.
 */
export async function medicalNote(tx: Tx, actor: Actor, checkinId: string): Promise<MedicalNote> {
  const c = await repo.checkinWithNote(tx.trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  const serving = actor.kind === 'user' ? await servingRoomsOn(tx.trx, actor.id, c.service_id) : new Set<string>();
  if (!readsMedicalNotes(actor, { roomId: c.room_id, servingRoomIds: serving })) {
    tx.auditRefusal(actor, { action: 'child.medical_notes_refused', entity: 'child', entityId: c.child_id, details: { checkinId, roomId: c.room_id } });
    throw forbidden("Only staff and the volunteers checked in to the child's room read medical notes");
  }
  await insertAudit(tx.trx, actor, { action: 'child.medical_notes_read', entity: 'child', entityId: c.child_id, details: { checkinId, roomId: c.room_id } });
  return { checkinId, childId: c.child_id, firstName: c.first_name, medicalNotes: String(c.medical_notes ?? '') };
}
