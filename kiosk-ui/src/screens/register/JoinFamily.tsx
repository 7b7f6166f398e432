/** "Is this you?" (the phone already belongs to a family here) and the code texted to join it (DESIGN §16). */
import type { FormEvent } from 'react';
import type { PossibleDuplicate } from '../../../../contracts';
import { useI18n } from '../../i18n';
import { Screen } from '../../ui';
import { CodeForm, FormError } from './fields';

export function Duplicates({
  matches,
  textsOn,
  busy,
  codeError,
  formError,
  onYes,
  onBack,
  onNew,
}: {
  matches: PossibleDuplicate[];
  /** without texts no code can prove the family: the welcome desk joins it */
  textsOn: boolean;
  busy: boolean;
  codeError: string | null;
  formError: string | null;
  onYes(m: PossibleDuplicate): void;
  onBack(): void;
  /** not them: register a new family after all */
  onNew(): void;
}) {
  const { t } = useI18n();
  return (
    <Screen key="duplicate" title={t.dupTitle} sub={t.dupHelp} className="screen-register screen-duplicate">
      <ul className="dup-list">
        {matches.map((m) => (
          <li key={m.householdId} className="panel dup-match">
            <strong className="dup-name">{m.name}</strong> <span className="mono">{m.phoneMasked}</span>
            {textsOn && (
              <button type="button" className="btn btn-primary btn-lg" disabled={busy} onClick={() => onYes(m)}>
                {t.dupYes}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!textsOn && (
        <p className="panel panel-info" role="status" data-testid="join-at-desk">
          {t.dupDesk}
        </p>
      )}
      <FormError message={codeError} />
      <FormError message={formError} />
      <div className="actions">
        <button type="button" className="btn btn-secondary btn-lg" onClick={onBack}>
          {t.back}
        </button>
        <button type="button" className="btn btn-secondary btn-xl btn-grow" disabled={busy} onClick={onNew}>
          {t.dupNo}
        </button>
      </div>
    </Screen>
  );
}

export function JoinCode({
  phoneShown,
  code,
  setCode,
  codeError,
  formError,
  busy,
  onSubmit,
  onResend,
}: {
  phoneShown: string;
  code: string;
  setCode(code: string): void;
  codeError: string | null;
  formError: string | null;
  busy: boolean;
  onSubmit(e: FormEvent): void;
  onResend(): void;
}) {
  const { t } = useI18n();
  return (
    <Screen key="code" title={t.codeTitle} sub={t.codeHelp(phoneShown)} className="screen-register screen-join-code">
      <CodeForm
        id="join-code"
        code={code}
        setCode={setCode}
        codeError={codeError}
        formError={formError}
        busy={busy}
        submitLabel={t.addToFamily}
        onSubmit={onSubmit}
        onResend={onResend}
      />
    </Screen>
  );
}
