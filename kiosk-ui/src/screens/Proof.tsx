import { Suspense, lazy, useState } from 'react';
import { useI18n } from '../i18n';
import { Spinner } from '../ui';

// the pickup screens' camera scanner, loaded only when a parent scans a tag here
const Scanner = lazy(() => import('../../../ui-shared/Scanner'));

/**
 * A family that already checked in today proves it holds the day's code before more children are
 * added (DESIGN §16): the tag or pass scanned, or the code typed. Without it the parent is sent to
 * the welcome desk; the kiosk never shows the code to someone who found the family by phone alone.
 */
export function ProofPanel({
  error,
  busy,
  onProof,
}: {
  /** why the last try was refused: a wrong proof, or too many tries */
  error: 'wrong' | 'locked' | null;
  busy: boolean;
  onProof(proof: string): void;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [scanning, setScanning] = useState(false);
  const locked = error === 'locked';
  return (
    <div className="panel panel-warn proof-panel" role="group" aria-labelledby="proof-title">
      <p className="panel-title" id="proof-title">
        {t.proofTitle}
      </p>
      <p>{t.proofHelp}</p>
      {error && (
        <p className="proof-error" role="alert">
          {locked ? t.proofLocked : t.proofWrong}
        </p>
      )}
      {!locked && (
        <form
          className="proof-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.trim() && !busy) onProof(typed.trim());
          }}
        >
          <label className="proof-label">
            {t.proofLabel}
            <input
              className="proof-input"
              value={typed}
              maxLength={64}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-primary btn-lg" disabled={!typed.trim() || busy}>
            {busy ? <Spinner /> : t.proofSubmit}
          </button>
          <button type="button" className="btn btn-secondary btn-lg" onClick={() => setScanning(!scanning)} aria-pressed={scanning}>
            {scanning ? t.back : t.proofScan}
          </button>
        </form>
      )}
      {scanning && !locked && (
        <div className="proof-scan">
          <p>{t.proofScanHelp}</p>
          <Suspense fallback={<Spinner />}>
            <Scanner
              paused={busy}
              onScan={(text) => {
                if (!busy && text.trim()) {
                  setScanning(false);
                  onProof(text.trim());
                }
              }}
            />
          </Suspense>
        </div>
      )}
      <p className="proof-desk">{t.proofDesk}</p>
    </div>
  );
}
