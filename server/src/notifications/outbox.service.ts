/**
 * The outbox side of parent SMS (DESIGN §5): each function writes notification rows in the
 * caller's transaction. The dispatcher sends them later; nothing here talks to Twilio.
 */
import type { Tx } from '../db/transaction';
import { notifyOutbox } from './signal';
import type { ServiceContext } from '../sites/sites.repo';
import { fitTwoSegments, joinNames, PICKUP_URL_PLACEHOLDER, render, renderFitted } from './templates';
import { insertNotifications, smsRecipients, type OutboxInsert } from './outbox.repo';

const timeIn = (tz: string, at = new Date()) => new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(at);

/** Writes the rows in the caller's transaction; the dispatchers of this process wake once it commits. */
async function toGuardians(tx: Tx, householdId: string, make: (g: { id: string; phone: string }) => OutboxInsert) {
  const guardians = await smsRecipients(tx.trx, householdId);
  const rows = await insertNotifications(tx.trx, guardians.map(make));
  if (rows.length) tx.afterCommit(notifyOutbox);
  return rows;
}

type CheckinReceipt = {
  service: ServiceContext;
  householdId: string;
  batchId: string;
  securityCode: string;
  children: { firstName: string; roomName: string }[];
  /** the family already held this code today: the text says who was added */
  added?: boolean;
};

/** The receipt's text; the check-in's insert statement writes it (its one writer). */
export const checkinReceiptBody = (m: Omit<CheckinReceipt, 'householdId' | 'batchId'>) => {
  const vars = { site: m.service.siteName, code: m.securityCode, service: m.service.name };
  const templates = m.service.settings.smsTemplates;
  return renderFitted(m.added ? templates.checkinAdded : templates.checkinReceipt, [
    { ...vars, children: joinNames(m.children.map((c) => `${c.firstName} (${c.roomName})`)) },
    { ...vars, children: joinNames(m.children.map((c) => c.firstName)) },
    { ...vars, children: m.children.length === 1 ? '1 child' : `${m.children.length} children` },
  ]);
};

export async function enqueueCheckoutConfirmation(
  tx: Tx,
  m: { service: ServiceContext; householdId: string; batchId: string; children: string[]; pickedUpBy: string },
) {
  const vars = { site: m.service.siteName, pickedUpBy: m.pickedUpBy, time: timeIn(m.service.timezone) };
  const body = renderFitted(m.service.settings.smsTemplates.checkoutConfirmation, [
    { ...vars, children: joinNames(m.children) },
    { ...vars, children: m.children.length === 1 ? '1 child' : `${m.children.length} children` },
  ]);
  return toGuardians(tx, m.householdId, (g) => ({
    site_id: m.service.siteId,
    guardian_id: g.id,
    batch_id: m.batchId,
    to: g.phone,
    kind: 'checkout_confirmation',
    body,
  }));
}

export async function enqueuePage(
  tx: Tx,
  m: { service: ServiceContext; householdId: string; checkinId: string; child: string; room: string; message?: string },
) {
  const body = fitTwoSegments(
    render(m.service.settings.smsTemplates.page, {
      site: m.service.siteName,
      child: m.child,
      room: m.room,
      message: m.message ?? '',
    }),
  );
  return toGuardians(tx, m.householdId, (g) => ({ site_id: m.service.siteId, guardian_id: g.id, checkin_id: m.checkinId, to: g.phone, kind: 'page', body }));
}

export { PICKUP_URL_PLACEHOLDER };
