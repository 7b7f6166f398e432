/** Outbound webhooks (DESIGN §20): an organisation's endpoints, their events and deliveries. */
import { z } from 'zod';

import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS, type WebhookEvent } from './rules/webhook-events';
export { WEBHOOK_EVENTS, WEBHOOK_EVENT_DESCRIPTIONS, type WebhookEvent } from './rules/webhook-events';

/** `whsec_` and the base64 of 32 random bytes (the Standard Webhooks secret format). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const UrlField = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(2000, 'is at most 2000 characters')
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'https:' || p === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');
const EventsField = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }), { error: 'is required: a list of events' })
  .min(1, 'needs at least one event')
  .max(WEBHOOK_EVENTS.length)
  .refine((s) => new Set(s).size === s.length, 'lists an event twice');

export const WebhookCreateSchema = z
  .object({
    url: UrlField,
    events: EventsField,
    siteId: z.uuid({ error: 'must be a campus id (UUID)' }).nullish(),
  })
  .strict();
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

export const WebhookUpdateSchema = z
  .object({
    url: UrlField.optional(),
    events: EventsField.optional(),
    siteId: z.uuid({ error: 'must be a campus id (UUID)' }).nullish(),
    active: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();
export type WebhookUpdate = z.infer<typeof WebhookUpdateSchema>;

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  /** the campus whose events it receives; null: every campus of the organisation */
  siteId: string | null;
  active: boolean;
  createdAt: string;
  createdBy: string | null;
  /** until when the secret before the last rotation still signs deliveries (null: none) */
  previousSecretExpiresAt: string | null;
}
/** `POST /api/org/webhooks` → 201 and `POST /api/org/webhooks/:id/rotate-secret`: the secret, shown this once. */
export interface WebhookCreated {
  webhook: Webhook;
  secret: string;
}
export interface WebhookList {
  webhooks: Webhook[];
}
export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';
export interface WebhookDelivery {
  /** also the `webhook-id` header, the same on every attempt */
  id: string;
  event: WebhookEvent | 'webhook.test';
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** when the next attempt is due (pending ones) */
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
export interface WebhookDeliveryList {
  deliveries: WebhookDelivery[];
}

// ---- what each event's body carries (the OpenAPI document's `webhooks` section is made from these) ----
// ids, names, rooms and times; never a security code, a medical note, an allergy, a phone or a photo

const Iso = z.string().describe('ISO 8601 time');
const Uuid = z.uuid();
const Child = z
  .object({
    checkinId: Uuid,
    childId: Uuid.nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    roomId: Uuid.nullable(),
    roomName: z.string().nullable(),
  })
  .strict();
const envelopeOf = <T extends string, D extends z.ZodType>(type: T, data: D, description: string) =>
  z
    .object({ type: z.literal(type), timestamp: Iso.describe('when the event happened'), data })
    .strict()
    .describe(description);
const AlertData = z
  .object({
    siteId: Uuid,
    alertId: Uuid,
    serviceId: Uuid.nullable().describe("null: the campus's alert, of no one service (a label printer down)"),
    serviceName: z.string().nullable(),
    kind: z.enum([
      'open_room',
      'room_full',
      'below_ratio',
      'headcount_mismatch',
      'waiting_for_volunteers',
      'forecast_open_room',
      'forecast_volunteers',
      'printer_paper_out',
      'printer_head_open',
      'printer_paused',
      'printer_unreachable',
    ]),
    ageGroup: z.string(),
    message: z.string(),
    rooms: z.array(z.object({ id: Uuid, name: z.string().nullable() }).strict()),
    raisedAt: Iso,
    clearedAt: Iso.nullable(),
  })
  .strict();

export const WEBHOOK_PAYLOADS = {
  'checkin.created': envelopeOf(
    'checkin.created',
    z
      .object({
        siteId: Uuid,
        batchId: Uuid.describe('the household check-in'),
        serviceId: Uuid,
        serviceName: z.string().nullable(),
        checkedInAt: Iso,
        checkins: z.array(Child),
      })
      .strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['checkin.created'],
  ),
  'checkin.checkedOut': envelopeOf(
    'checkin.checkedOut',
    z
      .object({
        siteId: Uuid,
        serviceId: Uuid,
        serviceName: z.string().nullable(),
        checkedOutAt: Iso,
        checkins: z.array(Child.extend({ pickedUpBy: z.string().nullable().describe('the name of who picked up') }).strict()),
      })
      .strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['checkin.checkedOut'],
  ),
  'checkin.flagged': envelopeOf(
    'checkin.flagged',
    z
      .object({
        siteId: Uuid,
        reason: z
          .enum(['custody_alert_checkin', 'checkout_refused'])
          .describe('custody_alert_checkin: children checked in while their family has a custody alert; checkout_refused: a custody alert stopped a checkout'),
        serviceId: Uuid,
        serviceName: z.string().nullable(),
        batchId: Uuid.describe('the household check-in'),
        at: Iso,
        checkins: z.array(
          Child.extend({
            restrictedPersons: z.array(z.string()).describe('the names on the custody alerts for this child: who may not pick up (never the note)'),
          }).strict(),
        ),
        attemptedBy: z.string().nullable().describe('checkout_refused: the name of who tried to pick up'),
        match: z
          .enum(['full', 'partial'])
          .nullable()
          .describe('checkout_refused: full (stopped outright) or partial (a resembling name: stopped until a staff member checks and overrides)'),
      })
      .strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['checkin.flagged'],
  ),
  'alert.raised': envelopeOf('alert.raised', AlertData, WEBHOOK_EVENT_DESCRIPTIONS['alert.raised']),
  'alert.cleared': envelopeOf('alert.cleared', AlertData, WEBHOOK_EVENT_DESCRIPTIONS['alert.cleared']),
  'page.sent': envelopeOf(
    'page.sent',
    Child.extend({
      siteId: Uuid,
      serviceId: Uuid,
      serviceName: z.string().nullable(),
      batchId: Uuid,
      guardiansTexted: z.number().int().describe('how many guardians the page was texted to (never their phones, nor the message)'),
      pagedAt: Iso,
    }).strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['page.sent'],
  ),
  'volunteer.checkedIn': envelopeOf(
    'volunteer.checkedIn',
    z
      .object({
        siteId: Uuid,
        shiftId: Uuid,
        userId: Uuid,
        name: z.string(),
        serviceId: Uuid,
        serviceName: z.string(),
        roomId: Uuid,
        roomName: z.string(),
        movedFromRoomId: Uuid.nullable().describe('the room of the service they left for this one, if any'),
        checkedInAt: Iso,
      })
      .strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['volunteer.checkedIn'],
  ),
  'family.created': envelopeOf(
    'family.created',
    z
      .object({
        siteId: Uuid,
        source: z.enum(['kiosk', 'desk', 'import']),
        createdAt: Iso,
        families: z.array(
          z
            .object({
              householdId: Uuid,
              name: z.string(),
              children: z.array(z.object({ childId: Uuid, firstName: z.string(), lastName: z.string() }).strict()),
            })
            .strict(),
        ),
      })
      .strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['family.created'],
  ),
  'emergency.started': envelopeOf(
    'emergency.started',
    z.object({ siteId: Uuid, emergencyId: Uuid, childrenPresent: z.number().int(), startedAt: Iso }).strict(),
    WEBHOOK_EVENT_DESCRIPTIONS['emergency.started'],
  ),
  'webhook.test': envelopeOf(
    'webhook.test',
    z.object({ webhookId: Uuid, organizationId: Uuid, message: z.string() }).strict(),
    'A test ping, sent to one endpoint when an organisation admin asks (POST /api/org/webhooks/:id/test)',
  ),
} satisfies Record<WebhookEvent | 'webhook.test', z.ZodType>;
