import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { HouseholdCreate, KioskHouseholdSummary, PossibleDuplicate } from '../../../contracts';
import { formatPhone, normalizeMobile } from '../../../contracts/rules';
import { api, ApiError, newIdempotencyKey } from '../api';
import { useI18n } from '../i18n';
import {
  blankChild,
  phoneCountry,
  serverFieldKey,
  validateChildren,
  validateGuardian,
  type ChildDraft,
  type Errors,
  type GuardianDraft,
} from './register/fields';
import { Duplicates, JoinCode } from './register/JoinFamily';
import { GuardianStep } from './register/GuardianStep';
import { ChildrenStep } from './register/ChildrenStep';

// a family found at the kiosk adds a child: its own screen (register/AddChild.tsx)
export { AddChild } from './register/AddChild';

/** A first-time family: step 1 the guardian, step 2 the children; then straight into check-in. */
/**
 * `onRegistered(h, childIds, proof)`: childIds are the children this parent entered — joining a
 * family, never the rest of it; `proof`: the code texted to the family's phone, which also proves
 * the family's code for the day when it already checked children in (DESIGN §16).
 */
export function Register({
  digits,
  textsOn = true,
  onRegistered,
  onCancel,
}: {
  digits: string;
  /** the server sends texts: joining a known family takes the code texted to its phone, so without texts the desk does it */
  textsOn?: boolean;
  onRegistered(h: KioskHouseholdSummary, childIds: string[], proof?: string): void;
  onCancel(): void;
}) {
  // one key for this registration, reused by every retry: a dropped answer never makes a second family
  const [registrationKey] = useState(() => newIdempotencyKey());
  const { t, lang } = useI18n();
  const [step, setStep] = useState<'guardian' | 'children'>('guardian');
  const [g, setG] = useState<GuardianDraft>({ firstName: '', lastName: '', phone: digits.length >= 10 ? digits : '', smsOptIn: false });
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
    guardians: [{ firstName: g.firstName.trim(), lastName: g.lastName.trim(), phone: g.phone.trim(), smsOptIn: g.smsOptIn }],
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
      <Duplicates
        matches={step2.matches}
        textsOn={textsOn}
        busy={busy}
        codeError={codeError}
        formError={formError}
        onYes={(m) => void sendCode(m)}
        onBack={() => setStep2(null)}
        onNew={() => void send({ confirmNew: true })}
      />
    );
  }
  if (step2?.kind === 'code') {
    const match = step2.match;
    return (
      <JoinCode
        phoneShown={step2.phoneShown}
        code={code}
        setCode={setCode}
        codeError={codeError}
        formError={formError}
        busy={busy}
        onSubmit={(e) => submitCode(e, match)}
        onResend={() => void sendCode(match)}
      />
    );
  }
  if (step === 'guardian') {
    return <GuardianStep g={g} setG={setG} errors={errors} formError={formError} formRef={formRef} onNext={nextStep} onCancel={onCancel} />;
  }
  return (
    <ChildrenStep
      children={children}
      setChildren={setChildren}
      lastName={g.lastName.trim()}
      errors={errors}
      formError={formError}
      busy={busy}
      formRef={formRef}
      onSubmit={(e) => void submit(e)}
      onBack={() => {
        setErrors({});
        setStep('guardian');
      }}
    />
  );
}
