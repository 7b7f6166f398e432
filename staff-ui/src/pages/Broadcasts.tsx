/**
 * Broadcast (DESIGN §15): text the guardians of every child present in a room, a service or the
 * whole campus, then watch each broadcast's delivery (counted from the outbox's statuses, read
 * again as the texts' statuses change).
 */
import { useState, type FormEvent } from 'react';
import type { ServiceRoom } from '../../../contracts';
import { BROADCASTS_PER_CAMPUS_PER_HOUR, MAX_BROADCAST_MESSAGE_LENGTH } from '../../../contracts/limits';
import { api, messageOf } from '../api';
import { useRealtime } from '../realtime';
import { useApiQuery, useRooms, useToday } from '../query';
import { useSignedIn } from '../session';
import { ErrorText, Loading, useDebounced } from '../ui';
import { timeIn } from '../format';

export default function Broadcasts() {
  const session = useSignedIn();
  const tz = session.site?.timezone;
  const list = useApiQuery(['broadcasts'], () => api('GET /api/broadcasts').then((r) => r.broadcasts));
  const refetch = useDebounced(() => void list.reload(), 400);
  useRealtime({ 'notification.updated': (e) => e.kind === 'broadcast' && refetch() });
  return (
    <div className="broadcasts">
      <h1 className="page-title">Broadcast a text</h1>
      <Compose onSent={() => void list.reload()} />
      <section className="panel">
        <h2>Sent</h2>
        {list.loading && <Loading what="Loading broadcasts" />}
        {list.error && <ErrorText error={list.error} />}
        {list.data && list.data.length === 0 && <p className="muted">No broadcast yet.</p>}
        {list.data && list.data.length > 0 && (
          <table className="table broadcast-table" data-testid="broadcasts">
            <thead>
              <tr>
                <th>When</th>
                <th>To</th>
                <th>Message</th>
                <th>Recipients</th>
                <th>Delivery</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.id} data-broadcast-id={b.id}>
                  <td>
                    {timeIn(b.createdAt, tz)}
                    <br />
                    <small className="muted">{b.createdBy}</small>
                  </td>
                  <td>{b.scope}</td>
                  <td className="broadcast-msg">{b.message}</td>
                  <td>{b.recipients}</td>
                  <td className="broadcast-status">
                    {b.delivered > 0 && <span className="badge badge--green">{b.delivered} delivered</span>}
                    {b.sent > 0 && <span className="badge badge--blue">{b.sent} sent</span>}
                    {b.waiting > 0 && <span className="badge badge--grey">{b.waiting} sending</span>}
                    {b.failed > 0 && <span className="badge badge--red">{b.failed} failed</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Compose({ onSent }: { onSent: () => void }) {
  const today = useToday();
  const services = today.data ?? [];
  const [serviceId, setServiceId] = useState('');
  const rooms = useRooms(serviceId || services[0]?.id, services.length > 0);
  const [roomId, setRoomId] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const roomList: ServiceRoom[] = (rooms.data ?? []).filter((r) => r.headcount > 0 || r.open);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    const scope = roomId ? (roomList.find((r) => r.id === roomId)?.name ?? 'the room') : serviceId ? 'the service' : 'the whole campus';
    if (!window.confirm(`Text the guardians of every child present in ${scope}?`)) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await api('POST /api/broadcasts', { body: { serviceId: serviceId || undefined, roomId: roomId || undefined, message: message.trim() } });
      setNotice(`Sending to ${r.recipients} ${r.recipients === 1 ? 'guardian' : 'guardians'}`);
      setMessage('');
      onSent();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel">
      <form onSubmit={send} className="stack broadcast-form">
        <div className="row">
          <label className="field">
            <span>Service</span>
            <select value={serviceId} onChange={(e) => setServiceId(e.target.value)} aria-label="Service">
              <option value="">Whole campus (every child here now)</option>
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Room</span>
            <select value={roomId} onChange={(e) => setRoomId(e.target.value)} aria-label="Room">
              <option value="">Every room</option>
              {roomList.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({r.headcount})
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span>
            Message ({message.trim().length}/{MAX_BROADCAST_MESSAGE_LENGTH})
          </span>
          <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={3} maxLength={MAX_BROADCAST_MESSAGE_LENGTH} aria-label="Message" />
        </label>
        <p className="small muted">
          Each family gets it in its language&rsquo;s frame (&ldquo;Message from …&rdquo; / &ldquo;Mensaje de …&rdquo;); numbers that replied STOP get nothing.
          At most {BROADCASTS_PER_CAMPUS_PER_HOUR} broadcasts an hour per campus.
        </p>
        <div>
          <button type="submit" className="btn btn--primary" disabled={busy || message.trim().length === 0}>
            Send text
          </button>
        </div>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
