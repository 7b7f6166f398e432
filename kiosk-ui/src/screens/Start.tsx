import { useEffect, useRef } from 'react';
import { LANGS, useI18n } from '../i18n';
import { formatDigits } from '../format';
import { Screen, Spinner } from '../ui';

export const MAX_PHONE_DIGITS = 15;
/** Four digits (the last 4) or a whole number; anything in between cannot match. */
export const canSearch = (d: string) => d.length === 4 || d.length >= 10;

function GlobeIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2">
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z" />
    </svg>
  );
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function Start({
  digits,
  setDigits,
  onFind,
  onRegister,
  onVolunteer,
  busy,
  error,
}: {
  digits: string;
  setDigits(d: string): void;
  onFind(): void;
  onRegister(): void;
  onVolunteer(): void;
  busy: boolean;
  error: string | null;
}) {
  const { t, lang, setLang } = useI18n();
  const state = useRef({ digits, busy, onFind, setDigits });
  state.current = { digits, busy, onFind, setDigits };

  // A hardware keyboard works too: digits, Backspace, Escape, Enter.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = state.current;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (/^[0-9]$/.test(e.key)) {
        if (s.digits.length < MAX_PHONE_DIGITS) s.setDigits(s.digits + e.key);
        e.preventDefault();
      } else if (e.key === 'Backspace') {
        s.setDigits(s.digits.slice(0, -1));
        e.preventDefault();
      } else if (e.key === 'Escape') s.setDigits('');
      else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
        if (canSearch(s.digits) && !s.busy) s.onFind();
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const press = (k: string) => {
    if (digits.length < MAX_PHONE_DIGITS) setDigits(digits + k);
  };
  const other = LANGS.find((l) => l !== lang)!;

  return (
    <Screen title={t.welcome} sub={t.phonePrompt} className="screen-start">
      <div className="start-grid">
        <div className="start-main">
          <div className="phone-display" role="status" aria-live="polite" aria-label={`${t.phoneLabel}: ${digits.split('').join(' ')}`}>
            {digits ? <span className="phone-digits">{formatDigits(digits)}</span> : <span className="phone-placeholder">{t.phoneLabel}</span>}
          </div>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="btn btn-primary btn-xl btn-find" disabled={!canSearch(digits) || busy} onClick={onFind}>
            {busy ? (
              <>
                <Spinner />
                {t.finding}
              </>
            ) : (
              t.find
            )}
          </button>
          <div className="start-secondary">
            <button type="button" className="btn btn-secondary" onClick={onRegister}>
              {t.newHere}
            </button>
            <button type="button" className="btn btn-secondary" onClick={onVolunteer}>
              {t.volStart}
            </button>
            <button type="button" className="btn btn-ghost" lang={other} aria-label={t.switchLanguageLabel} onClick={() => setLang(other)}>
              <GlobeIcon /> {t.switchLanguage}
            </button>
          </div>
        </div>
        <div className="keypad" role="group" aria-label={t.phoneLabel}>
          {KEYS.map((k) => (
            <button key={k} type="button" className="key" onClick={() => press(k)}>
              {k}
            </button>
          ))}
          <button type="button" className="key key-fn" onClick={() => setDigits('')} disabled={!digits}>
            {t.clear}
          </button>
          <button type="button" className="key" onClick={() => press('0')}>
            0
          </button>
          <button type="button" className="key key-fn" onClick={() => setDigits(digits.slice(0, -1))} disabled={!digits} aria-label={t.deleteDigit}>
            <svg
              className="icon"
              viewBox="0 0 24 24"
              width="36"
              height="36"
              aria-hidden="true"
              focusable="false"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinejoin="round"
            >
              <path d="M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-6-7z" />
              <path d="M12 9l6 6M18 9l-6 6" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      </div>
    </Screen>
  );
}
