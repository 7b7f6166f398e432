/**
 * The endpoint map: each route's request schemas (body, query), shared by the server (which
 * validates with them and publishes them as OpenAPI at /api/openapi.json) and the UIs (which
 * import its types only, so zod stays out of their bundles). A route that takes no input is
 * listed with its summary alone; `tests/api/openapi.test.ts` fails when a served route is missing
 * here or an entry names a route that is not served.
 */
import type { ZodType } from 'zod';
import * as A from './api';
import * as S from './staff';

export interface EndpointSpec { summary: string; body?: ZodType; query?: ZodType }

export const ENDPOINTS = {
  'GET /api/rooms': { summary: "The campus's rooms (admin)" },
  'POST /api/rooms': { summary: 'Add a room', body: S.RoomCreateSchema },
  'PATCH /api/rooms/:id': { summary: 'Change a room', body: S.RoomPatchSchema },
  'DELETE /api/rooms/:id': { summary: 'Archive a room' },
  'GET /api/services': { summary: 'Services in a date range', query: S.ServiceListQuerySchema },
  'POST /api/services': { summary: 'Add a service (its rooms open as configured)', body: S.ServiceCreateSchema },
  'PATCH /api/services/:id': { summary: 'Change a service', body: S.ServicePatchSchema },
  'DELETE /api/services/:id': { summary: 'Delete a service without check-ins' },
  'GET /api/site': { summary: 'The campus' },
  'PATCH /api/site': { summary: 'Rename the campus or change its timezone', body: S.SitePatchSchema },
  'GET /api/site/settings': { summary: 'Check-in rules and SMS wording' },
  'PATCH /api/site/settings': { summary: 'Change only the settings sent', body: S.SiteSettingsUpdateSchema },
  'GET /api/children/:id/audit': { summary: "A child's audit trail (staff)" },
  'POST /api/auth/login': { summary: 'Sign in', body: A.LoginSchema },
  'POST /api/auth/logout': { summary: "Sign out (this sign-in's sockets end)" },
  'POST /api/users/:id/unlock': { summary: 'Lift a sign-in lock (admin)' },
  'GET /api/auth/me': { summary: 'Who am I (user or kiosk)' },
  'GET /api/services/:id/rooms': { summary: 'Rooms with physical headcount, limit, volunteers and status' },
  'PATCH /api/services/:id/rooms/:roomId': { summary: 'Open or close a room, set capacity, volunteers, ratio override', body: A.ServiceRoomPatchSchema },
  'GET /api/alerts': { summary: 'Open-a-room and turned-away alerts of a service' },
  'POST /api/alerts/:id/ack': { summary: 'Acknowledge an alert' },
  'POST /api/checkins': { summary: 'Check children in to one or more services (idempotent by key and body)', body: A.CheckinCreateSchema },
  'POST /api/checkins/:id/move': { summary: 'Move a child to another room (staff)' },
  'GET /api/households/search': { summary: 'Find families by name, phone or child (staff)', query: S.FamilySearchQuerySchema },
  'GET /api/households/:id': { summary: 'A family, in full (staff)' },
  'GET /api/households': { summary: 'Families by full phone or last 4 digits', query: A.HouseholdLookupQuerySchema },
  'POST /api/households': { summary: 'Register a family', body: A.HouseholdCreateSchema },
  'POST /api/kiosks': { summary: 'Create a kiosk and its pairing code (admin)', body: A.KioskCreateSchema },
  'POST /api/kiosks/pair': { summary: 'Pair a tablet with a pairing code', body: A.KioskPairSchema },
  'GET /api/kiosks': { summary: "The campus's kiosks (admin)" },
  'POST /api/kiosks/:id/pairing-code': { summary: 'A new pairing code (re-pair)' },
  'DELETE /api/kiosks/:id': { summary: 'Unpair a kiosk (its token and sockets end)' },
  'GET /api/kiosk/me': { summary: 'The kiosk and its site' },
  'POST /api/checkins/:id/page': { summary: 'Page the guardians by SMS', body: A.PageCreateSchema },
  'GET /api/checkins/:id/notifications': { summary: "The child's pages and the family's texts with delivery status" },
  'POST /webhooks/twilio/status': { summary: 'Twilio delivery status (signed)' },
  'POST /webhooks/twilio/inbound': { summary: 'Inbound SMS: STOP, START, HELP (signed)' },
  'GET /pass/:token': { summary: "The parent's pickup pass page" },
  'POST /api/pickups/verify': { summary: 'Verify a pickup code or pass: children, who may take them, custody alerts', body: A.PickupVerifySchema },
  'POST /api/checkouts': { summary: 'Release children to a listed adult (overrides where the rules require)', body: A.CheckoutCreateSchema },
  'PUT /api/auth/me/override-pin': { summary: 'Set your override PIN (staff)', body: A.OverridePinSchema },
  'POST /api/checkins/:id/undo-checkout': { summary: 'Undo a checkout within 15 minutes (staff)', body: A.UndoCheckoutSchema },
  'POST /api/print/labels': { summary: "Send a check-in's labels to the kiosk's Zebra printer", body: A.PrintLabelsSchema },
  'POST /api/checkins/:id/labels': { summary: "Reprint a family's labels (staff)", body: A.ReprintLabelsSchema },
  'GET /api/reports/attendance': { summary: 'Attendance per service and room', query: S.ReportRangeQuerySchema },
  'GET /api/reports/attendance.csv': { summary: 'Attendance as CSV', query: S.ReportCsvQuerySchema },
  'GET /api/reports/services/:id': { summary: "One service's report" },
  'GET /api/reports/services/:id/timeline': { summary: 'Arrivals over time', query: S.TimelineQuerySchema },
  'GET /api/services/:id/roster': { summary: 'Who is in which room', query: S.RosterQuerySchema },
  'GET /api/services/current': { summary: 'Services open for check-in' },
  'GET /api/services/today': { summary: 'Services pickup and the dashboard serve today' },
  'PATCH /api/households/:id': { summary: 'Change a family (name)', body: S.HouseholdPatchSchema },
  'DELETE /api/households/:id/children/:childId': { summary: 'Remove a child' },
  'DELETE /api/households/:id/custody-alerts/:alertId': { summary: 'Remove a custody alert' },
  'DELETE /api/households/:id/guardians/:guardianId': { summary: 'Remove a guardian' },
  'DELETE /api/households/:id/pickups/:pickupId': { summary: 'Remove an authorised pickup' },
  'PATCH /api/households/:id/children/:childId': { summary: 'Change a child', body: S.ChildPatchSchema },
  'PATCH /api/households/:id/custody-alerts/:alertId': { summary: 'Change a custody alert', body: S.CustodyAlertPatchSchema },
  'PATCH /api/households/:id/guardians/:guardianId': { summary: 'Change a guardian', body: S.GuardianPatchSchema },
  'PATCH /api/households/:id/pickups/:pickupId': { summary: 'Change an authorised pickup', body: S.AuthorizedPickupPatchSchema },
  'POST /api/households/:id/children': { summary: 'Add a child', body: S.ChildCreateSchema },
  'POST /api/households/:id/custody-alerts': { summary: 'Add a custody alert', body: S.CustodyAlertCreateSchema },
  'POST /api/households/:id/guardians': { summary: 'Add a guardian', body: S.GuardianCreateSchema },
  'POST /api/households/:id/pickups': { summary: 'Add an authorised pickup', body: S.AuthorizedPickupCreateSchema },
  'GET /healthz': { summary: 'Liveness with a database check' },
  'GET /metrics': { summary: 'Prometheus metrics' },
  'GET /api/openapi.json': { summary: 'This document' },
} satisfies Record<string, EndpointSpec>;
export type EndpointKey = keyof typeof ENDPOINTS;
