/** The family's language (DESIGN §12): their SMS, pass page and labels speak it. zod-free. */
export const FAMILY_LANGS = ['en', 'es'] as const;
export type FamilyLang = (typeof FAMILY_LANGS)[number];
/** A stored value (NULL: never chosen) as a language: anything but 'es' is English. */
export const familyLang = (v: string | null | undefined): FamilyLang => (v === 'es' ? 'es' : 'en');
/** The language's own name, as a parent would pick it. */
export const FAMILY_LANG_NAMES: Record<FamilyLang, string> = { en: 'English', es: 'Español' };
