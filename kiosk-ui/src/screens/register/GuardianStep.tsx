/** Registering, step 1: the parent's name, mobile and their yes to texts. */
import type { FormEvent, RefObject } from 'react';
import { useI18n } from '../../i18n';
import { Screen } from '../../ui';
import { FormError, NameFields, TextField, type Errors, type GuardianDraft } from './fields';

export function GuardianStep({
  g,
  setG,
  errors,
  formError,
  formRef,
  onNext,
  onCancel,
}: {
  g: GuardianDraft;
  setG(g: GuardianDraft): void;
  errors: Errors;
  formError: string | null;
  formRef: RefObject<HTMLFormElement | null>;
  onNext(e: FormEvent): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  return (
    <Screen key="guardian" title={t.registerTitle} sub={t.registerHelp} className="screen-register">
      <form ref={formRef} className="form" onSubmit={onNext} noValidate>
        <NameFields idPrefix="g" value={g} errorOf={(f) => errors[`g.${f}`]} autoComplete="off" onChange={(patch) => setG({ ...g, ...patch })} />
        <TextField
          id="g-phone"
          label={t.mobile}
          error={errors['g.phone']}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={24}
          value={g.phone}
          onChange={(phone) => setG({ ...g, phone })}
        />
        <label className="consent" htmlFor="g-sms">
          <input id="g-sms" type="checkbox" checked={g.smsOptIn} onChange={(e) => setG({ ...g, smsOptIn: e.target.checked })} />
          <span>{t.smsConsent}</span>
        </label>
        <FormError message={formError} />
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
