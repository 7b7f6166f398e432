import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HouseholdCreate, KioskHouseholdSummary } from '../../../contracts';
import { MAX_CHILDREN_PER_CHECKIN, MAX_GRADE, MAX_NAME_LENGTH, MIN_GRADE } from '../../../contracts/limits';
import { api, ApiError, newIdempotencyKey } from '../api';
import { useI18n, type Messages } from '../i18n';
import { gradeLabel } from '../format';
import { Screen, Spinner } from '../ui';

interface ChildDraft { key: number; firstName: string; lastName: string; birthdate: string; grade: string; allergies: string }
interface GuardianDraft { firstName: string; lastName: string; phone: string }
type Errors = Record<string, string>;

const GRADES = Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => MIN_GRADE + i);
const todayIso = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };

function phoneOk(p: string): boolean {
  const digits = p.replace(/\D/g, '');
  if (p.trim().startsWith('+')) return digits.length >= 8 && digits.length <= 15;
  return digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
}

function validateGuardian(t: Messages, g: GuardianDraft): Errors {
  const e: Errors = {};
  if (!g.firstName.trim()) e['g.firstName'] = t.required;
  if (!g.lastName.trim()) e['g.lastName'] = t.required;
  if (!phoneOk(g.phone)) e['g.phone'] = t.badPhone;
  return e;
}
function validateChildren(t: Messages, children: ChildDraft[]): Errors {
  const e: Errors = {};
  const today = todayIso();
  children.forEach((c, i) => {
    if (!c.firstName.trim()) e[`c.${i}.firstName`] = t.required;
    if (!c.lastName.trim()) e[`c.${i}.lastName`] = t.required;
    if (c.birthdate && (!/^\d{4}-\d{2}-\d{2}$/.test(c.birthdate) || c.birthdate > today || c.birthdate < '1990-01-01')) e[`c.${i}.birthdate`] = t.badDate;
    else if (!c.birthdate && c.grade === '') e[`c.${i}.birthdate`] = t.needBirthOrGrade;
  });
  return e;
}
/** A server 400 names its field (guardians.0.phone, children.1.birthdate): show it by that field. */
function serverFieldKey(field: string | undefined): string | null {
  const m = /^(guardians|children)\.(\d+)\.(\w+)/.exec(field ?? '');
  if (!m) return null;
  return m[1] === 'guardians' ? `g.${m[3]}` : `c.${m[2]}.${m[3] === 'grade' ? 'birthdate' : m[3]}`;
}

let nextKey = 1;
const blankChild = (lastName: string): ChildDraft => ({ key: nextKey++, firstName: '', lastName, birthdate: '', grade: '', allergies: '' });

function Field({ id, label, error, help, children }: { id: string; label: string; error?: string; help?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {children}
      {help && !error && <p id={`${id}-help`} className="field-help">{help}</p>}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}
const described = (id: string, error?: string, help?: string) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : help ? `${id}-help` : undefined,
});

/** A first-time family: step 1 the guardian, step 2 the children; then straight into check-in. */
export function Register({ digits, onRegistered, onCancel }: { digits: string; onRegistered(h: KioskHouseholdSummary): void; onCancel(): void }) {
  // one key for this registration, reused by every retry: a dropped answer never makes a second family
  const [registrationKey] = useState(() => newIdempotencyKey());
  const { t } = useI18n();
  const [step, setStep] = useState<'guardian' | 'children'>('guardian');
  const [g, setG] = useState<GuardianDraft>({ firstName: '', lastName: '', phone: digits.length >= 10 ? digits : '' });
  const [children, setChildren] = useState<ChildDraft[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // after a failed submit, take the parent to the first field to fix
  const [focusErrors, setFocusErrors] = useState(0);
  useEffect(() => {
    if (!focusErrors) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  // a child just added: start typing their name
  const childCount = useRef(0);
  useEffect(() => {
    if (step === 'children' && childCount.current > 0 && children.length > childCount.current) {
      formRef.current?.querySelector<HTMLInputElement>('.child-card:last-of-type input')?.focus();
    }
    childCount.current = step === 'children' ? children.length : 0;
  }, [children.length, step]);

  function nextStep(e: FormEvent) {
    e.preventDefault();
    const errs = validateGuardian(t, g);
    setErrors(errs);
    if (Object.keys(errs).length) { setFocusErrors((n) => n + 1); return; }
    setChildren((cs) => (cs.length ? cs : [blankChild(g.lastName.trim())]));
    setStep('children');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs = validateChildren(t, children);
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) { setFocusErrors((n) => n + 1); return; }
    const body: HouseholdCreate = {
      guardians: [{ firstName: g.firstName.trim(), lastName: g.lastName.trim(), phone: g.phone.trim(), smsOptIn: true }],
      children: children.map((c) => ({
        firstName: c.firstName.trim(), lastName: c.lastName.trim(), birthdate: c.birthdate || null,
        grade: c.birthdate || c.grade === '' ? null : Number(c.grade), allergies: c.allergies.trim(), medicalNotes: '',
      })),
      authorizedPickups: [], custodyAlerts: [],
      idempotencyKey: registrationKey,
    };
    setBusy(true);
    try {
      const r = await api<{ household: KioskHouseholdSummary }>('/api/households', { method: 'POST', body });
      onRegistered(r.household);
    } catch (err) {
      setBusy(false);
      const key = err instanceof ApiError ? serverFieldKey(err.field) : null;
      if (key) {
        const msg = key === 'g.phone' ? t.badPhone : key.endsWith('birthdate') ? t.badDate : t.required;
        setErrors({ [key]: msg });
        if (key.startsWith('g.')) setStep('guardian');
        setFocusErrors((n) => n + 1);
      } else setFormError(err instanceof ApiError ? t.somethingWrong : t.offline);
    }
  }

  const setChild = (i: number, patch: Partial<ChildDraft>) => setChildren((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  if (step === 'guardian') {
    return (
      <Screen key="guardian" title={t.registerTitle} sub={t.registerHelp} className="screen-register">
        <form ref={formRef} className="form" onSubmit={nextStep} noValidate>
          <div className="form-row">
            <Field id="g-first" label={t.firstName} error={errors['g.firstName']}>
              <input id="g-first" className="input" autoComplete="off" maxLength={MAX_NAME_LENGTH} value={g.firstName} onChange={(e) => setG({ ...g, firstName: e.target.value })} {...described('g-first', errors['g.firstName'])} />
            </Field>
            <Field id="g-last" label={t.lastName} error={errors['g.lastName']}>
              <input id="g-last" className="input" autoComplete="off" maxLength={MAX_NAME_LENGTH} value={g.lastName} onChange={(e) => setG({ ...g, lastName: e.target.value })} {...described('g-last', errors['g.lastName'])} />
            </Field>
          </div>
          <Field id="g-phone" label={t.mobile} error={errors['g.phone']}>
            <input id="g-phone" className="input" type="tel" inputMode="tel" autoComplete="off" maxLength={24} value={g.phone} onChange={(e) => setG({ ...g, phone: e.target.value })} {...described('g-phone', errors['g.phone'])} />
          </Field>
          {formError && <p className="panel panel-error" role="alert">{formError}</p>}
          <div className="actions">
            <button type="button" className="btn btn-secondary btn-lg" onClick={onCancel}>{t.back}</button>
            <button type="submit" className="btn btn-primary btn-xl btn-grow">{t.next}</button>
          </div>
        </form>
      </Screen>
    );
  }

  return (
    <Screen key="children" title={t.childrenTitle} className="screen-register">
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        {children.map((c, i) => {
          const p = `c${c.key}`;
          const err = (f: string) => errors[`c.${i}.${f}`];
          return (
            <fieldset key={c.key} className="child-card">
              <legend>{t.childN(i + 1)}</legend>
              {children.length > 1 && (
                <button type="button" className="btn btn-ghost btn-remove" aria-label={t.removeChild(i + 1)} onClick={() => setChildren((cs) => cs.filter((_, j) => j !== i))}>{t.remove}</button>
              )}
              <div className="form-row">
                <Field id={`${p}-first`} label={t.firstName} error={err('firstName')}>
                  <input id={`${p}-first`} className="input" autoComplete="off" maxLength={MAX_NAME_LENGTH} value={c.firstName} onChange={(e) => setChild(i, { firstName: e.target.value })} {...described(`${p}-first`, err('firstName'))} />
                </Field>
                <Field id={`${p}-last`} label={t.lastName} error={err('lastName')}>
                  <input id={`${p}-last`} className="input" autoComplete="off" maxLength={MAX_NAME_LENGTH} value={c.lastName} onChange={(e) => setChild(i, { lastName: e.target.value })} {...described(`${p}-last`, err('lastName'))} />
                </Field>
              </div>
              <div className="form-row form-row-3">
                <Field id={`${p}-birth`} label={t.birthdate} error={err('birthdate')}>
                  <input id={`${p}-birth`} className="input" type="date" max={todayIso()} value={c.birthdate} onChange={(e) => setChild(i, { birthdate: e.target.value })} {...described(`${p}-birth`, err('birthdate'))} />
                </Field>
                <Field id={`${p}-grade`} label={t.grade}>
                  <select id={`${p}-grade`} className="input" value={c.grade} onChange={(e) => setChild(i, { grade: e.target.value })}>
                    <option value="">{t.gradeNone}</option>
                    {GRADES.map((gr) => <option key={gr} value={String(gr)}>{gradeLabel(t, gr)}</option>)}
                  </select>
                </Field>
                <Field id={`${p}-allergies`} label={t.allergies}>
                  <input id={`${p}-allergies`} className="input" autoComplete="off" maxLength={200} value={c.allergies} onChange={(e) => setChild(i, { allergies: e.target.value })} />
                </Field>
              </div>
            </fieldset>
          );
        })}
        {children.length < MAX_CHILDREN_PER_CHECKIN && (
          <button type="button" className="btn btn-secondary btn-lg btn-add" onClick={() => setChildren((cs) => [...cs, blankChild(g.lastName.trim())])}>+ {t.addChild}</button>
        )}
        {formError && <p className="panel panel-error" role="alert">{formError}</p>}
        <div className="actions actions-sticky">
          <button type="button" className="btn btn-secondary btn-lg" onClick={() => { setErrors({}); setStep('guardian'); }}>{t.back}</button>
          <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>{busy ? <><Spinner />{t.saving}</> : t.registerAndCheckIn}</button>
        </div>
      </form>
    </Screen>
  );
}
