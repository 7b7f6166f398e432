import { useState } from 'react';
import type { FamilyDetail } from '../../../../contracts';
import { api } from '../../api';
import { ErrorText } from '../../ui';

/** Pre-check-in (DESIGN §12): text the family a link now to choose children and services on the phone. */
export function PrecheckinLink({ h }: { h: FamilyDetail }) {
  const [sent, setSent] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      setSent((await api('POST /api/households/:id/precheckin-link', { params: { id: h.id } })).phonesMasked);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="precheckin-title">
      <h2 id="precheckin-title">Pre-check-in</h2>
      <p className="muted small">A link (for a week) to choose who is coming; at the kiosk one scan and one tap print the labels.</p>
      <ErrorText error={error} />
      {sent && (
        <p className="notice" role="status">
          Link texted to {sent.join(', ')}.
        </p>
      )}
      <button type="button" className="btn" disabled={busy} onClick={() => void send()}>
        Text pre-check-in link
      </button>
    </section>
  );
}
