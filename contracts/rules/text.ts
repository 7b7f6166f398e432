/**
 * Names as people type them, zod-free (CONVENTIONS habit 16). Invisible characters — format
 * characters (\p{Cf}: zero-width space/joiners, bidi controls such as U+202E, the BOM), other
 * zero-width code points and control characters — are stripped; what is left must contain a
 * letter of some script, so a name can never be invisible, blank or only punctuation.
 */
const INVISIBLE = /[\p{Cf}\p{Cc}\u200B-\u200F\u2028-\u202F\u205F-\u206F\u3164\uFEFF\u115F\u1160\uFFA0\u180E]/gu;

/** NFC, invisible and control characters removed, runs of spaces collapsed, trimmed. */
export function cleanName(input: string): string {
  return String(input ?? '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim();
}

/** True when the (cleaned) name has at least one letter of any script. */
export const nameHasLetter = (name: string) => /\p{L}/u.test(name);

/** The reason a name is refused, or null. */
export function nameProblem(input: string): string | null {
  const c = cleanName(input);
  if (!c) return 'is required';
  if (!nameHasLetter(c)) return 'must contain a letter';
  return null;
}
