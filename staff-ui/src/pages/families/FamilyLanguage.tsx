import { useState } from 'react';
import { FAMILY_LANG_NAMES, FAMILY_LANGS, type FamilyLang } from '../../../../contracts/rules';
import { ErrorText } from '../../ui';

/** The family's language: their texts, pickup pass and labels (set at the kiosk; staff can change it). */
export function FamilyLanguage({ lang, onChange }: { lang: FamilyLang; onChange(lang: FamilyLang): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <p className="family-lang">
      <label>
        Language for texts, pickup pass and labels{' '}
        <select
          aria-label="Family language"
          value={lang}
          disabled={busy}
          onChange={async (e) => {
            setBusy(true);
            setError(null);
            try {
              await onChange(e.target.value as FamilyLang);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {FAMILY_LANGS.map((l) => (
            <option key={l} value={l}>
              {FAMILY_LANG_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      {error != null && <ErrorText error={error} />}
    </p>
  );
}
