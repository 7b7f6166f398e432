/**
 * Pure helpers of erasure (DESIGN §19): the family's personal strings ("terms") and a scrubber
 * that takes them out of free text and JSON (audit details, refusals, import problems).
 */

/** Keys whose values are personal wherever they appear in a JSON column. */
const PERSONAL_KEYS = new Set([
  'name',
  'firstName',
  'lastName',
  'first_name',
  'last_name',
  'phone',
  'to',
  'body',
  'note',
  'notes',
  'medicalNotes',
  'medical_notes',
  'allergies',
  'pickedUpBy',
  'reason',
  'relationship',
  'birthdate',
  'before',
  'after',
]);
export const ERASED = '[erased]';

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const digits = (s: string) => s.replace(/\D/g, '');

/**
 * The family's personal strings: names (each and in full), phones (as stored and as national
 * digits), notes. Terms shorter than 3 characters are left out: they would match unrelated text.
 */
export function personalTerms(values: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const s = (v ?? '').trim();
    if (s.length < 3) continue;
    out.add(s);
    const d = digits(s);
    // a phone: also the national number (a CSV holds "(312) 555-0147", the row "+13125550147")
    if (d.length >= 7 && d.length >= s.replace(/[\s().+-]/g, '').length) {
      out.add(d);
      if (d.length > 10) out.add(d.slice(-10));
    }
  }
  return [...out];
}

/** Whether `text` holds one of the terms (accent- and case-blind; phones by their digits). */
export function mentions(text: string, terms: string[]): boolean {
  if (!text) return false;
  const f = fold(text);
  const d = digits(text);
  return terms.some((t) => (/^\d+$/.test(t) ? d.includes(t) : f.includes(fold(t))));
}

/**
 * A copy of a JSON value with the strings `isPersonal` marks replaced, and (with `byKey`, for rows
 * about the family alone) every value under a personal key.
 */
export function scrubJson(value: unknown, isPersonal: (s: string) => boolean, byKey = true, key?: string): unknown {
  if (byKey && key && PERSONAL_KEYS.has(key) && value != null && value !== '') return ERASED;
  if (typeof value === 'string') return isPersonal(value) ? ERASED : value;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, isPersonal, byKey));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v, isPersonal, byKey, k)]));
  return value;
}

/** Free text with every occurrence of a term replaced (the erasure's own audit row keeps its reason so). */
export function scrubText(text: string, terms: string[]): string {
  let out = text;
  for (const t of [...terms].sort((a, b) => b.length - a.length)) {
    if (/^\d+$/.test(t)) continue;
    out = out.replace(new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ERASED);
  }
  // phones typed in any format: any run of 7+ digits with separators
  return out.replace(/\+?\d[\d\s().-]{5,}\d/g, (m) => (digits(m).length >= 7 ? ERASED : m));
}

export interface FamilyPeople {
  /** first and last name of each guardian, child and authorised pickup */
  people: { first: string; last: string }[];
  /** the family's phones and notes: any one of them marks a line */
  terms: string[];
}
/** Whether a line of an uploaded file is about the family: a phone or note of it, or a person's first and last name together. */
export function lineMentions(line: string, f: FamilyPeople): boolean {
  if (mentions(line, f.terms)) return true;
  return f.people.some((p) => p.first.length > 1 && p.last.length > 1 && mentions(line, [p.first]) && mentions(line, [p.last]));
}

/** The lines of an uploaded CSV without those about the family (the header stays). */
export function withoutLinesMentioning(text: string, f: FamilyPeople): { text: string; removed: number } {
  const lines = text.split(/\r?\n/);
  const kept = lines.filter((l, i) => i === 0 || !lineMentions(l, f));
  return { text: kept.join('\n'), removed: lines.length - kept.length };
}

/** The pseudonym of an erased family: from its id, never from its data, and the same every time. */
export const pseudonymOf = (householdId: string) => householdId.replace(/-/g, '').slice(0, 8).toUpperCase();
