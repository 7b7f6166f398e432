/** The register and add-a-child forms' shared pieces: the drafts, the kiosk's early checks and a labelled field. */
import type { ReactNode } from 'react';
import { MAX_GRADE, MIN_GRADE } from '../../../../contracts/limits';
import { birthdateProblem, countryForTimezone, isoDateIn, nameProblem, normalizeMobile } from '../../../../contracts/rules';
import { loadSession } from '../../session';
import type { Messages } from '../../i18n';

export interface ChildDraft {
  key: number;
  firstName: string;
  lastName: string;
  birthdate: string;
  grade: string;
  allergies: string;
}
export interface GuardianDraft {
  firstName: string;
  lastName: string;
  phone: string;
  /** texts only with the parent's own yes (DESIGN §19): unticked until they tick it */
  smsOptIn: boolean;
}
export type Errors = Record<string, string>;

export const GRADES = Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => MIN_GRADE + i);
/** The site's timezone gives its date ("today" for a birthdate) and the country of a number typed without +CC. */
const siteTimezone = () => loadSession()?.site.timezone ?? 'UTC';
export const todayIso = () => isoDateIn(siteTimezone());
export const phoneCountry = () => countryForTimezone(siteTimezone());
// the same rules as the server's (contracts/rules): the kiosk only says so sooner
const nameError = (t: Messages, v: string) => {
  const p = nameProblem(v);
  return p === null ? undefined : p === 'is required' ? t.required : t.badName;
};

export function validateGuardian(t: Messages, g: GuardianDraft): Errors {
  const e: Errors = {};
  const first = nameError(t, g.firstName);
  if (first) e['g.firstName'] = first;
  const last = nameError(t, g.lastName);
  if (last) e['g.lastName'] = last;
  if (!normalizeMobile(g.phone, phoneCountry())) e['g.phone'] = t.badPhone;
  return e;
}
export function validateChildren(t: Messages, children: ChildDraft[]): Errors {
  const e: Errors = {};
  const today = todayIso();
  children.forEach((c, i) => {
    const first = nameError(t, c.firstName);
    if (first) e[`c.${i}.firstName`] = first;
    const last = nameError(t, c.lastName);
    if (last) e[`c.${i}.lastName`] = last;
    if (c.birthdate && birthdateProblem(c.birthdate, today)) e[`c.${i}.birthdate`] = t.badDate;
    else if (!c.birthdate && c.grade === '') e[`c.${i}.birthdate`] = t.needBirthOrGrade;
  });
  return e;
}
/** A server 400 names its field (guardians.0.phone, children.1.birthdate): show it by that field. */
export function serverFieldKey(field: string | undefined): string | null {
  const m = /^(guardians|children)\.(\d+)\.(\w+)/.exec(field ?? '');
  if (!m) return null;
  return m[1] === 'guardians' ? `g.${m[3]}` : `c.${m[2]}.${m[3] === 'grade' ? 'birthdate' : m[3]}`;
}

let nextKey = 1;
export const blankChild = (lastName: string): ChildDraft => ({ key: nextKey++, firstName: '', lastName, birthdate: '', grade: '', allergies: '' });

export function Field({ id, label, error, help, children }: { id: string; label: string; error?: string; help?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {help && !error && (
        <p id={`${id}-help`} className="field-help">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
export const described = (id: string, error?: string, help?: string) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : help ? `${id}-help` : undefined,
});
