/** Admin → Services: one-off services and the weekly schedules that make them. */
import { z } from 'zod';
import { type Service, UuidSchema } from '../api';
import { IsoDateSchema, NEEDS_A_FIELD, instant, name, nonEmpty } from './fields';

/** Without a window, check-in opens `checkinWindowMinutes` (site setting) before the start and closes an hour after it. */
export const ServiceCreateSchema = z
  .object({
    name,
    startsAt: instant,
    checkinOpensAt: instant.optional(),
    checkinClosesAt: instant.optional(),
    /** a one-off event's own rooms: these open, the others join closed (omitted: every regular room) */
    roomIds: z.array(UuidSchema).max(200).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.checkinOpensAt && s.checkinClosesAt && Date.parse(s.checkinOpensAt) >= Date.parse(s.checkinClosesAt)) {
      ctx.addIssue({ code: 'custom', path: ['checkinClosesAt'], message: 'must be after checkinOpensAt' });
    }
  });
export const ServicePatchSchema = z
  .object({ name, startsAt: instant, checkinOpensAt: instant, checkinClosesAt: instant })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const ServiceListQuerySchema = z.object({ from: IsoDateSchema.optional(), to: IsoDateSchema.optional() });
export type ServiceCreate = z.infer<typeof ServiceCreateSchema>;
export type ServicePatch = z.infer<typeof ServicePatchSchema>;
export interface ServiceSummary extends Service {
  serviceDate: string;
  rooms: number;
  checkins: number;
}

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM (24-hour, the campus's local time)");
const windowMinutes = z.number().int().min(0).max(720);
/** A weekly service time of a campus: generates its services 8 weeks ahead (DESIGN §10). */
export const ScheduleCreateSchema = z
  .object({
    name,
    weekday: z.number().int().min(0, 'must be 0 (Sunday) to 6 (Saturday)').max(6, 'must be 0 (Sunday) to 6 (Saturday)'),
    time: localTime,
    opensBeforeMinutes: windowMinutes.optional(),
    closesAfterMinutes: windowMinutes.default(60),
    /** the rooms that open (others join closed); omitted: every regular room */
    roomIds: z.array(UuidSchema).max(200).optional(),
    /** overflow rooms open from the start (else staff open them when needed) */
    overflowOpen: z.boolean().default(false),
  })
  .strict();
export const SchedulePatchSchema = z
  .object({
    name,
    weekday: z.number().int().min(0).max(6),
    time: localTime,
    opensBeforeMinutes: windowMinutes,
    closesAfterMinutes: windowMinutes,
    roomIds: z.array(UuidSchema).max(200).nullable(),
    overflowOpen: z.boolean(),
  })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export const ScheduleSkipSchema = z.object({ date: IsoDateSchema }).strict();
export type ScheduleCreate = z.infer<typeof ScheduleCreateSchema>;
export type SchedulePatch = z.infer<typeof SchedulePatchSchema>;
export interface Schedule {
  id: string;
  name: string;
  weekday: number;
  time: string;
  opensBeforeMinutes: number;
  closesAfterMinutes: number;
  roomIds: string[] | null;
  overflowOpen: boolean;
  active: boolean;
  skips: string[];
  /** the generated services from today on */
  upcoming: { id: string; serviceDate: string; startsAt: string }[];
}
