import { useState, type FormEvent } from 'react';
import type { Roster, RosterEntry } from '../../../../contracts';
import { api, messageOf } from '../../api';

/** Roll call for a room: present / not yet arrived, and a manual headcount (a room volunteer or staff). */
export function RollCallSummary({
  entries,
  roster,
  serviceId,
  roomId,
  canMark,
  onRecorded,
}: {
  entries: RosterEntry[];
  roster: Roster;
  serviceId: string;
  roomId: string;
  canMark: boolean;
  onRecorded: () => void;
}) {
  const [count, setCount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submitRollCall = async () => {
    try {
      await api('POST /api/services/:id/rooms/:roomId/roll-call', { params: { id: serviceId, roomId } });
      setError(null);
      onRecorded();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const inRoom = entries.filter((c) => c.status === 'checked_in' && c.roomId === roomId);
  const present = inRoom.filter((c) => c.presentAt).length;
  const record = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(count);
    if (count.trim() === '' || !Number.isInteger(n) || n < 0) {
      setError('The headcount is a whole number');
      return;
    }
    try {
      await api('POST /api/services/:id/rooms/:roomId/headcounts', { params: { id: serviceId, roomId }, body: { count: n } });
      setCount('');
      setError(null);
      onRecorded();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <div className="roll-call small" data-testid="roll-call">
      <span>
        <strong>{present}</strong> present · <strong>{inRoom.length - present}</strong> not yet arrived
      </span>
      {roster.headcount && (
        <span>
          {' '}
          · last headcount {roster.headcount.count} (system {roster.headcount.systemCount}) by {roster.headcount.recordedBy ?? '—'}
        </span>
      )}
      {canMark && (
        <button type="button" className="btn btn--small btn--primary" onClick={() => void submitRollCall()} data-testid="submit-roll-call">
          Roll call done ({present} present)
        </button>
      )}
      {canMark && (
        <form className="inline-form" onSubmit={record}>
          <label className="field">
            <span>Headcount</span>
            <input type="number" min={0} inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} aria-label="Manual headcount" />
          </label>
          <button type="submit" className="btn btn--small">
            Record
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
