/**
 * Care flags (DESIGN §16), zod-free so the server, the labels and both UIs share them: an
 * allergy's severity, which severities print and show with the distinct mark, and whether a room
 * can meet a child's care needs (placement prefers such rooms).
 */
export const ALLERGY_SEVERITIES = ['mild', 'severe', 'life-threatening'] as const;
export type AllergySeverity = (typeof ALLERGY_SEVERITIES)[number];
export const MAX_CARE_NEEDS = 8;
export const MAX_CARE_NEED_LENGTH = 60;

/** A stored or imported severity; anything else (null, blank, unknown) is "not recorded" — treated as not severe. */
export function allergySeverity(value: unknown): AllergySeverity | null {
  const v =
    typeof value === 'string'
      ? value
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, '-')
      : '';
  if (v === 'life-threatening' || v === 'lifethreatening' || v === 'anaphylaxis' || v === 'anaphylactic') return 'life-threatening';
  return (ALLERGY_SEVERITIES as readonly string[]).includes(v) ? (v as AllergySeverity) : null;
}

/** Severe and life-threatening allergies carry the mark on labels, rosters and at pickup. */
export const isSevereAllergy = (severity: AllergySeverity | null | undefined) => severity === 'severe' || severity === 'life-threatening';

/** The mark's words, in the family's language (labels) or the screen's. */
export const ALLERGY_MARK_WORDS: Record<'en' | 'es', Record<'severe' | 'life-threatening', string>> = {
  en: { severe: 'SEVERE ALLERGY', 'life-threatening': 'LIFE-THREATENING ALLERGY' },
  es: { severe: 'ALERGIA GRAVE', 'life-threatening': 'ALERGIA MORTAL' },
};
/** The symbol that opens a severe allergy's text on labels and screens (plain ASCII: every printer font has it). */
export const SEVERE_ALLERGY_SYMBOL = '!!';

/** The mark's words (labels print them boxed, screens in red): null when not severe. */
export function allergyMark(severity: AllergySeverity | null | undefined, lang: 'en' | 'es' = 'en'): string | null {
  return severity === 'severe' || severity === 'life-threatening' ? ALLERGY_MARK_WORDS[lang][severity] : null;
}

const foldNeed = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Care needs as stored: trimmed, no blanks, no repeats (case-insensitive), at most MAX_CARE_NEEDS of MAX_CARE_NEED_LENGTH. */
export function cleanCareNeeds(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.normalize('NFKC').trim().replace(/\s+/g, ' ').slice(0, MAX_CARE_NEED_LENGTH);
    if (!s || seen.has(foldNeed(s))) continue;
    seen.add(foldNeed(s));
    out.push(s);
  }
  return out.slice(0, MAX_CARE_NEEDS);
}

/** A care-needs cell of an import ("needs a buddy; epinephrine in bag"): split on ; or |. */
export const parseCareNeeds = (cell: string | null | undefined) => cleanCareNeeds(String(cell ?? '').split(/[;|]/));

/** Whether a room able to meet `roomNeeds` meets every one of the child's needs (a child without needs: any room). */
export function roomMeetsNeeds(roomNeeds: readonly string[] | null | undefined, childNeeds: readonly string[] | null | undefined): boolean {
  if (!childNeeds?.length) return true;
  const can = new Set((roomNeeds ?? []).map(foldNeed));
  return childNeeds.every((n) => can.has(foldNeed(n)));
}
