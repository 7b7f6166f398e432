/**
 * Part of the endpoint map (assembled in ./index.ts). Volunteers: shifts in rooms (by staff or at a
 * kiosk), headcounts, roll call, background checks, the volunteers report.
 */
import * as V from '../volunteers';
import type { RollCallResult } from '../accounted';
import type { Person } from '../people';
import type {
  KioskVolunteer,
  KioskVolunteerCheckinResult,
  RoomHeadcount,
  ServiceVolunteers,
  VolunteerCheckinResult,
  VolunteerPerson,
  VolunteerReport,
  VolunteerShift,
} from '../volunteers';
import type { ContentMap, EndpointSpec } from './shared';

export const volunteersEndpoints = {
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
  'POST /api/services/:id/rooms/:roomId/roll-call': {
    summary: "Submit a room's roll call: the children marked present against the system's count; one that disagrees raises headcount_mismatch",
  },
} satisfies Record<string, EndpointSpec>;

export interface VolunteersResponses {
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
  'POST /api/services/:id/rooms/:roomId/roll-call': { rollCall: RollCallResult };
}

export const volunteersReplyContent = {
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
  'POST /api/services/:id/rooms/:roomId/roll-call': 'json',
} satisfies ContentMap<typeof volunteersEndpoints, VolunteersResponses>;
