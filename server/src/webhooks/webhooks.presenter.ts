import type { Webhook, WebhookDelivery, WebhookDeliveryStatus, WebhookDelivery as D } from '../../../contracts';
import type { DeliveryRow, EndpointRow } from './webhooks.repo';

/** An endpoint as the staff UI sees it: never its secret. */
export const presentWebhook = (r: EndpointRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events,
  siteId: r.site_id,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by_name,
  previousSecretExpiresAt:
    r.previous_secret_expires_at && r.previous_secret_expires_at.getTime() > Date.now() ? r.previous_secret_expires_at.toISOString() : null,
});

/** A delivery's state: never its payload (the receiver has it; the log says what happened to it). */
export const presentDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  event: r.event as D['event'],
  status: r.status as WebhookDeliveryStatus,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
  deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
});
