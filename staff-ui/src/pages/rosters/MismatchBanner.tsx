import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../../api';

/** The room's headcount alarm, in red above the roster: what disagreed, and (staff) clearing it with a note. */
export function MismatchBanner({ message, alertId, staff, onCleared }: { message: string; alertId: string; staff: boolean; onCleared: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const clear = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('POST /api/alerts/:id/clear', { params: { id: alertId }, body: { note: note.trim() } });
      setOpen(false);
      setNote('');
      onCleared();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div className="mismatch-banner" role="alert" data-testid="mismatch-banner">
      <p className="mismatch-title">Count does not match</p>
      <p className="mismatch-msg">{message}</p>
      <p className="small">Find the children, then count again: a matching count clears this.</p>
      {staff && !open && (
        <button type="button" className="btn btn--small" onClick={() => setOpen(true)}>
          Clear with a note
        </button>
      )}
      {staff && open && (
        <form className="inline-form" onSubmit={clear}>
          <label className="field">
            <span>Why is it cleared?</span>
            <input value={note} onChange={(e) => setNote(e.target.value)} aria-label="Note" autoFocus maxLength={1000} />
          </label>
          <button type="submit" className="btn btn--small btn--primary" disabled={!note.trim()}>
            Clear
          </button>
        </form>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
