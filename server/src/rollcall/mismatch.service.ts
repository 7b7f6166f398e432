/**
 * The headcount alarm (DESIGN §15): a manual headcount or a submitted roll call that disagrees
 * with the system's count raises `headcount_mismatch` for the room at once — one standing alert
 * per room, keyed by the room's name like `below_ratio` — naming the children not marked present
 * when it was a roll call. A later count that agrees clears it; staff may clear it by hand with a
 * note (audited). Each new disagreeing count is a new alarm (the old one is cleared, a new one
 * raised), so every screen beeps again: a second short count is news, not a rewording.
 */
import type { MissingChild } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import type { ServiceContext } from '../sites/sites.repo';
import { conflict } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { presentAlert } from '../capacity/alerts.presenter';
import * as alerts from '../capacity/alerts.repo';
import { assertSameSite } from '../policies/ownership';

export const MISMATCH = 'headcount_mismatch' as const;
/** What separates the names from the rest of the message (the wall display drops what follows). */
export const MISSING_NAMES = ' — not marked present: ';

const initial = (s: string) => (s.trim() ? ` ${s.trim()[0]!.toUpperCase()}.` : '');

/** The alarm's words: the room, both counts, and for a roll call who was not marked present. */
export function mismatchMessage(room: string, kind: 'headcount' | 'roll_call', count: number, systemCount: number, missing: MissingChild[]): string {
  const what = kind === 'roll_call' ? `roll call ${count}` : `headcount ${count}`;
  const diff = count < systemCount ? `${systemCount - count} short` : `${count - systemCount} more than checked in`;
  const head = `${room}: ${what}, system ${systemCount} (${diff})`;
  if (kind !== 'roll_call' || missing.length === 0) return head;
  return `${head}${MISSING_NAMES}${missing.map((c) => `${c.firstName}${initial(c.lastName)}`).join(', ')}`;
}

/**
 * After a count of a room was recorded: raise the alarm when it disagrees (replacing a standing
 * one), clear it when it agrees. Returns the standing alarm's id, or null.
 */
/*
 * Lock order (DESIGN §21, capacity.service writeAlertsInOrder): the alarm is one alerts row per
 * service, kind and room, written by this file alone (judgeCount, clearWithNote), one row per
 * transaction and no room lock taken after it, so it cannot wait in a cycle with the paths that
 * write the capacity alerts in their global order.
 */
export async function judgeCount(
  tx: Tx,
  service: ServiceContext,
  room: { roomId: string; name: string },
  kind: 'headcount' | 'roll_call',
  count: number,
  systemCount: number,
  missing: MissingChild[] = [],
): Promise<string | null> {
  const standing = (await alerts.standingAlerts(tx.trx, service.id)).filter((a) => a.kind === MISMATCH && a.age_group === room.name);
  for (const a of standing) {
    const row = await alerts.clear(tx.trx, a.id);
    if (row) tx.events.push({ name: 'alert.cleared', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
  }
  if (count === systemCount) return null;
  const row = await alerts.tryRaise(tx.trx, {
    site_id: service.siteId,
    service_id: service.id,
    kind: MISMATCH,
    age_group: room.name,
    room_ids: [room.roomId],
    message: mismatchMessage(room.name, kind, count, systemCount, missing),
    projected_minutes: null,
  });
  if (!row) return null;
  tx.events.push({ name: 'alert.raised', siteId: service.siteId, audience: 'staff', payload: presentAlert(row) });
  return row.id;
}

/** Staff clear a headcount alarm by hand, with a note saying why (kept in the audit log). */
export async function clearWithNote(tx: Tx, actor: Actor, alertId: string, note: string) {
  const found = await alerts.findAlert(tx.trx, alertId);
  assertSameSite(actor, found, 'Alert');
  if (found.kind !== MISMATCH) throw conflict('not_clearable', 'This alert clears by itself when the rooms change; acknowledge it instead');
  const row = await alerts.clear(tx.trx, alertId);
  if (!row) throw conflict('already_cleared', 'This alert is already cleared');
  await insertAudit(tx.trx, actor, {
    action: 'alert.clear',
    entity: 'alert',
    entityId: alertId,
    details: { kind: found.kind, serviceId: found.service_id, roomIds: found.room_ids ?? [], message: found.message, note },
  });
  const alert = presentAlert(row);
  tx.events.push({ name: 'alert.cleared', siteId: actor.siteId, audience: 'staff', payload: alert });
  return alert;
}
