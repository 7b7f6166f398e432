/**
 * Flow 3 (DESIGN §1): every room of the current service, live — headcount, limit, volunteers,
 * ratio, fill colour — with the capacity alerts beside them. Staff open/close rooms and set
 * capacity and volunteers in place.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { AlertEvent, Service, ServiceRoom } from '../../../contracts';
import { api, messageOf } from '../api';
import { useRealtime } from '../realtime';
import { useSignedIn, atLeast } from '../session';
import { ServicePicker, useCurrentService } from '../services';
import { beep } from '../sound';
import { ActionButton, Empty, ErrorText, Loading, useLoad } from '../ui';
import { Link } from '../router';
import { ageLabel, timeIn } from '../format';

const STATUS_LABEL: Record<ServiceRoom['status'], string> = { open: 'Open', nearly_full: 'Nearly full', full: 'Full', closed: 'Closed' };
const bySort = (a: ServiceRoom, b: ServiceRoom) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name);

export function Dashboard() {
  const session = useSignedIn();
  const cur = useCurrentService();
  const tz = session.site?.timezone;
  useRealtime({ reconnected: () => void cur.reload() });
  if (cur.loading && !cur.service) return <Loading what="Loading the current service" />;
  if (cur.error) return <ErrorText error={cur.error} />;
  if (!cur.service) {
    return (
      <Empty>
        <h1>No service is open for check-in right now</h1>
        <p>The dashboard shows rooms while a service’s check-in window is open.</p>
        {atLeast(session.user, 'admin') && <p><Link to="/admin/services" className="btn">Schedule a service</Link></p>}
      </Empty>
    );
  }
  return <ServiceDashboard key={cur.service.id} service={cur.service} picker={<ServicePicker services={cur.services} service={cur.service} choose={cur.choose} tz={tz} />} tz={tz} />;
}

function ServiceDashboard({ service, picker, tz }: { service: Service; picker: ReactNode; tz?: string }) {
  const rooms = useLoad(() => api<{ rooms: ServiceRoom[] }>('GET', `/api/services/${service.id}/rooms`).then((r) => r.rooms), [service.id]);
  const alerts = useLoad(() => api<{ alerts: AlertEvent[] }>('GET', `/api/alerts?serviceId=${service.id}`).then((r) => r.alerts), [service.id]);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [flash, setFlash] = useState<Set<string>>(new Set());

  const upsertAlert = (a: AlertEvent) => alerts.setData((list) => [a, ...(list ?? []).filter((x) => x.id !== a.id)]);
  const flashRooms = (ids: string[]) => {
    setFlash((s) => new Set([...s, ...ids]));
    setTimeout(() => setFlash((s) => new Set([...s].filter((x) => !ids.includes(x)))), 1200);
  };

  useRealtime({
    'room.updated': (e) => {
      if (e.serviceId !== service.id) return;
      rooms.setData((list) => [...(list ?? []).filter((r) => r.id !== e.room.id), e.room].sort(bySort));
    },
    'checkin.created': (e) => { if (e.serviceId === service.id) flashRooms(e.checkins.map((c) => c.roomId)); },
    'checkin.checkedOut': (e) => { if (e.serviceId === service.id) flashRooms(e.roomIds); },
    'alert.raised': (e) => {
      if (e.serviceId !== service.id) return;
      upsertAlert(e);
      setFresh((s) => new Set(s).add(e.id));
      beep();
      setTimeout(() => setFresh((s) => { const n = new Set(s); n.delete(e.id); return n; }), 20_000);
    },
    'alert.updated': (e) => { if (e.serviceId === service.id) upsertAlert(e); },
    'alert.cleared': (e) => { if (e.serviceId === service.id) upsertAlert(e); },
    'alert.acknowledged': (e) => { if (e.serviceId === service.id) upsertAlert(e); },
    reconnected: () => { void rooms.reload(); void alerts.reload(); },
  });

  const list = rooms.data ?? [];
  const open = list.filter((r) => r.open);
  const children = list.reduce((n, r) => n + r.headcount, 0);
  const places = open.reduce((n, r) => n + r.limit, 0);
  const volunteers = open.reduce((n, r) => n + r.volunteers, 0);
  const active = (alerts.data ?? []).filter((a) => !a.clearedAt && !a.acknowledgedAt);
  const acked = (alerts.data ?? []).filter((a) => !a.clearedAt && a.acknowledgedAt);

  return (
    <div className="dashboard">
      <div className="dash-head">
        <div>
          <h1 className="page-title">Rooms</h1>
          {picker}
        </div>
        <dl className="totals" aria-label="Totals">
          <div><dt>Children in</dt><dd data-testid="total-children">{children}</dd></div>
          <div><dt>Open places</dt><dd>{Math.max(0, places - open.reduce((n, r) => n + r.headcount, 0))}</dd></div>
          <div><dt>Rooms open</dt><dd>{open.length}/{list.length}</dd></div>
          <div><dt>Volunteers</dt><dd>{volunteers}</dd></div>
        </dl>
      </div>
      <div className="dash-body">
        <section className="room-grid" aria-label="Rooms">
          {rooms.loading && !rooms.data && <Loading what="Loading rooms" />}
          <ErrorText error={rooms.error} />
          {list.map((r) => (
            <RoomCard key={r.id} room={r} serviceId={service.id} flash={flash.has(r.id)}
              onChange={(room) => rooms.setData((l) => (l ?? []).map((x) => (x.id === room.id ? room : x)))} />
          ))}
        </section>
        <aside className="alerts-panel" aria-label="Alerts">
          <h2>Alerts {active.length > 0 && <span className="count-badge" data-testid="alert-count">{active.length}</span>}</h2>
          <ErrorText error={alerts.error} />
          {active.length === 0 && !alerts.loading && <p className="muted alerts-none" data-testid="no-alerts">No alerts. Rooms have space.</p>}
          <ul className="alert-list">
            {active.map((a) => (
              <AlertItem key={a.id} alert={a} fresh={fresh.has(a.id)} tz={tz} fullNow={a.roomIds.length > 0 && a.roomIds.every((id) => list.find((r) => r.id === id)?.status === 'full')} onAck={(x) => { upsertAlert(x); setFresh((s) => { const n = new Set(s); n.delete(x.id); return n; }); }} />
            ))}
          </ul>
          {acked.length > 0 && (
            <details className="acked">
              <summary>Acknowledged, still standing ({acked.length})</summary>
              <ul className="alert-list alert-list--acked">
                {acked.map((a) => <li key={a.id} className="alert-item alert-item--acked" data-alert-id={a.id} data-state="acknowledged"><p>{a.message}</p><p className="muted small">raised {timeIn(a.raisedAt, tz)} · acknowledged {timeIn(a.acknowledgedAt!, tz)}</p></li>)}
              </ul>
            </details>
          )}
        </aside>
      </div>
    </div>
  );
}

function AlertItem({ alert, fresh, tz, fullNow, onAck }: { alert: AlertEvent; fresh: boolean; tz?: string; fullNow: boolean; onAck: (a: AlertEvent) => void }) {
  return (
    <li className={`alert-item alert-item--${alert.kind} ${fresh ? 'alert-item--new' : ''}`} data-alert-id={alert.id} data-state="active" role="alert">
      <p className="alert-msg">{alert.message}</p>
      {/* the message was written when the alert was raised; say so when the rooms have filled since */}
      {fullNow && alert.kind === 'open_room' && <p className="small"><span className="badge badge--red">Full now</span></p>}
      <p className="muted small">{alert.ageGroup} · raised {timeIn(alert.raisedAt, tz)}{alert.projectedMinutes != null && alert.projectedMinutes > 0 ? ` · full in ~${alert.projectedMinutes} min` : ''}</p>
      <ActionButton className="btn--small" onClick={async () => onAck((await api<{ alert: AlertEvent }>('POST', `/api/alerts/${alert.id}/ack`)).alert)}>Acknowledge</ActionButton>
    </li>
  );
}

function RoomCard({ room, serviceId, flash, onChange }: { room: ServiceRoom; serviceId: string; flash: boolean; onChange: (r: ServiceRoom) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [capacity, setCapacity] = useState(String(room.capacity));
  const [busy, setBusy] = useState(false);
  const editing = useRef(false);
  useEffect(() => { if (!editing.current) setCapacity(String(room.capacity)); }, [room.capacity]);

  const patch = async (p: Partial<Pick<ServiceRoom, 'open' | 'capacity' | 'volunteers'>>) => {
    setBusy(true);
    try {
      const r = await api<{ room: ServiceRoom }>('PATCH', `/api/services/${serviceId}/rooms/${room.id}`, p);
      onChange(r.room);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
      setCapacity(String(room.capacity));
    } finally { setBusy(false); }
  };
  const commitCapacity = () => {
    editing.current = false;
    const n = Number(capacity);
    if (capacity.trim() === '' || !Number.isInteger(n) || n < 0) { setError('Capacity must be a whole number'); setCapacity(String(room.capacity)); return; }
    if (n !== room.capacity) void patch({ capacity: n });
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
    if (e.key === 'Escape') { editing.current = false; setCapacity(String(room.capacity)); }
  };

  const pct = room.limit > 0 ? Math.min(100, Math.round((room.headcount / room.limit) * 100)) : room.headcount > 0 ? 100 : 0;
  const limitedByRatio = room.ratio != null && !room.ratioOverride && room.limit < room.capacity;
  const needed = room.ratio ? Math.ceil(room.headcount / room.ratio) : 0;
  const ages = room.minGrade != null || room.maxGrade != null
    ? `Grades ${room.minGrade ?? '…'}–${room.maxGrade ?? '…'}`
    : room.minAgeMonths != null || room.maxAgeMonths != null ? `${ageLabel(room.minAgeMonths ?? 0, null)}–${room.maxAgeMonths != null ? ageLabel(room.maxAgeMonths, null) : '…'}` : 'Any age';

  return (
    <article className={`room-card room-card--${room.status} ${flash ? 'room-card--flash' : ''}`} data-room-id={room.id} data-status={room.status} aria-label={`${room.name}: ${room.headcount} of ${room.limit}, ${STATUS_LABEL[room.status]}`}>
      <header className="room-card-head">
        <h3>{room.name}</h3>
        <span className={`status-chip status-chip--${room.status}`}>{STATUS_LABEL[room.status]}</span>
      </header>
      <p className="muted small">{ages}{room.kind === 'overflow' ? ' · overflow' : ''}</p>
      <p className="headcount"><span data-testid="headcount">{room.headcount}</span><span className="of"> / {room.limit}</span></p>
      <div className="fill" role="progressbar" aria-valuemin={0} aria-valuemax={room.limit} aria-valuenow={room.headcount} aria-label="Fill">
        <div className="fill-bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="small ratio">
        {room.ratio ? <>Ratio 1:{room.ratio} · needs {needed} {needed === 1 ? 'volunteer' : 'volunteers'}</> : 'No ratio'}
        {limitedByRatio && <span className="limit-note"> · limited by volunteers ({room.volunteers} × {room.ratio})</span>}
        {room.ratioOverride && <span className="limit-note"> · ratio overridden</span>}
      </p>
      <div className="room-controls">
        <div className="stepper" aria-label="Volunteers">
          <span className="stepper-label">Volunteers</span>
          <button type="button" className="btn btn--small" aria-label={`One volunteer fewer in ${room.name}`} disabled={busy || room.volunteers <= 0} onClick={() => void patch({ volunteers: room.volunteers - 1 })}>−</button>
          <output className="stepper-value" data-testid="volunteers">{room.volunteers}</output>
          <button type="button" className="btn btn--small" aria-label={`One volunteer more in ${room.name}`} disabled={busy} onClick={() => void patch({ volunteers: room.volunteers + 1 })}>+</button>
        </div>
        <label className="cap-field">
          <span>Capacity</span>
          <input type="number" min={0} max={500} inputMode="numeric" value={capacity} aria-label={`Capacity of ${room.name}`} disabled={busy}
            onFocus={() => { editing.current = true; }} onChange={(e) => setCapacity(e.target.value)} onBlur={commitCapacity} onKeyDown={onKey} />
        </label>
      </div>
      {error && <p className="error small" role="alert">{error}</p>}
      <footer className="room-card-foot">
        <button type="button" className={`btn btn--small ${room.open ? '' : 'btn--primary'}`} disabled={busy} onClick={() => void patch({ open: !room.open })}>
          {room.open ? 'Close room' : 'Open room'}
        </button>
        <Link to={`/rosters/${room.id}`} className="btn btn--small btn--ghost">Roster</Link>
      </footer>
    </article>
  );
}
