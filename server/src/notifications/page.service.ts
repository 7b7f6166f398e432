/** Page-a-parent (DESIGN §1.4): staff or a volunteer texts the guardians of a checked-in child. */
import { PAGES_PER_CHILD_PER_HOUR } from '../../../contracts';
import type { PageResult } from '../../../contracts/sms';
import type { Tx } from '../db/transaction';
import { isStaff, type Actor } from '../auth/actor';
import { conflict, notFound, tooMany } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { findServiceContext } from '../sites/sites.repo';
import { enqueuePage } from './outbox.service';
import { notificationEvent, presentNotification } from './notifications.presenter';
import * as repo from './page.repo';
import { assertSameSite } from '../policies/ownership';
import { childOf } from '../webhooks/webhook-outbox';

export async function pageGuardians(tx: Tx, actor: Actor, checkinId: string, input: { message?: string }): Promise<PageResult> {
  const { trx } = tx;
  const c = await repo.lockCheckin(trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  if (c.status !== 'checked_in') throw conflict('not_checked_in', `${c.first_name} is not checked in any more`);
  const recent = await repo.pagesInLastHour(trx, actor.siteId, c.child_id);
  if (recent >= PAGES_PER_CHILD_PER_HOUR) {
    throw tooMany(`${c.first_name}'s family has already been paged ${recent} times in the last hour`);
  }
  const service = await findServiceContext(trx, c.service_id);
  if (!service) throw notFound('Service');
  const inserted = await enqueuePage(tx, {
    service,
    householdId: c.household_id,
    checkinId: c.id,
    child: c.first_name,
    room: c.room_name,
    message: input.message,
  });
  if (!inserted.length) throw conflict('no_sms_recipient', 'No guardian of this family can receive texts (none opted in, or they replied STOP)');
  const rows = await repo.notificationsByIds(
    trx,
    inserted.map((n) => n.id),
  );
  await insertAudit(trx, actor, {
    action: 'checkin.page',
    entity: 'checkin',
    entityId: c.id,
    details: { childId: c.child_id, message: input.message ?? null, notificationIds: rows.map((r) => r.id) },
  });
  for (const r of rows) tx.events.push({ name: 'notification.updated', siteId: r.site_id, audience: 'staff', payload: notificationEvent(r) });
  // webhook page.sent: who was paged and where, never the message (staff may type anything in it) nor a phone
  const pagedAt = new Date().toISOString();
  tx.webhook({
    siteId: c.site_id,
    event: 'page.sent',
    checkinIds: [c.id],
    serviceIds: [c.service_id],
    build: (n) => ({
      siteId: c.site_id,
      serviceId: c.service_id,
      serviceName: n.services.get(c.service_id) ?? null,
      batchId: c.batch_id,
      ...childOf(n, c.id),
      guardiansTexted: rows.length,
      pagedAt,
    }),
  });
  return {
    checkinId: c.id,
    childId: c.child_id,
    notifications: rows.map((r) => presentNotification(r)),
    pagesLeftThisHour: PAGES_PER_CHILD_PER_HOUR - recent - 1,
  };
}

export async function listForCheckin(tx: Tx, actor: Actor, checkinId: string) {
  const c = await repo.findCheckin(tx.trx, checkinId);
  assertSameSite(actor, c, 'Check-in');
  // volunteers read delivery status, not the family's code (the receipt text carries it)
  const hideCode = !isStaff(actor) ? c.security_code : null;
  return { notifications: (await repo.notificationsForCheckin(tx.trx, c.id, c.batch_id)).map((n) => presentNotification(n, { hideCode })) };
}
