/** Registering, step 1: the parent's name, mobile and their yes to texts. */
import type { FormEvent, RefObject } from 'react';
import { MAX_NAME_LENGTH } from '../../../../contracts/limits';
import { useI18n } from '../../i18n';
import { Screen } from '../../ui';
import { described, Field, type Errors, type GuardianDraft } from './fields';

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
        <label className="consent" htmlFor="g-sms">
          <input id="g-sms" type="checkbox" checked={g.smsOptIn} onChange={(e) => setG({ ...g, smsOptIn: e.target.checked })} />
          <span>{t.smsConsent}</span>
        </label>
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
