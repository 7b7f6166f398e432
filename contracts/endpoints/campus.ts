/**
 * Part of the endpoint map (assembled in ./index.ts). The campus and its rooms: rooms, services and
 * their rooms, weekly schedules, the site and its settings.
 */
import * as A from '../api';
import * as RL from '../room-location';
import * as S from '../staff';
import type { Service, ServiceRoom, TodayService } from '../api';
import type { Schedule, ServiceSummary, SiteInfo, SiteWithSettings } from '../staff';
import type { ContentMap, EndpointSpec } from './shared';

export const campusEndpoints = {
  'GET /api/rooms': { summary: "The campus's rooms (admin)" },
  'POST /api/rooms': { summary: 'Add a room', body: RL.RoomWithLocationCreateSchema },
  'PATCH /api/rooms/:id': { summary: 'Change a room', body: RL.RoomWithLocationPatchSchema },
  'DELETE /api/rooms/:id': { summary: 'Archive a room' },
  'GET /api/services': { summary: 'Services in a date range', query: S.ServiceListQuerySchema },
  'POST /api/services': { summary: 'Add a service (its rooms open as configured)', body: S.ServiceCreateSchema },
  'PATCH /api/services/:id': { summary: 'Change a service', body: S.ServicePatchSchema },
  'DELETE /api/services/:id': { summary: 'Delete a service without check-ins' },
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
  'GET /api/services/:id/rooms': { summary: 'Rooms with physical headcount, limit, volunteers and status' },
  'PATCH /api/services/:id/rooms/:roomId': { summary: 'Open or close a room, set capacity, volunteers, ratio override', body: A.ServiceRoomPatchSchema },
  'GET /api/services/current': { summary: 'Services open for check-in' },
  'GET /api/services/today': { summary: 'Services pickup and the dashboard serve today' },
} satisfies Record<string, EndpointSpec>;

export interface CampusResponses {
  'GET /api/rooms': { rooms: RL.LocatedAdminRoom[] };
  'POST /api/rooms': { room: RL.LocatedAdminRoom };
  'PATCH /api/rooms/:id': { room: RL.LocatedAdminRoom };
  'DELETE /api/rooms/:id': void;
  'GET /api/services': { services: ServiceSummary[] };
  'POST /api/services': { service: ServiceSummary };
  'PATCH /api/services/:id': { service: ServiceSummary };
  'DELETE /api/services/:id': void;
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
  'GET /api/services/:id/rooms': { rooms: ServiceRoom[] };
  'PATCH /api/services/:id/rooms/:roomId': { room: ServiceRoom };
  'GET /api/services/current': { services: Service[] };
  'GET /api/services/today': { services: TodayService[] };
}

export const campusReplyContent = {
  'GET /api/rooms': 'json',
  'POST /api/rooms': 'json',
  'PATCH /api/rooms/:id': 'json',
  'DELETE /api/rooms/:id': 'none',
  'GET /api/services': 'json',
  'POST /api/services': 'json',
  'PATCH /api/services/:id': 'json',
  'DELETE /api/services/:id': 'none',
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
  'GET /api/services/:id/rooms': 'json',
  'PATCH /api/services/:id/rooms/:roomId': 'json',
  'GET /api/services/current': 'json',
  'GET /api/services/today': 'json',
} satisfies ContentMap<typeof campusEndpoints, CampusResponses>;
