/** The fields every area's schemas share: names, dates, UUIDs, phones, security codes. */
import { z } from 'zod';
import { MAX_GRADE, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MIN_GRADE, SECURITY_CODE_ALPHABET, SECURITY_CODE_LENGTH } from '../limits';
import { birthdateProblem, cleanName, isRealDate, nameHasLetter } from '../rules';

/**
 * A person's name: invisible and bidi-control characters stripped (a lone U+200B is no name),
 * and what is left must contain a letter of some script (contracts/rules/text.ts).
 */
export const NameSchema = z
  .string()
  .max(MAX_NAME_LENGTH * 4)
  .transform(cleanName)
  .pipe(z.string().min(1, 'is required').max(MAX_NAME_LENGTH).refine(nameHasLetter, 'must contain a letter'));
export const name = NameSchema;
/**
 * The name of a campus (it begins every SMS), a room or a service: the same text rules as a
 * person's name — invisible and bidi-control characters stripped, a letter required — up to 120.
 */
export const PlaceNameSchema = z
  .string()
  .max(120 * 4)
  .transform(cleanName)
  .pipe(z.string().min(1, 'is required').max(120).refine(nameHasLetter, 'must contain a letter'));
/**
 * A child's birthdate: a real day between 25 years ago and today. The schema cannot know the
 * site's timezone, so it allows a day either way; the server checks again against the site's
 * own date (contracts/rules/dates.ts) and names the field the same way.
 */
export const BirthdateSchema = z
  .string()
  .refine(isRealDate, 'must be a real calendar date YYYY-MM-DD')
  .superRefine((s, ctx) => {
    if (!isRealDate(s)) return;
    const now = Date.now();
    const ahead = new Date(now + 86_400_000).toISOString().slice(0, 10);
    const behind = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const problem = birthdateProblem(s, s > behind ? ahead : behind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const optionalText = z.string().trim().max(MAX_NOTE_LENGTH).optional().default('');
export const UuidSchema = z.uuid({ message: 'must be a UUID' });
/** A phone number as typed: digits with common punctuation; normalised to E.164 by the server. */
export const PhoneInputSchema = z
  .string()
  .trim()
  .min(4)
  .max(24)
  .regex(/^\+?[0-9 ().-]+$/, 'must be a phone number');
export const grade = z.number().int().min(MIN_GRADE).max(MAX_GRADE);
export const SecurityCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .length(SECURITY_CODE_LENGTH, `must be ${SECURITY_CODE_LENGTH} characters`)
  .refine((s) => [...s].every((c) => SECURITY_CODE_ALPHABET.includes(c)), 'has characters that are never used in codes');
