/** The fields the staff app's schemas share. */
import { z } from 'zod';
import { NameSchema } from '../api';
import { MAX_GRADE, MAX_NOTE_LENGTH, MIN_GRADE } from '../limits';

export const name = NameSchema;
export const note = z.string().trim().max(MAX_NOTE_LENGTH);
export const grade = z.number().int().min(MIN_GRADE).max(MAX_GRADE);
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date');
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO date-time' });
export const nonEmpty = (o: object) => Object.keys(o).length > 0;
export const NEEDS_A_FIELD = 'needs at least one field to change';
