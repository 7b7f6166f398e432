/**
 * The events a webhook endpoint may subscribe to (DESIGN §20), without zod: the staff UI's
 * Webhooks page reads them, and zod would otherwise ride into its bundle.
 * `webhook.test` is the ping, sent to one endpoint on request.
 */
export const WEBHOOK_EVENTS = [
  'checkin.created',
  'checkin.checkedOut',
  'checkin.flagged',
  'alert.raised',
  'alert.cleared',
  'page.sent',
  'volunteer.checkedIn',
  'family.created',
  'emergency.started',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEvent, string> = {
  'checkin.created': 'Children checked in (one event per household check-in and service)',
  'checkin.checkedOut': 'Children checked out (one event per checkout)',
  'checkin.flagged':
    'For the security desk: a child whose family has a custody alert was checked in, or a checkout was refused (or stopped for a check) by a custody alert',
  'alert.raised': 'A room alert was raised (room full, below ratio, headcount mismatch…)',
  'alert.cleared': 'A room alert was cleared',
  'page.sent': 'A checked-in child’s guardians were paged (texted to come to the room)',
  'volunteer.checkedIn': 'A volunteer checked in to a room (or moved to another room of the service)',
  'family.created': 'Families were registered (kiosk or staff: one family; an import: one event per chunk of up to 250 families)',
  'emergency.started': 'An emergency roll call was started',
};
