/**
 * A family's data, out and away (DESIGN §19), on the family page for admins: "Export data"
 * downloads everything held about the family as one JSON file; "Erase family…" asks why and for
 * the family's name typed as confirmation, then erases its personal data (the attendance record
 * stays under a pseudonym). Both are audited on the server.
 */
import { useState, type FormEvent } from 'react';
import type { FamilyDetail, FamilyErased } from '../../../contracts';
import { api, messageOf } from '../api';
import { atLeast, useSignedIn } from '../session';
import { ErrorText } from '../ui';

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FamilyPrivacy({ h, onErased }: { h: FamilyDetail; onErased(result: FamilyErased): void }) {
  const session = useSignedIn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState(false);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  if (!atLeast(session.user, 'admin')) return null;

  const exportData = async () => {
    setBusy(true);
    setError(null);
    try {
      const doc = await api('GET /api/households/:id/export', { params: { id: h.id } });
      download(`family-${h.id}.json`, doc);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const confirmed = typed.trim().toLowerCase() === h.name.trim().toLowerCase();
  const erase = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    try {
      onErased(await api('DELETE /api/households/:id', { params: { id: h.id }, body: { reason: reason.trim() } }));
      setErasing(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel family-privacy" aria-labelledby="family-privacy-title">
      <h2 id="family-privacy-title">Family data</h2>
      <p className="muted small">
        A family may ask for everything held about them, or for it to be erased. Erasing keeps the attendance record (dates, rooms, times, who released) under a
        pseudonym; names, phones, notes, allergies, messages, codes and links go, and the family is never found again at a kiosk.
      </p>
      {error && <ErrorText error={error} />}
      <div className="inline">
        <button type="button" className="btn" disabled={busy} onClick={() => void exportData()}>
          Export data
        </button>
        {!erasing && (
          <button type="button" className="btn btn--danger" disabled={busy} onClick={() => setErasing(true)}>
            Erase family…
          </button>
        )}
      </div>
      {erasing && (
        <form className="erase-family" onSubmit={(e) => void erase(e)}>
          <label className="field">
            <span>Why (kept in the audit log; names and numbers are taken out)</span>
            <textarea
              required
              minLength={3}
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. the family asked by email on 3 March"
            />
          </label>
          <label className="field">
            <span>
              Type the family’s name, <strong>{h.name}</strong>, to confirm. This cannot be undone.
            </span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" aria-label="Family name to confirm" />
          </label>
          <div className="inline">
            <button type="submit" className="btn btn--danger" disabled={busy || !confirmed || reason.trim().length < 3}>
              Erase {h.name}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setErasing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
