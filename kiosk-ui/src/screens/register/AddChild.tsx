import { useState, type FormEvent } from 'react';
import type { HouseholdCreate, KioskHouseholdSummary } from '../../../../contracts';
import { formatPhone, normalizeMobile } from '../../../../contracts/rules';
import { api, ApiError, newIdempotencyKey } from '../../api';
import { useI18n } from '../../i18n';
import { Screen, Spinner } from '../../ui';
import {
  blankChild,
  CodeForm,
  FormError,
  NameFields,
  phoneCountry,
  serverFieldKey,
  TextField,
  todayIso,
  validateChildren,
  type ChildDraft,
  type Errors,
} from './fields';

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

  if (step === 'code') {
    return (
      <Screen
        key="add-code"
        title={t.codeTitle}
        sub={t.codeHelp(formatPhone(normalizeMobile(phone, phoneCountry()), phoneCountry()))}
        className="screen-register"
      >
        <CodeForm
          id="add-code"
          code={code}
          setCode={setCode}
          formError={formError}
          busy={busy}
          submitLabel={t.addChildCode}
          onSubmit={(e) => void add(e)}
          onResend={() => void sendCode()}
        />
      </Screen>
    );
  }
  const err = (f: string) => errors[`c.0.${f}`];
  return (
    <Screen key="add-child" title={t.addChildTitle} sub={t.addChildHelp(household.name)} className="screen-register">
      <form className="form" onSubmit={(e) => void sendCode(e)} noValidate>
        <NameFields idPrefix="add" value={child} errorOf={err} onChange={(patch) => setChild({ ...child, ...patch })} />
        <TextField
          id="add-birth"
          label={t.birthdate}
          error={err('birthdate')}
          type="date"
          max={todayIso()}
          value={child.birthdate}
          onChange={(birthdate) => setChild({ ...child, birthdate })}
        />
        <TextField id="add-allergies" label={t.allergies} value={child.allergies} onChange={(allergies) => setChild({ ...child, allergies })} />
        <TextField
          id="add-phone"
          label={t.yourMobile}
          error={errors['g.phone']}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          onChange={setPhone}
        />
        <FormError message={formError} />
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
