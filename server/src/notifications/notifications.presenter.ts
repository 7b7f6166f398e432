import type { NotificationUpdatedEvent } from '../../../contracts';
import type { NotificationKind, NotificationStatus, NotificationSummary } from '../../../contracts/sms';
import { PICKUP_URL_PLACEHOLDER, PRECHECK_URL_PLACEHOLDER } from './templates';
import type { NotificationRow } from './dispatch.repo';
import { iso, maskPhone } from '../../../contracts/rules';

export function notificationEvent(row: NotificationRow): NotificationUpdatedEvent {
  return { id: row.id, checkinId: row.checkin_id, batchId: row.batch_id, kind: row.kind, status: row.status, error: row.error, updatedAt: iso(row.updated_at) };
}

/** `hideCode`: the security code to mask in the text (for readers who are not staff). */
export function presentNotification(row: NotificationRow, opts: { hideCode?: string | null } = {}): NotificationSummary {
  let body = row.body.split(PICKUP_URL_PLACEHOLDER).join('[pickup pass link]').split(PRECHECK_URL_PLACEHOLDER).join('[pre-check-in link]');
  if (opts.hideCode) body = body.split(opts.hideCode).join('••••');
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    status: row.status as NotificationStatus,
    error: row.error,
    checkinId: row.checkin_id,
    batchId: row.batch_id,
    guardianId: row.guardian_id,
    toMasked: maskPhone(row.to),
    body,
    attempts: row.attempts,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    sentAt: iso(row.sent_at),
  };
}
