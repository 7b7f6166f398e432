/**
 * Part of the endpoint map (assembled in ./index.ts). Reports: attendance, a service's report and
 * timeline, the roster, the forecast.
 */
import * as S from '../staff';
import type { ServiceForecast } from '../forecast';
import type { AttendanceReport, Roster, ServiceReport, Timeline } from '../staff';
import type { ContentMap, EndpointSpec } from './shared';

export const reportsEndpoints = {
  'GET /api/reports/attendance': { summary: 'Attendance per service and room', query: S.ReportRangeQuerySchema },
  'GET /api/reports/attendance.csv': { summary: 'Attendance as CSV', query: S.ReportCsvQuerySchema },
  'GET /api/reports/services/:id': { summary: "One service's report" },
  'GET /api/reports/services/:id/timeline': { summary: 'Arrivals over time', query: S.TimelineQuerySchema },
  'GET /api/services/:id/roster': { summary: 'Who is in which room', query: S.RosterQuerySchema },
  'GET /api/services/:id/forecast': {
    summary:
      "A service's forecast per age group from the slot's last 8 occurrences: expected arrivals with a band, when each further room must open, volunteers needed (staff)",
  },
} satisfies Record<string, EndpointSpec>;

export interface ReportsResponses {
  'GET /api/reports/attendance': AttendanceReport;
  'GET /api/reports/attendance.csv': string;
  'GET /api/reports/services/:id': ServiceReport;
  'GET /api/reports/services/:id/timeline': Timeline;
  'GET /api/services/:id/roster': Roster;
  'GET /api/services/:id/forecast': ServiceForecast;
}

export const reportsReplyContent = {
  'GET /api/reports/attendance': 'json',
  'GET /api/reports/attendance.csv': 'csv',
  'GET /api/reports/services/:id': 'json',
  'GET /api/reports/services/:id/timeline': 'json',
  'GET /api/services/:id/roster': 'json',
  'GET /api/services/:id/forecast': 'json',
} satisfies ContentMap<typeof reportsEndpoints, ReportsResponses>;
