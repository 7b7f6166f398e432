/** Reports: attendance by service and room, roll-ups, a service's timeline. */
import { z } from 'zod';
import { IsoDateSchema } from './fields';

export const ReportRangeQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, { message: 'must be within 366 days of from', path: ['to'] });
export const ReportCsvQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema, detail: z.enum(['rooms', 'children']).default('rooms') })
  .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, { message: 'must be within 366 days of from', path: ['to'] });
export const TimelineQuerySchema = z.object({ bucketMinutes: z.coerce.number().int().min(1).max(60).default(5) });

export interface AttendanceRoom {
  roomId: string;
  name: string;
  children: number;
  firstTimeChildren: number;
  checkedOut: number;
}
export interface AttendanceService {
  id: string;
  name: string;
  startsAt: string;
  serviceDate: string;
  children: number;
  households: number;
  firstTimeHouseholds: number;
  rooms: AttendanceRoom[];
}
export interface AttendanceReport {
  from: string;
  to: string;
  services: AttendanceService[];
}
/**
 * Organisation admins: attendance per weekend × campus × age group (a weekend is named by its
 * Sunday; a Saturday service counts in the weekend of the next day). Numbers are the campus
 * reports' children summed: check-ins that happened, cancelled ones not counted.
 */
export interface RollupReport {
  from: string;
  to: string;
  campuses: { siteId: string; name: string }[];
  ageGroups: string[];
  weekends: string[];
  rows: { weekend: string; siteId: string; ageGroup: string; children: number }[];
  totals: { byWeekend: Record<string, number>; byCampus: Record<string, number>; children: number };
}
export interface ServiceReport {
  service: AttendanceService;
  firstTimeFamilies: { householdId: string; name: string; children: string[] }[];
}
export interface Timeline {
  serviceId: string;
  bucketMinutes: number;
  buckets: { at: string; checkins: number; checkouts: number; present: number }[];
}
