/** Parent SMS (DESIGN §5): the outbox rows as the staff UI sees them, and the page result. */

/**
 * pending (queued in our outbox) → sending (a dispatcher is talking to Twilio) → queued (Twilio
 * accepted it) → sent (handed to the carrier) → delivered | undelivered | failed (final).
 * A status never goes backwards. 'logged' (final) is a message no provider was configured to
 * send: it was written to the server log, not sent — the UIs say so instead of "Sent".
 */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'failed', 'logged'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type NotificationKind = 'checkin_receipt' | 'checkout_confirmation' | 'page' | 'precheckin_link';

export interface NotificationSummary {
  id: string;
  kind: NotificationKind;
  status: NotificationStatus;
  error: string | null;
  checkinId: string | null;
  batchId: string | null;
  guardianId: string | null;
  /** The recipient with all but the last 4 digits hidden. */
  toMasked: string;
  /** The text; the pickup link shows as "[pickup pass link]" (the token is never stored). */
  body: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

/** `POST /api/checkins/:id/page` → 201 */
export interface PageResult {
  checkinId: string;
  childId: string;
  notifications: NotificationSummary[];
  /** Pages still allowed for this child in the current hour (PAGES_PER_CHILD_PER_HOUR). */
  pagesLeftThisHour: number;
}

/** `GET /api/checkins/:id/notifications` → 200: the child's page(s), and the family's receipt and checkout texts. */
export interface NotificationList {
  notifications: NotificationSummary[];
}
