/**
 * The register and add-a-child forms' shared pieces: the drafts, the kiosk's early checks, a labelled
 * field and input, the form's error and its submit button.
 */
import type { FormEvent, InputHTMLAttributes, ReactNode } from 'react';
import { MAX_GRADE, MAX_NAME_LENGTH, MIN_GRADE } from '../../../../contracts/limits';
import { birthdateProblem, countryForTimezone, isoDateIn, nameProblem, normalizeMobile } from '../../../../contracts/rules';
import { loadSession } from '../../session';
import { useI18n, type Messages } from '../../i18n';
import { Spinner } from '../../ui';

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

/** A labelled input whose error is announced with it; `onChange` gets the text. */
export function TextField({
  id,
  label,
  error,
  className = 'input',
  onChange,
  ...input
}: { id: string; label: string; error?: string; onChange(value: string): void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'>) {
  return (
    <Field id={id} label={label} error={error}>
      <input id={id} className={className} {...input} onChange={(e) => onChange(e.target.value)} {...described(id, error)} />
    </Field>
  );
}

type Names = { firstName: string; lastName: string };
/** First and last name side by side (a guardian's, a child's), the inputs `${idPrefix}-first` and `${idPrefix}-last`. */
export function NameFields({
  idPrefix,
  value,
  errorOf,
  autoComplete,
  onChange,
}: {
  idPrefix: string;
  value: Names;
  errorOf(field: keyof Names): string | undefined;
  autoComplete?: string;
  onChange(patch: Partial<Names>): void;
}) {
  const { t } = useI18n();
  return (
    <div className="form-row">
      <TextField
        id={`${idPrefix}-first`}
        label={t.firstName}
        error={errorOf('firstName')}
        autoComplete={autoComplete}
        maxLength={MAX_NAME_LENGTH}
        value={value.firstName}
        onChange={(firstName) => onChange({ firstName })}
      />
      <TextField
        id={`${idPrefix}-last`}
        label={t.lastName}
        error={errorOf('lastName')}
        autoComplete={autoComplete}
        maxLength={MAX_NAME_LENGTH}
        value={value.lastName}
        onChange={(lastName) => onChange({ lastName })}
      />
    </div>
  );
}

/** A form's own error (not one field's), announced. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="panel panel-error" role="alert">
      {message}
    </p>
  );
}

/** The form's main button: a spinner and "Saving…" while it is busy. */
export function SubmitButton({ busy, label }: { busy: boolean; label: string }) {
  const { t } = useI18n();
  return (
    <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>
      {busy ? (
        <>
          <Spinner />
          {t.saving}
        </>
      ) : (
        label
      )}
    </button>
  );
}

/** The code texted to the family's own number (joining it, adding a child): the code, the form's error, "Send again", submit. */
export function CodeForm({
  id,
  code,
  setCode,
  codeError,
  formError,
  busy,
  submitLabel,
  onSubmit,
  onResend,
}: {
  id: string;
  code: string;
  setCode(code: string): void;
  codeError?: string | null;
  formError: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit(e: FormEvent): void;
  onResend(): void;
}) {
  const { t } = useI18n();
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <TextField
        id={id}
        label={t.codeLabel}
        error={codeError ?? undefined}
        className="input input-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(v) => setCode(v.replace(/\D/g, ''))}
      />
      <FormError message={formError} />
      <div className="actions">
        <button type="button" className="btn btn-secondary btn-lg" disabled={busy} onClick={onResend}>
          {t.codeResend}
        </button>
        <SubmitButton busy={busy} label={submitLabel} />
      </div>
    </form>
  );
}
