/**
 * Notification statuses (contracts/sms.ts) and the one rule for moving between them: forwards
 * only. 'sending' is our own claim state (request in flight), not Twilio's "sending".
 * Status callbacks arrive out of order and more than once; a lower rank never overwrites a
 * higher one, and a final status never changes.
 */
import type { NotificationStatus } from '../../../contracts/sms';

export { NOTIFICATION_STATUSES, type NotificationStatus } from '../../../contracts/sms';

const RANK: Record<NotificationStatus, number> = { pending: 0, sending: 1, queued: 2, sent: 3, delivered: 4, undelivered: 4, failed: 4, logged: 4 };

export const rankOf = (s: string): number => RANK[s as NotificationStatus] ?? 0;
export const isFinal = (s: string) => rankOf(s) === 4;

/** The status after `incoming` arrives for a row at `current`: never backwards, finals stay. */
export function advance(current: string, incoming: NotificationStatus): NotificationStatus {
  return rankOf(incoming) > rankOf(current) ? incoming : (current as NotificationStatus);
}

/** Twilio's MessageStatus values mapped onto ours; undefined for ones we ignore (e.g. inbound). */
export function fromTwilioStatus(s: string | undefined): NotificationStatus | undefined {
  switch ((s ?? '').toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return undefined;
  }
}
