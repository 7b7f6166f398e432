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
import * as Ph from './photos';
import type { Photo } from './photos';
import * as E from './accounted';
import type { Broadcast, Emergency, RollCallResult } from './accounted';
import * as PR from './privacy';
import type { FamilyErased, FamilyExport, RetentionSettings } from './privacy';
import * as AK from './apikeys';
// label templates (#29)
import * as LT from './label-templates';
import type { LabelTemplateList, LabelTemplatePreview, LabelTemplateSlot, StoredLabelTemplate } from './label-templates';
import type { ApiKey, ApiKeyCreated, ApiKeyList } from './apikeys';
import type { ServiceForecast } from './forecast';
import * as WH from './webhooks';
import type { Webhook, WebhookCreated, WebhookDelivery, WebhookDeliveryList, WebhookList } from './webhooks';
// printers (DESIGN §18)
import * as PRN from './printers';
import * as RL from './room-location';
import type { Printer } from './printers';
// key tags (#29)
import * as KT from './keytags';
import type { KeyTagPrinted } from './keytags';
import type {
  AuditEntry,
  CheckoutResult,
  Display,
  DisplayPairing,
  DisplayPairResult,
  DisplaySelf,
  ExpressCodeIssued,
  ExpressCodeStatus,
  Health,
  HouseholdSummary,
  JoinCodeSent,
  Kiosk,
  KioskHouseholdSummary,
  KioskPairing,
  KioskPairResult,
  KioskSelf,
  LoginResult,
  Me,
  PickupVerification,
  PrinterStatus,
  PrintLabelsResult,
  ReprintResult,
  Service,
  ServiceRoom,
  TodayService,
} from './api';
import type { AlertEvent } from './events';
import type { CampusCreated, OrganizationInfo, Person, PersonLink } from './people';
import type { NotificationList, PageResult } from './sms';
import type {
  AttendanceReport,
  FamilyDetail,
  FamilySearchResult,
  ImportJob,
  ImportStarted,
  MergeCandidate,
  MergePreview,
  MergeUndoable,
  RollupReport,
  Roster,
  Schedule,
  ServiceReport,
  ServiceSummary,
  SiteInfo,
  SiteWithSettings,
  Timeline,
  MedicalNote,
} from './staff';
import type {
  KioskVolunteer,
  KioskVolunteerCheckinResult,
  RoomHeadcount,
  ServiceVolunteers,
  VolunteerCheckinResult,
  VolunteerPerson,
  VolunteerReport,
  VolunteerShift,
} from './volunteers';

export interface EndpointSpec {
  summary: string;
  body?: ZodType;
  query?: ZodType;
}

export const ENDPOINTS = {
  'GET /api/rooms': { summary: "The campus's rooms (admin)" },
  'POST /api/rooms': { summary: 'Add a room', body: RL.RoomWithLocationCreateSchema },
  'PATCH /api/rooms/:id': { summary: 'Change a room', body: RL.RoomWithLocationPatchSchema },
  'DELETE /api/rooms/:id': { summary: 'Archive a room' },
  'GET /api/services': { summary: 'Services in a date range', query: S.ServiceListQuerySchema },
  'POST /api/services': { summary: 'Add a service (its rooms open as configured)', body: S.ServiceCreateSchema },
  'PATCH /api/services/:id': { summary: 'Change a service', body: S.ServicePatchSchema },
  'DELETE /api/services/:id': { summary: 'Delete a service without check-ins' },
  'GET /api/org/reports/attendance': { summary: 'Every campus: attendance by weekend and age group (organisation admins)', query: S.ReportRangeQuerySchema },
  'GET /api/org/reports/attendance.csv': { summary: 'The same, as CSV (organisation admins)', query: S.ReportRangeQuerySchema },
  'GET /api/schedules': { summary: "The campus's weekly service times, their skipped dates and generated services (admin)" },
  'POST /api/schedules': { summary: 'Add a weekly service time: makes its services 8 weeks ahead', body: S.ScheduleCreateSchema },
  'POST /api/schedules/generate': { summary: 'Make any missing services of the next 8 weeks now (the server also does it hourly)' },
  'PATCH /api/schedules/:id': { summary: 'Change a weekly service time: its unused future services are made anew', body: S.SchedulePatchSchema },
  'DELETE /api/schedules/:id': { summary: 'End a weekly service time (its unused future services go)' },
  'POST /api/schedules/:id/skips': { summary: 'Skip one date of a weekly service time', body: S.ScheduleSkipSchema },
  'DELETE /api/schedules/:id/skips/:date': { summary: 'Take a skipped date back' },
  'GET /api/site': { summary: 'The campus' },
  'PATCH /api/site': { summary: 'Rename the campus or change its timezone', body: S.SitePatchSchema },
  'GET /api/site/settings': { summary: "Check-in rules and SMS wording: effective, the organisation's defaults, and which keys this campus changed" },
  'PATCH /api/site/settings': { summary: 'Change only the settings sent; null: use the organisation default again', body: S.SiteSettingsUpdateSchema },
  'GET /api/children/:id/audit': { summary: "A child's audit trail (staff)" },
  'POST /api/auth/login': { summary: 'Sign in', body: A.LoginSchema },
  'POST /api/auth/logout': { summary: "Sign out (this sign-in's sockets end)" },
  'POST /api/users/:id/unlock': { summary: 'Lift a sign-in lock (admin)' },
  'GET /api/auth/me': { summary: 'Who am I (user or kiosk)' },
  'GET /api/services/:id/rooms': { summary: 'Rooms with physical headcount, limit, volunteers and status' },
  'PATCH /api/services/:id/rooms/:roomId': { summary: 'Open or close a room, set capacity, volunteers, ratio override', body: A.ServiceRoomPatchSchema },
  'GET /api/alerts': { summary: 'Open-a-room and turned-away alerts of a service', query: A.AlertListQuerySchema },
  'POST /api/alerts/:id/ack': { summary: 'Acknowledge an alert' },
  'POST /api/checkins': { summary: 'Check children in to one or more services (idempotent by key and body)', body: A.CheckinCreateSchema },
  'POST /api/checkins/:id/move': { summary: 'Move a child to another room (staff)', body: A.CheckinMoveSchema },
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
  'GET /pass/:token': { summary: "The parent's pickup pass page (with the family's express code for next time)" },
  'POST /pass/:token/precheck': { summary: 'From the pass page: open a pre-check-in link for the family (a redirect to it)' },
  'GET /precheck/:token': { summary: 'The pre-check-in page of a single-family, expiring link (public behind the link; rate-limited)' },
  'POST /precheck/:token': { summary: 'Choose children and services (form fields child, service); no seat is taken (rate-limited)' },
  'POST /api/households/:id/precheckin-link': { summary: 'Text the family a pre-check-in link now (staff, audited)' },
  'POST /api/pickups/verify': { summary: 'Verify a pickup code or pass: children, who may take them, custody alerts', body: A.PickupVerifySchema },
  'POST /api/checkouts': { summary: 'Release children to a listed adult (overrides where the rules require)', body: A.CheckoutCreateSchema },
  'PUT /api/auth/me/override-pin': { summary: 'Set your override PIN (staff)', body: A.OverridePinSchema },
  'POST /api/checkins/:id/undo-checkout': { summary: 'Undo a checkout within 15 minutes (staff)', body: A.UndoCheckoutSchema },
  'POST /api/print/labels': { summary: "Send a check-in's labels to the kiosk's Zebra printer", body: A.PrintLabelsSchema },
  'POST /api/print/family-labels': {
    summary: "A parent reprints the family's labels at a kiosk, proved by the tag's code or the pass",
    body: A.FamilyReprintSchema,
  },
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
  'PATCH /api/households/:id': { summary: 'Change a family (name, language)', body: S.HouseholdPatchSchema },
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
  'PATCH /api/org/campuses/:id': { summary: 'Rename a campus of the organisation or change its time zone (organisation admins)', body: S.SitePatchSchema },
  'PUT /api/org/rooms-template': { summary: "The organisation's rooms template", body: P.RoomsTemplateUpdateSchema },
  'PATCH /api/org/settings': {
    summary: "The organisation's default settings, live at every campus that did not change the key (null: the built-in default)",
    body: S.OrgSettingsUpdateSchema,
  },
  'GET /api/households/:id/export': { summary: 'Everything held about a family, as one JSON document (admin, audited)' },
  'DELETE /api/households/:id': {
    summary: "Erase a family's personal data; the attendance record stays under a pseudonym (admin, audited, idempotent)",
    body: PR.HouseholdEraseSchema,
  },
  'GET /api/org/retention': { summary: "The organisation's retention: import files, message bodies, inactive families (admin)" },
  'PATCH /api/org/retention': {
    summary: "Change the organisation's retention (organisation admin; null: the built-in default)",
    body: PR.RetentionUpdateSchema,
  },
  'GET /api/displays': { summary: "The campus's wall displays (admin)" },
  'POST /api/displays': { summary: 'Create a wall display and its pairing code (admin)', body: A.DisplayCreateSchema },
  'DELETE /api/displays/:id': { summary: 'Unpair a wall display (its token and socket end)' },
  'POST /api/displays/pair': { summary: 'Pair a screen as a read-only wall display', body: A.KioskPairSchema },
  'GET /api/display/me': { summary: 'The display and its campus' },
  'POST /api/households/:id/join-code': {
    summary: "Text a one-time code to the family's own number (the proof for joining a family at the kiosk)",
    body: A.JoinCodeRequestSchema,
  },
  'POST /api/households/express': { summary: 'Express check-in: the family of a key-tag code (kiosk; rate-limited)', body: A.ExpressResolveSchema },
  'GET /api/households/:id/express-code': { summary: 'Whether a family has an active express check-in code (staff)' },
  'POST /api/households/:id/express-code': { summary: 'Issue or re-issue a family express code: returned once, with its QR (staff, audited)' },
  'DELETE /api/households/:id/express-code': { summary: "Revoke a family's express code (staff, audited)" },
  'POST /api/households/:id/merge/preview': { summary: 'What merging another family into this one would move (staff)', body: S.HouseholdMergeSchema },
  'POST /api/households/:id/merge': { summary: 'Merge another family into this one: nothing lost, audited (staff)', body: S.HouseholdMergeSchema },
  'GET /api/households/:id/merge/candidates': {
    summary: 'Families that may be the same as this one: guardians with masked numbers, those sharing a number or a guardian name first (staff)',
    query: S.MergeCandidatesQuerySchema,
  },
  'GET /api/households/:id/merges': { summary: 'Merges into this family that can still be undone (24 hours; staff)' },
  'POST /api/household-merges/:id/undo': { summary: 'Undo a merge within 24 hours: both families exactly as before, audited (staff)' },
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
  'POST /api/kiosk/volunteers/lookup': {
    summary: "A volunteer at a check-in kiosk by phone number: their own name, their room, the service's open rooms",
    body: V.KioskVolunteerLookupSchema,
  },
  'POST /api/kiosk/volunteers/checkin': {
    summary: "A volunteer checks in to a room at a kiosk (background-check gate); the name tag goes to the kiosk's printer",
    body: V.KioskVolunteerCheckinSchema,
  },
  'POST /api/kiosk/volunteers/checkout': { summary: 'A volunteer checks out at a kiosk', body: V.KioskVolunteerLookupSchema },
  'GET /api/volunteers': { summary: "The campus's volunteers: background check, expiring within 30 days, phone (staff)" },
  'PUT /api/volunteers/:id/background-check': {
    summary: "Record a volunteer's background check: status and expiry (staff, audited)",
    body: V.BackgroundCheckSchema,
  },
  'PUT /api/volunteers/:id/phone': { summary: "A volunteer's phone number, how a kiosk knows them (staff, audited)", body: V.VolunteerPhoneSchema },
  'PUT /api/photos/:kind/:id': {
    summary:
      "Take or replace a person's photo (kind: child, guardian, pickup, restricted): the image as the raw body (image/jpeg, image/png or image/webp, ≤ 10 MB); a child's needs ?consentBy=<guardianId>",
    query: Ph.PhotoPutQuerySchema,
  },
  'DELETE /api/photos/:kind/:id': { summary: "Delete a person's photo" },
  'GET /api/photos/:photoId': { summary: 'A photo (JPEG), for a caller allowed to see it; Cache-Control: private, no-store' },
  'PUT /pass/:token/photos/:kind/:id': {
    summary:
      "The family's photo of one of its children or guardians (kind: child, guardian) from its live pickup pass: the image as the raw body (≤ 10 MB), ?consentBy=<one of the family's guardians> (rate-limited)",
    query: Ph.FamilyPhotoQuerySchema,
  },
  'PUT /precheck/:token/photos/:kind/:id': {
    summary:
      "The family's photo of one of its children or guardians (kind: child, guardian) from its pre-check-in link: the image as the raw body (≤ 10 MB), ?consentBy=<one of the family's guardians> (rate-limited)",
    query: Ph.FamilyPhotoQuerySchema,
  },
  'GET /family-photo.js': { summary: "The pass and pre-check-in pages' photo form script (same origin)" },
  'POST /api/services/:id/rooms/:roomId/roll-call': {
    summary: "Submit a room's roll call: the children marked present against the system's count; one that disagrees raises headcount_mismatch",
  },
  'POST /api/alerts/:id/clear': { summary: 'Clear a headcount alarm by hand, with a note (staff, audited)', body: E.AlertClearSchema },
  'GET /api/checkins/:id/medical-notes': { summary: "Open a child's medical note (staff, or a volunteer checked in to the child's room; audited)" },
  'POST /api/emergency': { summary: "Start an emergency roll call for the caller's campus (staff; one at a time, audited)", body: E.EmergencyStartSchema },
  'GET /api/emergency/current': {
    summary: "The campus's running emergency roll call: totals per room and the children not yet accounted for (a volunteer: their room)",
  },
  'POST /api/emergency/:id/accounted': {
    summary: "Mark a child accounted for (a volunteer checked in to the child's room, or staff)",
    body: E.EmergencyAccountedSchema,
  },
  'POST /api/emergency/:id/end': { summary: 'End the emergency roll call (staff, audited)' },
  'POST /api/broadcasts': {
    summary: 'Text the guardians of every child present in a room, a service or the campus (staff; rate-limited, audited)',
    body: E.BroadcastCreateSchema,
  },
  'GET /api/broadcasts': { summary: "The campus's broadcasts with their texts' delivery counts (staff)" },
  'POST /api/org/api-keys': {
    summary: 'Create an API key for an integration: scoped, optionally limited to one campus; the secret is answered this once (organisation admin, audited)',
    body: AK.ApiKeyCreateSchema,
  },
  'GET /api/org/api-keys': { summary: "The organisation's API keys, revoked ones included, never their secrets (organisation admin)" },
  'DELETE /api/org/api-keys/:id': { summary: 'Revoke an API key: refused from the next request on, on every instance (organisation admin, audited)' },
  // ---- forecast (DESIGN §17) ----
  'GET /api/services/:id/forecast': {
    summary:
      "A service's forecast per age group from the slot's last 8 occurrences: expected arrivals with a band, when each further room must open, volunteers needed (staff)",
  },
  // ---- outbound webhooks (DESIGN §20) ----
  'POST /api/org/webhooks': {
    summary: 'Subscribe a URL to events (signed Standard Webhooks deliveries); the signing secret is answered this once (organisation admin, audited)',
    body: WH.WebhookCreateSchema,
  },
  'GET /api/org/webhooks': { summary: "The organisation's webhook endpoints, never their secrets (organisation admin)" },
  'PATCH /api/org/webhooks/:id': {
    summary: "Change a webhook endpoint's URL, events, campus or pause it (organisation admin, audited)",
    body: WH.WebhookUpdateSchema,
  },
  'DELETE /api/org/webhooks/:id': { summary: 'Delete a webhook endpoint and its delivery log (organisation admin, audited)' },
  'POST /api/org/webhooks/:id/rotate-secret': {
    summary: 'A new signing secret, answered this once; the previous one keeps signing for 24 hours (organisation admin, audited)',
  },
  'POST /api/org/webhooks/:id/test': { summary: 'Queue a webhook.test ping to this endpoint (organisation admin)' },
  'GET /api/org/webhooks/:id/deliveries': { summary: "An endpoint's latest 100 deliveries: status, attempts, last answer, next attempt (organisation admin)" },
  // label templates (#29, DESIGN §18)
  'GET /api/label-templates': {
    summary: "The campus's label template of each kind as it prints (campus override → organisation → default), with both stored levels (admin)",
  },
  'GET /api/label-templates/:id': { summary: "One stored label template: the organisation's, or this campus's override (admin)" },
  'PUT /api/label-templates/:kind': {
    summary: "Store the organisation's (organisation admin) or this campus's (campus admin) template of a kind: stock and elements in mm (audited)",
    body: LT.LabelTemplatePutSchema,
  },
  'POST /api/label-templates/:kind/reset': {
    summary: "Drop the organisation's or this campus's template of a kind, back to what it inherits (audited)",
    body: LT.LabelTemplateResetSchema,
  },
  'POST /api/label-templates/preview': {
    summary: 'A template rendered for a sample child: the HTML with print CSS and the ZPL (admin; nothing is stored)',
    body: LT.LabelTemplatePreviewSchema,
  },
  // printers (DESIGN §18)
  'GET /api/label-printers': { summary: "The campus's label printers with their health and kiosks (staff)" },
  'POST /api/label-printers': { summary: 'Add a label printer: name, host:port, type, stock (admin, audited)', body: PRN.PrinterCreateSchema },
  'PATCH /api/label-printers/:id': { summary: "Change a printer's name, address, type or stock (admin, audited)", body: PRN.PrinterUpdateSchema },
  'POST /api/label-printers/:id/test-print': { summary: 'Send a test label to this printer (staff, audited; 502 when it is not ready)' },
  'PUT /api/kiosks/:id/printer': { summary: 'Say which of the campus printers a kiosk uses, or none (admin, audited)', body: PRN.KioskPrinterSchema },
  // campus alerts of no one service (#29: a label printer down on a day without services)
  'GET /api/site-alerts': { summary: "The campus's alerts of no one service (label printers), standing and cleared in the last day" },
  // a family's key tag (#29)
  'POST /api/households/:id/key-tag': {
    summary: "Print a family's key tag (its express code, a first one made if it has none): to a kiosk's printer, or HTML for the browser (staff, audited)",
    body: KT.KeyTagPrintSchema,
  },
} satisfies Record<string, EndpointSpec>;
export type EndpointKey = keyof typeof ENDPOINTS;

/**
 * Who reads an answer: a few routes answer a kiosk with less than staff (no surnames, birthdates
 * or full phones — registration.presenter.ts). Each UI reads the map for its own audience; the
 * server's answer must fit either (the union).
 */
export type Audience = 'staff' | 'kiosk';
type ByAudience<A extends Audience, Staff, Kiosk> = A extends 'kiosk' ? Kiosk : Staff;
type Households<A extends Audience> = ByAudience<A, HouseholdSummary, KioskHouseholdSummary>;
type Family = { household: FamilyDetail };

/**
 * Each route's 2xx answer, keyed like ENDPOINTS (types only: nothing of it reaches a bundle).
 * `void`: 204, no body; `string`: not JSON (CSV, HTML, TwiML, Prometheus text). The routes state
 * their answer with `satisfies Reply<'METHOD /path'>`, the UIs' fetch helper
 * (contracts/client/http.ts) reads it by the same key: a field renamed on one side fails the
 * typecheck of the other. `tests/unit/endpoint-types.test.ts` holds the map to ENDPOINTS.
 */
export interface EndpointResponses<A extends Audience = Audience> {
  'GET /api/rooms': { rooms: RL.LocatedAdminRoom[] };
  'POST /api/rooms': { room: RL.LocatedAdminRoom };
  'PATCH /api/rooms/:id': { room: RL.LocatedAdminRoom };
  'DELETE /api/rooms/:id': void;
  'GET /api/services': { services: ServiceSummary[] };
  'POST /api/services': { service: ServiceSummary };
  'PATCH /api/services/:id': { service: ServiceSummary };
  'DELETE /api/services/:id': void;
  'GET /api/org/reports/attendance': RollupReport;
  'GET /api/org/reports/attendance.csv': string;
  'GET /api/schedules': { schedules: Schedule[] };
  'POST /api/schedules': { schedule: Schedule; generated: number };
  'POST /api/schedules/generate': { generated: number };
  'PATCH /api/schedules/:id': { schedule: Schedule; generated: number; removed: number };
  'DELETE /api/schedules/:id': { removed: number };
  'POST /api/schedules/:id/skips': { schedule: Schedule };
  'DELETE /api/schedules/:id/skips/:date': { schedule: Schedule };
  'GET /api/site': { site: SiteInfo; sms: { sending: boolean } };
  'PATCH /api/site': { site: SiteInfo };
  'GET /api/site/settings': SiteWithSettings;
  'PATCH /api/site/settings': SiteWithSettings;
  'GET /api/children/:id/audit': { entries: AuditEntry[] };
  'POST /api/auth/login': LoginResult;
  'POST /api/auth/logout': void;
  'POST /api/users/:id/unlock': void;
  'GET /api/auth/me': Me;
  'GET /api/services/:id/rooms': { rooms: ServiceRoom[] };
  'PATCH /api/services/:id/rooms/:roomId': { room: ServiceRoom };
  'GET /api/alerts': { alerts: AlertEvent[] };
  'POST /api/alerts/:id/ack': { alert: AlertEvent };
  'POST /api/checkins': RL.LocatedCheckinResult;
  'POST /api/checkins/:id/move': { checkin: { id: string; roomId: string; roomName: string } };
  'GET /api/households/search': { households: FamilySearchResult[] };
  'GET /api/households/:id': Family;
  'GET /api/households': { households: Households<A>[] };
  /** childIds: the children this registration named (a join: those added or matched, never the rest of the family) — the ones to check in */
  'POST /api/households': { household: Households<A>; joined: boolean; childIds: string[] };
  'POST /api/kiosks': KioskPairing;
  'POST /api/kiosks/pair': KioskPairResult;
  'GET /api/kiosks': { kiosks: Kiosk[] };
  'POST /api/kiosks/:id/pairing-code': KioskPairing;
  'DELETE /api/kiosks/:id': void;
  'GET /api/kiosk/me': KioskSelf;
  'POST /api/checkins/:id/page': PageResult;
  'GET /api/checkins/:id/notifications': NotificationList;
  'POST /webhooks/twilio/status': void;
  'POST /webhooks/twilio/inbound': string;
  'GET /pass/:token': string;
  'POST /api/pickups/verify': PickupVerification;
  'POST /api/checkouts': CheckoutResult;
  'PUT /api/auth/me/override-pin': void;
  'POST /api/checkins/:id/undo-checkout': { checkin: { id: string; status: 'checked_in'; roomId: string; roomName: string } };
  'POST /api/print/labels': PrintLabelsResult;
  'POST /api/print/family-labels': PrintLabelsResult;
  'POST /api/checkins/:id/labels': ReprintResult;
  'POST /api/checkins/:id/cancel': { checkin: { id: string; status: 'cancelled' } };
  'POST /api/kiosks/:id/test-print': { printed: true; kiosk: string };
  'GET /api/printers': { printers: PrinterStatus[] };
  'GET /api/reports/attendance': AttendanceReport;
  'GET /api/reports/attendance.csv': string;
  'GET /api/reports/services/:id': ServiceReport;
  'GET /api/reports/services/:id/timeline': Timeline;
  'GET /api/services/:id/roster': Roster;
  'GET /api/services/current': { services: Service[] };
  'GET /api/services/today': { services: TodayService[] };
  'PATCH /api/households/:id': Family;
  'DELETE /api/households/:id/children/:childId': Family;
  'DELETE /api/households/:id/custody-alerts/:alertId': Family;
  'DELETE /api/households/:id/guardians/:guardianId': Family;
  'DELETE /api/households/:id/pickups/:pickupId': Family;
  'PATCH /api/households/:id/children/:childId': Family;
  'PATCH /api/households/:id/custody-alerts/:alertId': Family;
  'PATCH /api/households/:id/guardians/:guardianId': Family;
  'PATCH /api/households/:id/pickups/:pickupId': Family;
  'POST /api/households/:id/children': Family;
  'POST /api/households/:id/custody-alerts': Family;
  'POST /api/households/:id/guardians': Family;
  'POST /api/households/:id/pickups': Family;
  'GET /healthz': Health;
  'GET /metrics': string;
  'GET /api/openapi.json': { openapi: string; info: Record<string, unknown>; paths: Record<string, unknown>; webhooks?: Record<string, unknown> };
  'POST /api/auth/switch-campus': LoginResult;
  'GET /api/people': { people: Person[] };
  'POST /api/people': PersonLink;
  'PUT /api/people/:id/role': { person: Person };
  'POST /api/people/:id/deactivate': { person: Person };
  'POST /api/people/:id/reactivate': { person: Person };
  'POST /api/people/:id/reset-link': PersonLink;
  'PUT /api/auth/me/password': void;
  'POST /api/account/password': { email: string };
  'GET /account/:token': string;
  'POST /account/:token': string;
  'GET /api/org': { organization: OrganizationInfo };
  'POST /api/org/campuses': { campus: CampusCreated };
  'PATCH /api/org/campuses/:id': { site: SiteInfo };
  'PUT /api/org/rooms-template': { organization: OrganizationInfo };
  'GET /api/displays': { displays: Display[] };
  'POST /api/displays': DisplayPairing;
  'DELETE /api/displays/:id': void;
  'POST /api/displays/pair': DisplayPairResult;
  'GET /api/display/me': DisplaySelf;
  'POST /api/households/:id/join-code': JoinCodeSent;
  'POST /api/households/express': { households: KioskHouseholdSummary[] };
  'GET /api/households/:id/express-code': ExpressCodeStatus;
  'POST /api/households/:id/express-code': ExpressCodeIssued;
  'DELETE /api/households/:id/express-code': ExpressCodeStatus;
  'POST /api/households/:id/merge/preview': { preview: MergePreview };
  'POST /api/households/:id/merge': Family & { merge: { id: string; undoUntil: string } };
  'GET /api/households/:id/merge/candidates': { candidates: MergeCandidate[] };
  'GET /api/households/:id/merges': { merges: MergeUndoable[] };
  'POST /api/household-merges/:id/undo': { into: FamilyDetail; from: FamilyDetail };
  'POST /api/imports': { import: ImportStarted };
  'GET /api/imports/:id': { import: ImportJob };
  'POST /api/imports/:id/rerun': { import: ImportStarted };
  'GET /api/services/:id/volunteers': ServiceVolunteers;
  'POST /api/services/:id/rooms/:roomId/volunteers': VolunteerCheckinResult;
  'POST /api/volunteer-shifts/:id/checkout': { shift: VolunteerShift; volunteers: number };
  'POST /api/services/:id/rooms/:roomId/headcounts': { headcount: RoomHeadcount };
  'PUT /api/checkins/:id/present': { checkinId: string; present: boolean };
  'GET /api/reports/volunteers': VolunteerReport;
  'PUT /api/people/:id/background-check': { person: Person };
  'POST /api/kiosk/volunteers/lookup': { volunteer: KioskVolunteer };
  'POST /api/kiosk/volunteers/checkin': KioskVolunteerCheckinResult;
  'POST /api/kiosk/volunteers/checkout': { name: string; roomName: string };
  'GET /api/volunteers': { volunteers: VolunteerPerson[] };
  'PUT /api/volunteers/:id/background-check': { volunteer: VolunteerPerson };
  'PUT /api/volunteers/:id/phone': { volunteer: VolunteerPerson };
  'PUT /api/photos/:kind/:id': { photo: Photo };
  'DELETE /api/photos/:kind/:id': void;
  /** the JPEG's bytes (a screen fetches it with its token and shows a blob URL) */
  'GET /api/photos/:photoId': string;
  'PUT /pass/:token/photos/:kind/:id': { photo: Photo };
  'PUT /precheck/:token/photos/:kind/:id': { photo: Photo };
  /** JavaScript */
  'GET /family-photo.js': string;
  'POST /pass/:token/precheck': string;
  'GET /precheck/:token': string;
  'POST /precheck/:token': string;
  'POST /api/households/:id/precheckin-link': { sent: number; phonesMasked: string[] };
  'PATCH /api/org/settings': { organization: OrganizationInfo };
  'POST /api/services/:id/rooms/:roomId/roll-call': { rollCall: RollCallResult };
  'POST /api/alerts/:id/clear': { alert: AlertEvent };
  'GET /api/checkins/:id/medical-notes': { note: MedicalNote };
  'POST /api/emergency': { emergency: Emergency };
  'GET /api/emergency/current': { emergency: Emergency | null };
  'POST /api/emergency/:id/accounted': { emergency: Emergency };
  'POST /api/emergency/:id/end': { emergency: Emergency };
  'POST /api/broadcasts': { id: string; recipients: number };
  'GET /api/broadcasts': { broadcasts: Broadcast[] };
  'GET /api/households/:id/export': FamilyExport;
  'DELETE /api/households/:id': FamilyErased;
  'GET /api/org/retention': { retention: RetentionSettings };
  'PATCH /api/org/retention': { retention: RetentionSettings };
  'POST /api/org/api-keys': ApiKeyCreated;
  'GET /api/org/api-keys': ApiKeyList;
  'DELETE /api/org/api-keys/:id': { apiKey: ApiKey };
  // ---- forecast (DESIGN §17) ----
  'GET /api/services/:id/forecast': ServiceForecast;
  'POST /api/org/webhooks': WebhookCreated;
  'GET /api/org/webhooks': WebhookList;
  'PATCH /api/org/webhooks/:id': { webhook: Webhook };
  'DELETE /api/org/webhooks/:id': void;
  'POST /api/org/webhooks/:id/rotate-secret': WebhookCreated;
  'POST /api/org/webhooks/:id/test': { delivery: WebhookDelivery };
  'GET /api/org/webhooks/:id/deliveries': WebhookDeliveryList;
  // label templates (#29)
  'GET /api/label-templates': LabelTemplateList;
  'GET /api/label-templates/:id': { template: StoredLabelTemplate };
  'PUT /api/label-templates/:kind': { template: StoredLabelTemplate };
  'POST /api/label-templates/:kind/reset': { slot: LabelTemplateSlot };
  'POST /api/label-templates/preview': LabelTemplatePreview;
  // printers (DESIGN §18)
  'GET /api/label-printers': { printers: Printer[] };
  'POST /api/label-printers': { printer: Printer };
  'PATCH /api/label-printers/:id': { printer: Printer };
  'POST /api/label-printers/:id/test-print': { printed: true; printer: string };
  'PUT /api/kiosks/:id/printer': { kiosk: Kiosk };
  'GET /api/site-alerts': { alerts: AlertEvent[] };
  'POST /api/households/:id/key-tag': KeyTagPrinted;
}
/** The answer of one route, for the server's `satisfies` and the UIs' helper. */
export type Reply<K extends EndpointKey, A extends Audience = Audience> = EndpointResponses<A>[K];

/** How a route answers: JSON, no body (204), or a text format. */
export type ReplyContent = 'json' | 'none' | 'csv' | 'html' | 'xml' | 'text' | 'jpeg' | 'js';
type ContentOf<T> = [T] extends [void] ? 'none' : [T] extends [string] ? Exclude<ReplyContent, 'json' | 'none'> : 'json';
/**
 * The answer's content per route, at run time (OpenAPI documents it; the map test compares its keys
 * with ENDPOINTS'). Typed against EndpointResponses: a route missing here, one that is not in the
 * map, or a kind that contradicts its answer type ('json' for a 204) fails the typecheck.
 */
export const REPLY_CONTENT = {
  'GET /api/rooms': 'json',
  'POST /api/rooms': 'json',
  'PATCH /api/rooms/:id': 'json',
  'DELETE /api/rooms/:id': 'none',
  'GET /api/services': 'json',
  'POST /api/services': 'json',
  'PATCH /api/services/:id': 'json',
  'DELETE /api/services/:id': 'none',
  'GET /api/org/reports/attendance': 'json',
  'GET /api/org/reports/attendance.csv': 'csv',
  'GET /api/schedules': 'json',
  'POST /api/schedules': 'json',
  'POST /api/schedules/generate': 'json',
  'PATCH /api/schedules/:id': 'json',
  'DELETE /api/schedules/:id': 'json',
  'POST /api/schedules/:id/skips': 'json',
  'DELETE /api/schedules/:id/skips/:date': 'json',
  'GET /api/site': 'json',
  'PATCH /api/site': 'json',
  'GET /api/site/settings': 'json',
  'PATCH /api/site/settings': 'json',
  'GET /api/children/:id/audit': 'json',
  'POST /api/auth/login': 'json',
  'POST /api/auth/logout': 'none',
  'POST /api/users/:id/unlock': 'none',
  'GET /api/auth/me': 'json',
  'GET /api/services/:id/rooms': 'json',
  'PATCH /api/services/:id/rooms/:roomId': 'json',
  'GET /api/alerts': 'json',
  'POST /api/alerts/:id/ack': 'json',
  'POST /api/checkins': 'json',
  'POST /api/checkins/:id/move': 'json',
  'GET /api/households/search': 'json',
  'GET /api/households/:id': 'json',
  'GET /api/households': 'json',
  'POST /api/households': 'json',
  'POST /api/kiosks': 'json',
  'POST /api/kiosks/pair': 'json',
  'GET /api/kiosks': 'json',
  'POST /api/kiosks/:id/pairing-code': 'json',
  'DELETE /api/kiosks/:id': 'none',
  'GET /api/kiosk/me': 'json',
  'POST /api/checkins/:id/page': 'json',
  'GET /api/checkins/:id/notifications': 'json',
  'POST /webhooks/twilio/status': 'none',
  'POST /webhooks/twilio/inbound': 'xml',
  'GET /pass/:token': 'html',
  'POST /api/pickups/verify': 'json',
  'POST /api/checkouts': 'json',
  'PUT /api/auth/me/override-pin': 'none',
  'POST /api/checkins/:id/undo-checkout': 'json',
  'POST /api/print/labels': 'json',
  'POST /api/print/family-labels': 'json',
  'POST /api/checkins/:id/labels': 'json',
  'POST /api/checkins/:id/cancel': 'json',
  'POST /api/kiosks/:id/test-print': 'json',
  'GET /api/printers': 'json',
  'GET /api/reports/attendance': 'json',
  'GET /api/reports/attendance.csv': 'csv',
  'GET /api/reports/services/:id': 'json',
  'GET /api/reports/services/:id/timeline': 'json',
  'GET /api/services/:id/roster': 'json',
  'GET /api/services/current': 'json',
  'GET /api/services/today': 'json',
  'PATCH /api/households/:id': 'json',
  'DELETE /api/households/:id/children/:childId': 'json',
  'DELETE /api/households/:id/custody-alerts/:alertId': 'json',
  'DELETE /api/households/:id/guardians/:guardianId': 'json',
  'DELETE /api/households/:id/pickups/:pickupId': 'json',
  'PATCH /api/households/:id/children/:childId': 'json',
  'PATCH /api/households/:id/custody-alerts/:alertId': 'json',
  'PATCH /api/households/:id/guardians/:guardianId': 'json',
  'PATCH /api/households/:id/pickups/:pickupId': 'json',
  'POST /api/households/:id/children': 'json',
  'POST /api/households/:id/custody-alerts': 'json',
  'POST /api/households/:id/guardians': 'json',
  'POST /api/households/:id/pickups': 'json',
  'GET /healthz': 'json',
  'GET /metrics': 'text',
  'GET /api/openapi.json': 'json',
  'POST /api/auth/switch-campus': 'json',
  'GET /api/people': 'json',
  'POST /api/people': 'json',
  'PUT /api/people/:id/role': 'json',
  'POST /api/people/:id/deactivate': 'json',
  'POST /api/people/:id/reactivate': 'json',
  'POST /api/people/:id/reset-link': 'json',
  'PUT /api/auth/me/password': 'none',
  'POST /api/account/password': 'json',
  'GET /account/:token': 'html',
  'POST /account/:token': 'html',
  'GET /api/org': 'json',
  'POST /api/org/campuses': 'json',
  'PATCH /api/org/campuses/:id': 'json',
  'PUT /api/org/rooms-template': 'json',
  'GET /api/displays': 'json',
  'POST /api/displays': 'json',
  'DELETE /api/displays/:id': 'none',
  'POST /api/displays/pair': 'json',
  'GET /api/display/me': 'json',
  'POST /api/households/:id/join-code': 'json',
  'POST /api/households/express': 'json',
  'GET /api/households/:id/express-code': 'json',
  'POST /api/households/:id/express-code': 'json',
  'DELETE /api/households/:id/express-code': 'json',
  'POST /api/households/:id/merge/preview': 'json',
  'POST /api/households/:id/merge': 'json',
  'GET /api/households/:id/merge/candidates': 'json',
  'GET /api/households/:id/merges': 'json',
  'POST /api/household-merges/:id/undo': 'json',
  'POST /api/imports': 'json',
  'GET /api/imports/:id': 'json',
  'POST /api/imports/:id/rerun': 'json',
  'GET /api/services/:id/volunteers': 'json',
  'POST /api/services/:id/rooms/:roomId/volunteers': 'json',
  'POST /api/volunteer-shifts/:id/checkout': 'json',
  'POST /api/services/:id/rooms/:roomId/headcounts': 'json',
  'PUT /api/checkins/:id/present': 'json',
  'GET /api/reports/volunteers': 'json',
  'PUT /api/people/:id/background-check': 'json',
  'POST /api/kiosk/volunteers/lookup': 'json',
  'POST /api/kiosk/volunteers/checkin': 'json',
  'POST /api/kiosk/volunteers/checkout': 'json',
  'GET /api/volunteers': 'json',
  'PUT /api/volunteers/:id/background-check': 'json',
  'PUT /api/volunteers/:id/phone': 'json',
  'PUT /api/photos/:kind/:id': 'json',
  'DELETE /api/photos/:kind/:id': 'none',
  'GET /api/photos/:photoId': 'jpeg',
  'PUT /pass/:token/photos/:kind/:id': 'json',
  'PUT /precheck/:token/photos/:kind/:id': 'json',
  'GET /family-photo.js': 'js',
  'POST /pass/:token/precheck': 'html',
  'GET /precheck/:token': 'html',
  'POST /precheck/:token': 'html',
  'POST /api/households/:id/precheckin-link': 'json',
  'PATCH /api/org/settings': 'json',
  'POST /api/services/:id/rooms/:roomId/roll-call': 'json',
  'POST /api/alerts/:id/clear': 'json',
  'GET /api/checkins/:id/medical-notes': 'json',
  'POST /api/emergency': 'json',
  'GET /api/emergency/current': 'json',
  'POST /api/emergency/:id/accounted': 'json',
  'POST /api/emergency/:id/end': 'json',
  'POST /api/broadcasts': 'json',
  'GET /api/broadcasts': 'json',
  'GET /api/households/:id/export': 'json',
  'DELETE /api/households/:id': 'json',
  'GET /api/org/retention': 'json',
  'PATCH /api/org/retention': 'json',
  'POST /api/org/api-keys': 'json',
  'GET /api/org/api-keys': 'json',
  'DELETE /api/org/api-keys/:id': 'json',
  // ---- forecast (DESIGN §17) ----
  'GET /api/services/:id/forecast': 'json',
  'POST /api/org/webhooks': 'json',
  'GET /api/org/webhooks': 'json',
  'PATCH /api/org/webhooks/:id': 'json',
  'DELETE /api/org/webhooks/:id': 'none',
  'POST /api/org/webhooks/:id/rotate-secret': 'json',
  'POST /api/org/webhooks/:id/test': 'json',
  'GET /api/org/webhooks/:id/deliveries': 'json',
  // label templates (#29)
  'GET /api/label-templates': 'json',
  'GET /api/label-templates/:id': 'json',
  'PUT /api/label-templates/:kind': 'json',
  'POST /api/label-templates/:kind/reset': 'json',
  'POST /api/label-templates/preview': 'json',
  // printers (DESIGN §18)
  'GET /api/label-printers': 'json',
  'POST /api/label-printers': 'json',
  'PATCH /api/label-printers/:id': 'json',
  'POST /api/label-printers/:id/test-print': 'json',
  'PUT /api/kiosks/:id/printer': 'json',
  'GET /api/site-alerts': 'json',
  'POST /api/households/:id/key-tag': 'json',
} satisfies { [K in EndpointKey]: ContentOf<Reply<K>> };
