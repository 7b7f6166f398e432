/**
 * Emergency roll call (DESIGN §15). Staff start and end it; everyone signed in sees it. A room
 * volunteer's phone (390 px) lists the children of their room with one tap each for "accounted
 * for"; staff see every room's totals and who is not yet accounted for. Live: each tap anywhere
 * updates every screen (emergency.updated).
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Emergency as EmergencyState, EmergencyChild } from '../../../contracts';
import { MAX_EMERGENCY_MESSAGE_LENGTH } from '../../../contracts/limits';
import { api, messageOf } from '../api';
import { putEmergency, useEmergency } from '../emergency';
import { atLeast, useSignedIn } from '../session';
import { ActionButton, ErrorText, Loading } from '../ui';
import { timeIn } from '../format';

export default function Emergency() {
  const session = useSignedIn();
  const staff = atLeast(session.user, 'staff');
  const q = useEmergency();
  if (q.isLoading) return <Loading what="Loading the emergency roll call" />;
  if (q.error) return <ErrorText error={q.error} />;
  const em = q.data ?? null;
  return <div className="emergency-page">{em ? <Running em={em} staff={staff} tz={session.site?.timezone} /> : staff ? <Start /> : <NoneRunning />}</div>;
}

function NoneRunning() {
  return (
    <section className="panel" data-testid="no-emergency">
      <h1>No emergency roll call</h1>
      <p>When staff start one, the children of your room appear here to mark as accounted for.</p>
    </section>
  );
}

function Start() {
  const qc = useQueryClient();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!window.confirm('Start an emergency roll call for the whole campus? Every room volunteer will be asked to account for their children.')) return;
    setBusy(true);
    setError(null);
    try {
      putEmergency(qc, (await api('POST /api/emergency', { body: { message: message.trim() || undefined } })).emergency);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel emergency-start">
      <h1>Emergency roll call</h1>
      <p>Every room volunteer marks each child of their room as accounted for on their phone; this screen and the wall display show who is still missing.</p>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Message (optional)</span>
          <input
            value={message}
            maxLength={MAX_EMERGENCY_MESSAGE_LENGTH}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="Fire alarm — meet in the car park"
          />
        </label>
        <button type="submit" className="btn btn--big emergency-start-btn" disabled={busy} data-testid="emergency-start">
          Start emergency roll call
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

function Running({ em, staff, tz }: { em: EmergencyState; staff: boolean; tz?: string }) {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const missing = em.children.filter((c) => !c.accountedAt);
  const done = em.children.filter((c) => c.accountedAt);
  const rooms = new Map(em.rooms.map((r) => [r.roomId, r.name]));
  const mark = async (c: EmergencyChild) => {
    setError(null);
    try {
      putEmergency(qc, (await api('POST /api/emergency/:id/accounted', { params: { id: em.id }, body: { checkinId: c.checkinId } })).emergency);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const all = em.total > 0 && em.accounted === em.total;
  return (
    <>
      <section className={`emergency-head ${all ? 'emergency-head--done' : ''}`} role="status" data-testid="emergency-head">
        <h1>Emergency roll call</h1>
        {em.message && <p className="emergency-message">{em.message}</p>}
        <p className="emergency-total">
          <strong data-testid="emergency-accounted">{em.accounted}</strong> of <strong data-testid="emergency-total">{em.total}</strong> accounted for
        </p>
        <p className="small">
          Started {timeIn(em.startedAt, tz)}
          {em.startedBy ? ` by ${em.startedBy}` : ''}
        </p>
        {staff && (
          <ActionButton
            className="btn--small"
            confirm={missing.length ? `${missing.length} not yet accounted for. End the roll call anyway?` : undefined}
            onClick={async () => putEmergency(qc, (await api('POST /api/emergency/:id/end', { params: { id: em.id } })).emergency)}
          >
            <span data-testid="emergency-end">End roll call</span>
          </ActionButton>
        )}
      </section>
      {em.rooms.length === 0 && (
        <p className="muted">{staff ? 'No child is checked in at the campus.' : 'You are not checked in to a room: nothing to account for here.'}</p>
      )}
      {em.rooms.length > 1 || staff ? (
        <ul className="emergency-rooms" aria-label="Rooms">
          {em.rooms.map((r) => (
            <li key={r.roomId} className={`emergency-room ${r.accounted === r.total ? 'emergency-room--done' : ''}`} data-room-id={r.roomId}>
              <span>{r.name}</span>
              <strong>
                {r.accounted} / {r.total}
              </strong>
            </li>
          ))}
        </ul>
      ) : null}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {missing.length > 0 && (
        <section aria-label="Not yet accounted for">
          <h2 className="emergency-h2">Not yet accounted for ({missing.length})</h2>
          <ul className="emergency-list" data-testid="emergency-missing">
            {missing.map((c) => (
              <li key={c.checkinId} className="emergency-child" data-checkin-id={c.checkinId}>
                <span className="emergency-name">
                  <strong>
                    {c.firstName} {c.lastName}
                  </strong>
                  <small className="muted"> {rooms.get(c.roomId)}</small>
                </span>
                <button type="button" className="btn btn--primary emergency-mark" onClick={() => void mark(c)}>
                  Accounted for
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {done.length > 0 && (
        <section aria-label="Accounted for">
          <h2 className="emergency-h2">Accounted for ({done.length})</h2>
          <ul className="emergency-list emergency-list--done" data-testid="emergency-done">
            {done.map((c) => (
              <li key={c.checkinId} className="emergency-child emergency-child--done">
                <span className="emergency-name">
                  ✓ {c.firstName} {c.lastName} <small className="muted">{rooms.get(c.roomId)}</small>
                </span>
                <small className="muted">
                  {timeIn(c.accountedAt!, tz)}
                  {c.accountedBy ? ` · ${c.accountedBy}` : ''}
                </small>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
