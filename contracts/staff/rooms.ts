/** Admin → Rooms: a room's ages, grades, capacity and ratio. */
import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../limits';
import { CareNeedsSchema } from './families';
import { NEEDS_A_FIELD, grade, name, nonEmpty } from './fields';

const months = z.number().int().min(0).max(240);
const roomFields = {
  name,
  ageGroup: z.string().trim().max(MAX_NAME_LENGTH),
  kind: z.enum(['regular', 'overflow']),
  minAgeMonths: months.nullable(),
  maxAgeMonths: months.nullable(),
  minGrade: grade.nullable(),
  maxGrade: grade.nullable(),
  defaultCapacity: z.number().int().min(0).max(500),
  ratio: z.number().int().min(1).max(100).nullable(),
  sortOrder: z.number().int().min(-1000).max(1000),
};
type RangeLike = { minAgeMonths?: number | null; maxAgeMonths?: number | null; minGrade?: number | null; maxGrade?: number | null };
/** A room's ranges must not be upside down (also checked after a patch is merged). */
export const rangeProblem = (r: RangeLike): { field: string; message: string } | null => {
  if (r.minAgeMonths != null && r.maxAgeMonths != null && r.minAgeMonths > r.maxAgeMonths)
    return { field: 'maxAgeMonths', message: 'must not be below minAgeMonths' };
  if (r.minGrade != null && r.maxGrade != null && r.minGrade > r.maxGrade) return { field: 'maxGrade', message: 'must not be below minGrade' };
  return null;
};
export const RoomCreateSchema = z
  .object({
    ...roomFields,
    ageGroup: roomFields.ageGroup.default(''),
    kind: roomFields.kind.default('regular'),
    minAgeMonths: months.nullable().default(null),
    maxAgeMonths: months.nullable().default(null),
    minGrade: grade.nullable().default(null),
    maxGrade: grade.nullable().default(null),
    defaultCapacity: roomFields.defaultCapacity.default(10),
    ratio: roomFields.ratio.default(null),
    sortOrder: roomFields.sortOrder.default(0),
    /** the care needs this room can meet (placement prefers it for a child with those needs) */
    careNeeds: CareNeedsSchema.default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    const p = rangeProblem(r);
    if (p) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export const RoomPatchSchema = z
  .object({ ...roomFields, careNeeds: CareNeedsSchema })
  .partial()
  .strict()
  .refine(nonEmpty, NEEDS_A_FIELD);
export type RoomCreate = z.infer<typeof RoomCreateSchema>;
export type RoomPatch = z.infer<typeof RoomPatchSchema>;
export interface AdminRoom {
  id: string;
  siteId: string;
  name: string;
  ageGroup: string;
  kind: 'regular' | 'overflow';
  minAgeMonths: number | null;
  maxAgeMonths: number | null;
  minGrade: number | null;
  maxGrade: number | null;
  defaultCapacity: number;
  ratio: number | null;
  sortOrder: number;
  /** the care needs this room can meet */
  careNeeds: string[];
}
