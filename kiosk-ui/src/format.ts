import type { KioskHouseholdChild } from '../../contracts';
import type { Messages } from './messages';

export function gradeLabel(t: Messages, grade: number): string {
  if (grade < 0) return t.gradePreK;
  if (grade === 0) return t.gradeK;
  return t.gradeN(grade);
}

/** "2 years", "18 months" or "Grade 3": what a parent reads in a glance (the server sends the age, never a birthdate). */
export function ageLabel(t: Messages, c: Pick<KioskHouseholdChild, 'ageMonths' | 'grade'>): string {
  if (c.ageMonths != null) {
    const m = c.ageMonths;
    return m < 24 ? t.months(m) : t.years(Math.floor(m / 12));
  }
  return c.grade != null ? gradeLabel(t, c.grade) : '';
}

export const last4 = (masked: string) => masked.replace(/\D/g, '').slice(-4);

/** Digits as a parent reads them: 312-555-0188; four digits stay four. */
export function formatDigits(d: string): string {
  if (d.length <= 4) return d;
  if (d.length <= 7) return `${d.slice(0, 3)}-${d.slice(3)}`;
  if (d.length <= 10) return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  return `${d.slice(0, d.length - 10)} ${d.slice(-10, -7)}-${d.slice(-7, -4)}-${d.slice(-4)}`;
}

export function labelDate(locale: string, timeZone: string, at = new Date()): string {
  try {
    return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(at);
  }
}
