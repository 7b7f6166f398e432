import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HouseholdCreate, KioskHouseholdSummary, PossibleDuplicate } from '../../../contracts';
import { MAX_CHILDREN_PER_CHECKIN, MAX_GRADE, MAX_NAME_LENGTH, MIN_GRADE } from '../../../contracts/limits';
import { birthdateProblem, countryForTimezone, formatPhone, isoDateIn, nameProblem, normalizeMobile } from '../../../contracts/rules';
import { api, ApiError, newIdempotencyKey } from '../api';
import { loadSession } from '../session';
import { useI18n, type Messages } from '../i18n';
import { gradeLabel } from '../format';
import { Screen, Spinner } from '../ui';

interface ChildDraft {
  key: number;
  firstName: string;
  lastName: string;
  birthdate: string;
  grade: string;
  allergies: string;
}
interface GuardianDraft {
  firstName: string;
  lastName: string;
  phone: string;
}
type Errors = Record<string, string>;

const GRADES = Array.from({ length: MAX_GRADE - MIN_GRADE + 1 }, (_, i) => MIN_GRADE + i);
/** The site's timezone gives its date ("today" for a birthdate) and the country of a number typed without +CC. */
const siteTimezone = () => loadSession()?.site.timezone ?? 'UTC';
const todayIso = () => isoDateIn(siteTimezone());
const phoneCountry = () => countryForTimezone(siteTimezone());
// the same rules as the server's (contracts/rules): the kiosk only says so sooner
const nameError = (t: Messages, v: string) => {
  const p = nameProblem(v);
  return p === null ? undefined : p === 'is required' ? t.required : t.badName;
};

function validateGuardian(t: Messages, g: GuardianDraft): Errors {
  const e: Errors = {};
  const first = nameError(t, g.firstName);
  if (first) e['g.firstName'] = first;
  const last = nameError(t, g.lastName);
  if (last) e['g.lastName'] = last;
  if (!normalizeMobile(g.phone, phoneCountry())) e['g.phone'] = t.badPhone;
  return e;
}
function validateChildren(t: Messages, children: ChildDraft[]): Errors {
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
const described = (id: string, error?: string, help?: string) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : help ? `${id}-help` : undefined,
});

/** A first-time family: step 1 the guardian, step 2 the children; then straight into check-in. */
/**
 * `onRegistered(h, childIds, proof)`: childIds are the children this parent entered — joining a
 * family, never the rest of it; `proof`: the code texted to the family's phone, which also proves
 * the family's code for the day when it already checked children in (DESIGN §16).
 */
export function Register({
  digits,
  onRegistered,
  onCancel,
}: {
  digits: string;
  onRegistered(h: KioskHouseholdSummary, childIds: string[], proof?: string): void;
  onCancel(): void;
}) {
  // one key for this registration, reused by every retry: a dropped answer never makes a second family
  const [registrationKey] = useState(() => newIdempotencyKey());
  const { t, lang } = useI18n();
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
    if (Object.keys(errs).length) {
      setFocusErrors((n) => n + 1);
      return;
    }
    setChildren((cs) => (cs.length ? cs : [blankChild(g.lastName.trim())]));
    setStep('children');
  }

  const [step2, setStep2] = useState<
    null | { kind: 'duplicate'; matches: PossibleDuplicate[] } | { kind: 'code'; match: PossibleDuplicate; phoneShown: string }
  >(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);

  const buildBody = (extra: Partial<HouseholdCreate> = {}): HouseholdCreate => ({
    guardians: [{ firstName: g.firstName.trim(), lastName: g.lastName.trim(), phone: g.phone.trim(), smsOptIn: true }],
    children: children.map((c) => ({
      firstName: c.firstName.trim(),
      lastName: c.lastName.trim(),
      birthdate: c.birthdate || null,
      grade: c.birthdate || c.grade === '' ? null : Number(c.grade),
      allergies: c.allergies.trim(),
      medicalNotes: '',
    })),
    authorizedPickups: [],
    custodyAlerts: [],
    idempotencyKey: registrationKey,
    // the language the parent registered in becomes the family's
    lang,
    ...extra,
  });

  async function send(extra: Partial<HouseholdCreate> = {}) {
    setBusy(true);
    try {
      const r = await api('POST /api/households', { body: buildBody(extra) });
      onRegistered(r.household, r.childIds, extra.joinCode);
    } catch (err) {
      setBusy(false);
      // "Is this you?": the phone already belongs to a family here; never make a second one silently
      if (err instanceof ApiError && err.code === 'possible_duplicate' && err.body?.matches?.length) {
        setStep2({ kind: 'duplicate', matches: err.body.matches });
        return;
      }
      if (extra.joinHouseholdId && err instanceof ApiError && (err.status === 403 || err.status === 429)) {
        setCodeError(err.status === 429 ? t.codeTooMany : t.codeWrong);
        return;
      }
      const key = err instanceof ApiError ? serverFieldKey(err.field) : null;
      if (key) {
        const msg = key === 'g.phone' ? t.badPhone : key.endsWith('birthdate') ? t.badDate : t.required;
        setStep2(null);
        setErrors({ [key]: msg });
        if (key.startsWith('g.')) setStep('guardian');
        setFocusErrors((n) => n + 1);
      } else setFormError(err instanceof ApiError ? t.somethingWrong : t.offline);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs = validateChildren(t, children);
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) {
      setFocusErrors((n) => n + 1);
      return;
    }
    await send();
  }

  async function sendCode(match: PossibleDuplicate) {
    setBusy(true);
    setCodeError(null);
    try {
      await api('POST /api/households/:id/join-code', { params: { id: match.householdId }, body: { phone: g.phone.trim() } });
      setCode('');
      setStep2({ kind: 'code', match, phoneShown: formatPhone(normalizeMobile(g.phone, phoneCountry()), phoneCountry()) || match.phoneMasked });
    } catch (err) {
      setCodeError(err instanceof ApiError && err.status === 429 ? t.codeTooMany : err instanceof ApiError ? t.somethingWrong : t.offline);
    } finally {
      setBusy(false);
    }
  }

  function submitCode(e: FormEvent, match: PossibleDuplicate) {
    e.preventDefault();
    if (!/^[0-9]{6}$/.test(code.trim())) {
      setCodeError(t.codeBad);
      return;
    }
    setCodeError(null);
    void send({ joinHouseholdId: match.householdId, joinCode: code.trim() });
  }

  if (step2?.kind === 'duplicate') {
    return (
      <Screen key="duplicate" title={t.dupTitle} sub={t.dupHelp} className="screen-register screen-duplicate">
        <ul className="dup-list">
          {step2.matches.map((m) => (
            <li key={m.householdId} className="panel dup-match">
              <strong className="dup-name">{m.name}</strong> <span className="mono">{m.phoneMasked}</span>
              <button type="button" className="btn btn-primary btn-lg" disabled={busy} onClick={() => void sendCode(m)}>
                {t.dupYes}
              </button>
            </li>
          ))}
        </ul>
        {codeError && (
          <p className="panel panel-error" role="alert">
            {codeError}
          </p>
        )}
        {formError && (
          <p className="panel panel-error" role="alert">
            {formError}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn btn-secondary btn-lg" onClick={() => setStep2(null)}>
            {t.back}
          </button>
          <button type="button" className="btn btn-secondary btn-xl btn-grow" disabled={busy} onClick={() => void send({ confirmNew: true })}>
            {t.dupNo}
          </button>
        </div>
      </Screen>
    );
  }
  if (step2?.kind === 'code') {
    const match = step2.match;
    return (
      <Screen key="code" title={t.codeTitle} sub={t.codeHelp(step2.phoneShown)} className="screen-register screen-join-code">
        <form className="form" onSubmit={(e) => submitCode(e, match)} noValidate>
          <Field id="join-code" label={t.codeLabel} error={codeError ?? undefined}>
            <input
              id="join-code"
              className="input input-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              {...described('join-code', codeError ?? undefined)}
            />
          </Field>
          {formError && (
            <p className="panel panel-error" role="alert">
              {formError}
            </p>
          )}
          <div className="actions">
            <button type="button" className="btn btn-secondary btn-lg" disabled={busy} onClick={() => void sendCode(match)}>
              {t.codeResend}
            </button>
            <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>
              {busy ? (
                <>
                  <Spinner />
                  {t.saving}
                </>
              ) : (
                t.addToFamily
              )}
            </button>
          </div>
        </form>
      </Screen>
    );
  }

  const setChild = (i: number, patch: Partial<ChildDraft>) => setChildren((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  if (step === 'guardian') {
    return (
      <Screen key="guardian" title={t.registerTitle} sub={t.registerHelp} className="screen-register">
        <form ref={formRef} className="form" onSubmit={nextStep} noValidate>
          <div className="form-row">
            <Field id="g-first" label={t.firstName} error={errors['g.firstName']}>
              <input
                id="g-first"
                className="input"
                autoComplete="off"
                maxLength={MAX_NAME_LENGTH}
                value={g.firstName}
                onChange={(e) => setG({ ...g, firstName: e.target.value })}
                {...described('g-first', errors['g.firstName'])}
              />
            </Field>
            <Field id="g-last" label={t.lastName} error={errors['g.lastName']}>
              <input
                id="g-last"
                className="input"
                autoComplete="off"
                maxLength={MAX_NAME_LENGTH}
                value={g.lastName}
                onChange={(e) => setG({ ...g, lastName: e.target.value })}
                {...described('g-last', errors['g.lastName'])}
              />
            </Field>
          </div>
          <Field id="g-phone" label={t.mobile} error={errors['g.phone']}>
            <input
              id="g-phone"
              className="input"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              maxLength={24}
              value={g.phone}
              onChange={(e) => setG({ ...g, phone: e.target.value })}
              {...described('g-phone', errors['g.phone'])}
            />
          </Field>
          {formError && (
            <p className="panel panel-error" role="alert">
              {formError}
            </p>
          )}
          <div className="actions">
            <button type="button" className="btn btn-secondary btn-lg" onClick={onCancel}>
              {t.back}
            </button>
            <button type="submit" className="btn btn-primary btn-xl btn-grow">
              {t.next}
            </button>
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
                <button
                  type="button"
                  className="btn btn-ghost btn-remove"
                  aria-label={t.removeChild(i + 1)}
                  onClick={() => setChildren((cs) => cs.filter((_, j) => j !== i))}
                >
                  {t.remove}
                </button>
              )}
              <div className="form-row">
                <Field id={`${p}-first`} label={t.firstName} error={err('firstName')}>
                  <input
                    id={`${p}-first`}
                    className="input"
                    autoComplete="off"
                    maxLength={MAX_NAME_LENGTH}
                    value={c.firstName}
                    onChange={(e) => setChild(i, { firstName: e.target.value })}
                    {...described(`${p}-first`, err('firstName'))}
                  />
                </Field>
                <Field id={`${p}-last`} label={t.lastName} error={err('lastName')}>
                  <input
                    id={`${p}-last`}
                    className="input"
                    autoComplete="off"
                    maxLength={MAX_NAME_LENGTH}
                    value={c.lastName}
                    onChange={(e) => setChild(i, { lastName: e.target.value })}
                    {...described(`${p}-last`, err('lastName'))}
                  />
                </Field>
              </div>
              <div className="form-row form-row-3">
                <Field id={`${p}-birth`} label={t.birthdate} error={err('birthdate')}>
                  <input
                    id={`${p}-birth`}
                    className="input"
                    type="date"
                    max={todayIso()}
                    value={c.birthdate}
                    onChange={(e) => setChild(i, { birthdate: e.target.value })}
                    {...described(`${p}-birth`, err('birthdate'))}
                  />
                </Field>
                <Field id={`${p}-grade`} label={t.grade}>
                  <select id={`${p}-grade`} className="input" value={c.grade} onChange={(e) => setChild(i, { grade: e.target.value })}>
                    <option value="">{t.gradeNone}</option>
                    {GRADES.map((gr) => (
                      <option key={gr} value={String(gr)}>
                        {gradeLabel(t, gr)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id={`${p}-allergies`} label={t.allergies}>
                  <input
                    id={`${p}-allergies`}
                    className="input"
                    autoComplete="off"
                    maxLength={200}
                    value={c.allergies}
                    onChange={(e) => setChild(i, { allergies: e.target.value })}
                  />
                </Field>
              </div>
            </fieldset>
          );
        })}
        {children.length < MAX_CHILDREN_PER_CHECKIN && (
          <button type="button" className="btn btn-secondary btn-lg btn-add" onClick={() => setChildren((cs) => [...cs, blankChild(g.lastName.trim())])}>
            + {t.addChild}
          </button>
        )}
        {formError && (
          <p className="panel panel-error" role="alert">
            {formError}
          </p>
        )}
        <div className="actions actions-sticky">
          <button
            type="button"
            className="btn btn-secondary btn-lg"
            onClick={() => {
              setErrors({});
              setStep('guardian');
            }}
          >
            {t.back}
          </button>
          <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>
            {busy ? (
              <>
                <Spinner />
                {t.saving}
              </>
            ) : (
              t.registerAndCheckIn
            )}
          </button>
        </div>
      </form>
    </Screen>
  );
}

/**
 * A family found at the kiosk adds a child (issue #15): the child's name and birthdate, the
 * parent's mobile (one of this family's), then the code texted to it — the same proof as "Is this
 * you?" (SECURITY.md), since anyone can type a phone number at the kiosk. The answer is the
 * family with the new child, back on the list to check in.
 */
export function AddChild({
  household,
  digits,
  onAdded,
  onCancel,
}: {
  household: KioskHouseholdSummary;
  digits: string;
  /** childIds: the child just added (the one to check in) */
  onAdded(h: KioskHouseholdSummary, childIds: string[]): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [addKey] = useState(() => newIdempotencyKey());
  const [child, setChild] = useState<ChildDraft>(() => blankChild(household.name.replace(/\s+family$/i, '')));
  const [phone, setPhone] = useState(digits.length >= 10 ? digits : '');
  const [errors, setErrors] = useState<Errors>({});
  const [step, setStep] = useState<'child' | 'code'>('child');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  async function sendCode(e?: FormEvent) {
    e?.preventDefault();
    const errs = validateChildren(t, [child]);
    if (!normalizeMobile(phone, phoneCountry())) errs['g.phone'] = t.badPhone;
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await api('POST /api/households/:id/join-code', { params: { id: household.id }, body: { phone: phone.trim() } });
      setCode('');
      setStep('code');
    } catch (err) {
      setFormError(err instanceof ApiError ? (err.status === 404 ? t.notThisFamily : err.status === 429 ? t.codeTooMany : t.somethingWrong) : t.offline);
    } finally {
      setBusy(false);
    }
  }

  async function add(e: FormEvent) {
    e.preventDefault();
    if (!/^[0-9]{6}$/.test(code.trim())) {
      setFormError(t.codeBad);
      return;
    }
    setBusy(true);
    setFormError(null);
    const body: HouseholdCreate = {
      // the guardian is the family's own (found by this phone): joining adds no one but the child
      guardians: [
        { firstName: household.guardians[0]?.firstName ?? child.lastName.trim(), lastName: child.lastName.trim(), phone: phone.trim(), smsOptIn: true },
      ],
      children: [
        {
          firstName: child.firstName.trim(),
          lastName: child.lastName.trim(),
          birthdate: child.birthdate || null,
          grade: null,
          allergies: child.allergies.trim(),
          medicalNotes: '',
        },
      ],
      authorizedPickups: [],
      custodyAlerts: [],
      idempotencyKey: addKey,
      joinHouseholdId: household.id,
      joinCode: code.trim(),
    };
    try {
      const r = await api('POST /api/households', { body });
      onAdded(r.household, r.childIds);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && (err.status === 403 || err.status === 429)) setFormError(err.status === 429 ? t.codeTooMany : t.codeWrong);
      else if (err instanceof ApiError && serverFieldKey(err.field)?.startsWith('c.')) {
        setStep('child');
        setErrors({ [serverFieldKey(err.field)!.replace(/^c\.\d+\./, 'c.0.')]: t.badDate });
      } else setFormError(err instanceof ApiError ? t.somethingWrong : t.offline);
    }
  }

  const error = formError && (
    <p className="panel panel-error" role="alert">
      {formError}
    </p>
  );
  if (step === 'code') {
    return (
      <Screen
        key="add-code"
        title={t.codeTitle}
        sub={t.codeHelp(formatPhone(normalizeMobile(phone, phoneCountry()), phoneCountry()))}
        className="screen-register"
      >
        <form className="form" onSubmit={(e) => void add(e)} noValidate>
          <Field id="add-code" label={t.codeLabel}>
            <input
              id="add-code"
              className="input input-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            />
          </Field>
          {error}
          <div className="actions">
            <button type="button" className="btn btn-secondary btn-lg" disabled={busy} onClick={() => void sendCode()}>
              {t.codeResend}
            </button>
            <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>
              {busy ? (
                <>
                  <Spinner />
                  {t.saving}
                </>
              ) : (
                t.addChildCode
              )}
            </button>
          </div>
        </form>
      </Screen>
    );
  }
  const err = (f: string) => errors[`c.0.${f}`];
  return (
    <Screen key="add-child" title={t.addChildTitle} sub={t.addChildHelp(household.name)} className="screen-register">
      <form className="form" onSubmit={(e) => void sendCode(e)} noValidate>
        <div className="form-row">
          <Field id="add-first" label={t.firstName} error={err('firstName')}>
            <input
              id="add-first"
              className="input"
              maxLength={MAX_NAME_LENGTH}
              value={child.firstName}
              onChange={(e) => setChild({ ...child, firstName: e.target.value })}
              {...described('add-first', err('firstName'))}
            />
          </Field>
          <Field id="add-last" label={t.lastName} error={err('lastName')}>
            <input
              id="add-last"
              className="input"
              maxLength={MAX_NAME_LENGTH}
              value={child.lastName}
              onChange={(e) => setChild({ ...child, lastName: e.target.value })}
              {...described('add-last', err('lastName'))}
            />
          </Field>
        </div>
        <Field id="add-birth" label={t.birthdate} error={err('birthdate')}>
          <input
            id="add-birth"
            className="input"
            type="date"
            max={todayIso()}
            value={child.birthdate}
            onChange={(e) => setChild({ ...child, birthdate: e.target.value })}
            {...described('add-birth', err('birthdate'))}
          />
        </Field>
        <Field id="add-allergies" label={t.allergies}>
          <input id="add-allergies" className="input" value={child.allergies} onChange={(e) => setChild({ ...child, allergies: e.target.value })} />
        </Field>
        <Field id="add-phone" label={t.yourMobile} error={errors['g.phone']}>
          <input
            id="add-phone"
            className="input"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            {...described('add-phone', errors['g.phone'])}
          />
        </Field>
        {error}
        <div className="actions">
          <button type="button" className="btn btn-secondary btn-lg" disabled={busy} onClick={onCancel}>
            {t.back}
          </button>
          <button type="submit" className="btn btn-primary btn-xl btn-grow" disabled={busy}>
            {busy ? <Spinner /> : t.sendCode}
          </button>
        </div>
      </form>
    </Screen>
  );
}
