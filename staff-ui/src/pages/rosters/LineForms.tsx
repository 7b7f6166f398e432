/** The forms a roster line opens: page the guardians, move the child, undo a checkout, reprint the family's labels. */
import { useState, type FormEvent } from 'react';
import type { PageStatus, PrinterStatus, RosterEntry, ServiceRoom } from '../../../../contracts';
import { MAX_PAGE_MESSAGE_LENGTH } from '../../../../contracts/limits';
import { isEligible } from '../../../../contracts/rules';
import { api } from '../../api';
import type { LineAction } from './useLineAction';

interface FormProps {
  entry: RosterEntry;
  action: LineAction;
  /** the form did its work: close it */
  onDone: () => void;
}

export function PageForm({ entry: c, action, onDone, setPages }: FormProps & { setPages: (f: (p: PageStatus[]) => PageStatus[]) => void }) {
  const [message, setMessage] = useState('');
  const page = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const r = await api('POST /api/checkins/:id/page', { params: { id: c.id }, body: message.trim() ? { message: message.trim() } : {} });
      setPages(() => r.notifications.map((n) => ({ id: n.id, status: n.status, error: n.error, createdAt: n.createdAt, updatedAt: n.updatedAt })));
      onDone();
      return `Page queued · ${r.pagesLeftThisHour} more allowed this hour`;
    });
  };
  return (
    <form className="inline-form" onSubmit={page}>
      <label className="field grow">
        <span>Message to the guardians (optional)</span>
        <input
          value={message}
          maxLength={MAX_PAGE_MESSAGE_LENGTH}
          placeholder={`e.g. ${c.firstName} needs a change of clothes`}
          onChange={(e) => setMessage(e.target.value)}
        />
      </label>
      <button type="submit" className="btn btn--primary" disabled={action.busy}>
        {action.busy ? 'Sending…' : 'Send page'}
      </button>
    </form>
  );
}

/** The server's eligibility rule (capacity/rules.ts isEligible), to offer only rooms a move can use. */
const fits = (r: ServiceRoom, c: RosterEntry) => isEligible(r, c);

export function MoveForm({ entry: c, action, onDone, rooms, onMoved }: FormProps & { rooms: ServiceRoom[]; onMoved: () => void }) {
  const [target, setTarget] = useState('');
  const move = (e: FormEvent) => {
    e.preventDefault();
    if (!target) return;
    void action.run(async () => {
      const r = await api('POST /api/checkins/:id/move', { params: { id: c.id }, body: { roomId: target } });
      onDone();
      onMoved();
      return `Moved to ${r.checkin.roomName}`;
    });
  };
  return (
    <form className="inline-form" onSubmit={move}>
      <label className="field grow">
        <span>Move {c.firstName} to</span>
        <select value={target} onChange={(e) => setTarget(e.target.value)} required>
          <option value="">Choose a room…</option>
          {rooms
            .filter((r) => r.id !== c.roomId)
            .map((r) => {
              const why = !r.open ? 'closed' : !fits(r, c) ? 'not for this age' : r.headcount >= r.limit ? 'full' : '';
              return (
                <option key={r.id} value={r.id} disabled={!!why}>
                  {r.name} ({r.headcount}/{r.limit}
                  {why ? `, ${why}` : ''})
                </option>
              );
            })}
        </select>
      </label>
      <button type="submit" className="btn btn--primary" disabled={action.busy || !target}>
        Move
      </button>
    </form>
  );
}

/** Undo a checkout within 15 minutes (staff), with the reason the audit trail keeps. */
export function UndoForm({ entry: c, action, onDone, onMoved }: FormProps & { onMoved: () => void }) {
  const [reason, setReason] = useState('');
  const undo = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await api('POST /api/checkins/:id/undo-checkout', { params: { id: c.id }, body: { reason: reason.trim() } });
      onDone();
      onMoved();
      return `${c.firstName} is back in ${c.roomName}`;
    });
  };
  return (
    <form className="inline-form" onSubmit={undo}>
      <label className="field grow">
        <span>Why is {c.firstName} back? (kept in the audit trail)</span>
        <input
          value={reason}
          required
          minLength={3}
          maxLength={200}
          placeholder="e.g. checked out the wrong child by mistake"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <button type="submit" className="btn btn--primary" disabled={action.busy || reason.trim().length < 3}>
        {action.busy ? 'Undoing…' : 'Undo checkout'}
      </button>
    </form>
  );
}

/** Reprint the family's labels and parent tag on a kiosk printer (staff); `printers`: the kiosks that have one. */
export function ReprintForm({ entry: c, action, onDone, printers }: FormProps & { printers: PrinterStatus[] }) {
  const [printer, setPrinter] = useState(printers[0]?.kioskId ?? '');
  const reprint = (e: FormEvent) => {
    e.preventDefault();
    if (!printer) return;
    void action.run(async () => {
      const r = await api('POST /api/checkins/:id/labels', { params: { id: c.id }, body: { kioskId: printer } });
      onDone();
      // a label per child and the parent tag
      return `${r.labels.children.length + 1} labels sent to ${r.printed?.kiosk ?? 'the printer'}`;
    });
  };
  if (printers.length === 0)
    return (
      <p className="muted small" role="status">
        No kiosk here has a label printer; print from a kiosk or the welcome desk.
      </p>
    );
  return (
    <form className="inline-form" onSubmit={reprint}>
      <label className="field grow">
        <span>Print the family's labels and parent tag on</span>
        <select value={printer} onChange={(e) => setPrinter(e.target.value)}>
          {printers.map((x) => (
            <option key={x.kioskId} value={x.kioskId}>
              {x.kioskName}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn--primary" disabled={action.busy || !printer}>
        {action.busy ? 'Sending…' : 'Print'}
      </button>
    </form>
  );
}
