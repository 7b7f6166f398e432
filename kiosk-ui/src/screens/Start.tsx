import { Suspense, lazy, useEffect, useState } from 'react';
import { couldBeExpressCode, normalizeExpressCode } from '../../../contracts/rules';
import { LANGS, useI18n } from '../i18n';
import { formatDigits } from '../format';
import { Screen, Spinner } from '../ui';
import { useLatest } from '../hooks';

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

// the pickup screens' camera scanner (getUserMedia + jsQR), loaded only when a family scans
const Scanner = lazy(() => import('../../../ui-shared/Scanner'));
/** A code being typed is dropped after this pause (a scanner types a whole code in a few ms a key). */
export const CODE_KEY_GAP_MS = 2000;

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function Start({
  digits,
  setDigits,
  onFind,
  onExpress,
  onRegister,
  onVolunteer,
  busy,
  error,
}: {
  digits: string;
  setDigits(d: string): void;
  onFind(): void;
  /** a family's express check-in code (scanned, or typed by a keyboard-wedge scanner) */
  onExpress(code: string): void;
  onRegister(): void;
  onVolunteer(): void;
  busy: boolean;
  error: string | null;
}) {
  const { t, lang, setLang } = useI18n();
  const [scanning, setScanning] = useState(false);
  const state = useLatest({ digits, busy, onFind, onExpress, setDigits });

  // A hardware keyboard works too: digits, Backspace, Escape, Enter. A keyboard-wedge scanner
  // (USB/Bluetooth) "types" a family code in a fast burst ending in Enter: a code starts with a
  // letter, so from a letter on the keys go to the code, not the phone number; a burst that is not
  // a code (or paused) is dropped. A code pasted in works the same.
  useEffect(() => {
    const wedge = { text: '', at: 0 };
    const onKey = (e: KeyboardEvent) => {
      const s = state.current;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const now = performance.now();
      if (wedge.text && now - wedge.at > CODE_KEY_GAP_MS) wedge.text = '';
      if (e.key.length === 1 && (wedge.text || /^[a-z]$/i.test(e.key))) {
        const next = wedge.text + e.key;
        wedge.text = couldBeExpressCode(next) ? next : '';
        wedge.at = now;
        // a stray letter is dropped; a digit that cannot continue a code is a phone digit after all
        if (wedge.text || !/^[0-9]$/.test(e.key)) {
          e.preventDefault();
          return;
        }
      }
      if (e.key === 'Enter' && wedge.text) {
        const code = normalizeExpressCode(wedge.text);
        wedge.text = '';
        e.preventDefault();
        if (code && !s.busy) s.onExpress(code);
        return;
      }
      if (/^[0-9]$/.test(e.key)) {
        if (s.digits.length < MAX_PHONE_DIGITS) s.setDigits(s.digits + e.key);
        e.preventDefault();
      } else if (e.key === 'Backspace') {
        s.setDigits(s.digits.slice(0, -1));
        e.preventDefault();
      } else if (e.key === 'Escape') {
        wedge.text = '';
        s.setDigits('');
      } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
        if (canSearch(s.digits) && !s.busy) s.onFind();
        e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent) => {
      const code = normalizeExpressCode(e.clipboardData?.getData('text') ?? '');
      if (code && !state.current.busy) {
        e.preventDefault();
        state.current.onExpress(code);
      }
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [state]);

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
            <button type="button" className="btn btn-secondary" onClick={() => setScanning(!scanning)} aria-pressed={scanning}>
              {scanning ? t.back : t.scanFamilyCode}
            </button>
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
        {scanning ? (
          <div className="express-scan" role="group" aria-label={t.scanFamilyCode}>
            <p>{t.scanFamilyHelp}</p>
            <Suspense fallback={<Spinner />}>
              <Scanner
                paused={busy}
                onScan={(text) => {
                  const code = normalizeExpressCode(text);
                  if (code && !busy) onExpress(code);
                }}
              />
            </Suspense>
          </div>
        ) : (
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
        )}
      </div>
    </Screen>
  );
}
