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
import * as P from './people';
import * as V from './volunteers';

export interface EndpointSpec {
  summary: string;
  body?: ZodType;
  query?: ZodType;
}

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
  'POST /api/checkins/:id/cancel': { summary: 'Undo a mistaken check-in on its service day (staff; the seat is freed, audited)', body: A.CancelCheckinSchema },
  'POST /api/kiosks/:id/test-print': { summary: "Send a test label to a kiosk's printer (staff)" },
  'GET /api/printers': { summary: "Each kiosk printer and its last job's result (staff)" },
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
  'POST /api/auth/switch-campus': { summary: 'Act at another of your campuses (a new sign-in; the old one ends)', body: P.SwitchCampusSchema },
  'GET /api/people': { summary: 'People of the organisation or a campus, with their roles (admin)', query: P.PeopleQuerySchema },
  'POST /api/people': { summary: 'Invite a person (a single-use, expiring link to set a password)', body: P.PersonInviteSchema },
  'PUT /api/people/:id/role': { summary: "Change or remove a person's role at a campus", body: P.PersonRoleSchema },
  'POST /api/people/:id/deactivate': { summary: 'Deactivate a person (sign-ins and sockets end at once)' },
  'POST /api/people/:id/reactivate': { summary: 'Reactivate a person' },
  'POST /api/people/:id/reset-link': { summary: 'A single-use password-reset link' },
  'PUT /api/auth/me/password': { summary: 'Change your own password', body: P.PasswordChangeSchema },
  'POST /api/account/password': { summary: 'Set a password with an invite or reset link', body: P.AccountPasswordSchema },
  'GET /account/:token': { summary: 'The page behind an invite or reset link' },
  'POST /account/:token': { summary: 'The form of that page' },
  'GET /api/org': { summary: 'The organisation, its campuses and rooms template' },
  'POST /api/org/campuses': { summary: "Create a campus from the organisation's template or as a copy of another", body: P.CampusCreateSchema },
  'PUT /api/org/rooms-template': { summary: "The organisation's rooms template", body: P.RoomsTemplateUpdateSchema },
  'GET /api/displays': { summary: "The campus's wall displays (admin)" },
  'POST /api/displays': { summary: 'Create a wall display and its pairing code (admin)', body: A.DisplayCreateSchema },
  'DELETE /api/displays/:id': { summary: 'Unpair a wall display (its token and socket end)' },
  'POST /api/displays/pair': { summary: 'Pair a screen as a read-only wall display', body: A.KioskPairSchema },
  'GET /api/display/me': { summary: 'The display and its campus' },
  'POST /api/households/:id/join-code': {
    summary: "Text a one-time code to the family's own number (the proof for joining a family at the kiosk)",
    body: A.JoinCodeRequestSchema,
  },
  'POST /api/households/:id/merge/preview': { summary: 'What merging another family into this one would move (staff)', body: S.HouseholdMergeSchema },
  'POST /api/households/:id/merge': { summary: 'Merge another family into this one: nothing lost, audited (staff)', body: S.HouseholdMergeSchema },
  'POST /api/imports': { summary: 'Start a CSV import of households (text/csv body; admin)', query: S.ImportStartQuerySchema },
  'GET /api/imports/:id': { summary: "An import's progress and summary" },
  'POST /api/imports/:id/rerun': {
    summary: 'Run an import again from its kept file (after it was interrupted by a restart or failed; re-import changes nothing already imported)',
  },
  'GET /api/services/:id/volunteers': { summary: "The service's volunteer shifts, and who may be checked in (staff)" },
  'POST /api/services/:id/rooms/:roomId/volunteers': {
    summary: "Check a volunteer in to a room (oneself, or staff for someone): the room's volunteer count and ratio limit follow; a name tag",
    body: V.VolunteerCheckinSchema,
  },
  'POST /api/volunteer-shifts/:id/checkout': { summary: 'A volunteer leaves the room (below ratio raises an alert)' },
  'POST /api/services/:id/rooms/:roomId/headcounts': {
    summary: 'Record a manual headcount of a room (a volunteer checked in to it, or staff)',
    body: V.HeadcountCreateSchema,
  },
  'PUT /api/checkins/:id/present': {
    summary: 'Roll call: mark a child present or not yet arrived (a volunteer checked in to the room, or staff)',
    body: V.RollCallSchema,
  },
  'GET /api/reports/volunteers': { summary: 'Who served where and when', query: V.VolunteerReportQuerySchema },
  'PUT /api/people/:id/background-check': { summary: "Record a person's background check: status and expiry (admin)", body: V.BackgroundCheckSchema },
} satisfies Record<string, EndpointSpec>;
export type EndpointKey = keyof typeof ENDPOINTS;
