/** Registering, step 2: each child's name, birthdate or grade and allergies. */
import type { Dispatch, FormEvent, RefObject, SetStateAction } from 'react';
import { MAX_CHILDREN_PER_CHECKIN } from '../../../../contracts/limits';
import { useI18n } from '../../i18n';
import { gradeLabel } from '../../format';
import { Screen } from '../../ui';
import { blankChild, Field, FormError, GRADES, NameFields, SubmitButton, TextField, todayIso, type ChildDraft, type Errors } from './fields';

export function ChildrenStep({
  children,
  setChildren,
  lastName,
  errors,
  formError,
  busy,
  formRef,
  onSubmit,
  onBack,
}: {
  children: ChildDraft[];
  setChildren: Dispatch<SetStateAction<ChildDraft[]>>;
  /** the guardian's: a child added here starts with it */
  lastName: string;
  errors: Errors;
  formError: string | null;
  busy: boolean;
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit(e: FormEvent): void;
  onBack(): void;
}) {
  const { t } = useI18n();
  const setChild = (i: number, patch: Partial<ChildDraft>) => setChildren((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Screen key="children" title={t.childrenTitle} className="screen-register">
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
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
              <NameFields idPrefix={p} value={c} errorOf={err} autoComplete="off" onChange={(patch) => setChild(i, patch)} />
              <div className="form-row form-row-3">
                <TextField
                  id={`${p}-birth`}
                  label={t.birthdate}
                  error={err('birthdate')}
                  type="date"
                  max={todayIso()}
                  value={c.birthdate}
                  onChange={(birthdate) => setChild(i, { birthdate })}
                />
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
                <TextField
                  id={`${p}-allergies`}
                  label={t.allergies}
                  autoComplete="off"
                  maxLength={200}
                  value={c.allergies}
                  onChange={(allergies) => setChild(i, { allergies })}
                />
              </div>
            </fieldset>
          );
        })}
        {children.length < MAX_CHILDREN_PER_CHECKIN && (
          <button type="button" className="btn btn-secondary btn-lg btn-add" onClick={() => setChildren((cs) => [...cs, blankChild(lastName)])}>
            + {t.addChild}
          </button>
        )}
        <FormError message={formError} />
        <div className="actions actions-sticky">
          <button type="button" className="btn btn-secondary btn-lg" onClick={onBack}>
            {t.back}
          </button>
          <SubmitButton busy={busy} label={t.registerAndCheckIn} />
        </div>
      </form>
    </Screen>
  );
}
