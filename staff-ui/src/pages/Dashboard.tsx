/**
 * Flow 3 (DESIGN §1): every room of the current service, live — headcount, limit, volunteers,
 * ratio, fill colour — with the capacity alerts beside them. Staff open/close rooms and set
 * capacity and volunteers in place.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertEvent, Service, ServiceRoom, ServiceVolunteers, VolunteerCheckinResult } from '../../../contracts';
import { api, ApiError, messageOf } from '../api';
import { AlertItem, useAlerts } from '../alerts';
import { putRoom, useRooms, useToday } from '../query';
import { useRealtime } from '../realtime';
import { useSignedIn, atLeast } from '../session';
import { ForecastTimelines, TomorrowPlan } from '../forecast/ForecastPanels';
import { ServicePicker, useCurrentService } from '../services';
import { Empty, ErrorText, Loading } from '../ui';
import { Link } from '../router';
import { ageLabel, timeIn } from '../format';

const STATUS_LABEL: Record<ServiceRoom['status'], string> = {
  open: 'Open',
  nearly_full: 'Nearly full',
  full: 'Full',
  over_ratio: 'Over ratio',
  closed: 'Closed',
};

export function Dashboard() {
  const session = useSignedIn();
  const cur = useCurrentService();
  const tz = session.site?.timezone;
  if (cur.loading && !cur.service) return <Loading what="Loading the current service" />;
  if (cur.error) return <ErrorText error={cur.error} />;
  if (!cur.service) {
    return (
      <Empty>
        <h1>No service is open for check-in right now</h1>
        <p>The dashboard shows rooms while a service’s check-in window is open.</p>
        {/* a dead label printer on a setup day or a weekday event still reaches staff (#29) */}
        <CampusAlerts tz={tz} />
        {atLeast(session.user, 'admin') && (
          <p>
            <Link to="/admin/services" className="btn">
              Schedule a service
            </Link>
          </p>
        )}
        {/* forecast (DESIGN §17): the day before, tomorrow's plan */}
        {tz && <TomorrowPlan tz={tz} />}
      </Empty>
    );
  }
  return (
    <>
      <ServiceDashboard
        key={cur.service.id}
        service={cur.service}
        picker={<ServicePicker services={cur.services} service={cur.service} choose={cur.choose} tz={tz} />}
        tz={tz}
      />
      {/* forecast (DESIGN §17): the day before, tomorrow's plan */}
      {tz && <TomorrowPlan tz={tz} />}
    </>
  );
}

function ServiceDashboard({ service, picker, tz }: { service: Service; picker: ReactNode; tz?: string }) {
  const qc = useQueryClient();
  const rooms = useRooms(service.id);
  const alerts = useAlerts();
  const volunteers = useQuery({ queryKey: ['volunteers', service.id], queryFn: () => api('GET /api/services/:id/volunteers', { params: { id: service.id } }) });
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const flashRooms = (ids: string[]) => {
    setFlash((s) => new Set([...s, ...ids]));
    setTimeout(() => setFlash((s) => new Set([...s].filter((x) => !ids.includes(x)))), 1200);
  };

  // room.updated and the alerts reach the cache through the AlertsProvider (above the router)
  useRealtime({
    'checkin.created': (e) => {
      if (e.serviceId === service.id) flashRooms(e.checkins.map((c) => c.roomId));
    },
    'checkin.checkedOut': (e) => {
      if (e.serviceId === service.id) flashRooms(e.roomIds);
    },
    // a volunteer checked in or out elsewhere moves the room's count: the shift list follows
    'room.updated': (e) => {
      if (e.serviceId === service.id) void qc.invalidateQueries({ queryKey: ['volunteers', service.id] });
    },
  });

  const list = rooms.data ?? [];
  const open = list.filter((r) => r.open);
  const children = list.reduce((n, r) => n + r.headcount, 0);
  const places = open.reduce((n, r) => n + r.limit, 0);
  const volunteerTotal = open.reduce((n, r) => n + r.volunteers, 0);
  // every standing alert of today's services, as the badge in the top bar counts them (another service's says which)
  const active = alerts.active;
  const acked = alerts.acked;
  const today = useToday();
  // a campus alert (a printer down) belongs to no service: no service name
  const serviceName = (id: string | null) => (id === null || id === service.id ? undefined : (today.data?.find((s) => s.id === id)?.name ?? 'Another service'));

  return (
    <div className="dashboard">
      <div className="dash-head">
        <div>
          <h1 className="page-title">Rooms</h1>
          {picker}
        </div>
        <dl className="totals" aria-label="Totals">
          <div>
            <dt>Children in</dt>
            <dd data-testid="total-children">{children}</dd>
          </div>
          <div>
            <dt>Open places</dt>
            <dd>{Math.max(0, places - open.reduce((n, r) => n + r.headcount, 0))}</dd>
          </div>
          <div>
            <dt>Rooms open</dt>
            <dd>
              {open.length}/{list.length}
            </dd>
          </div>
          <div>
            <dt>Volunteers</dt>
            <dd>{volunteerTotal}</dd>
          </div>
        </dl>
      </div>
      <div className="dash-body">
        <aside className="alerts-panel" aria-label="Alerts">
          <h2>
            Alerts{' '}
            {active.length > 0 && (
              <span className="count-badge" data-testid="alert-count">
                {active.length}
              </span>
            )}
          </h2>
          {alerts.error != null && <ErrorText error={alerts.error} />}
          {active.length === 0 && !alerts.loading && (
            <p className="muted alerts-none" data-testid="no-alerts">
              No alerts. Rooms have space.
            </p>
          )}
          <ul className="alert-list">
            {active.map((a) =>
              a.serviceId === service.id || a.serviceId === null ? (
                <AlertItem key={a.id} alert={a} rooms={a.serviceId ? list : []} tz={tz} />
              ) : (
                <OtherServiceAlert key={a.id} alert={{ ...a, serviceId: a.serviceId }} tz={tz} service={serviceName(a.serviceId)!} />
              ),
            )}
          </ul>
          {acked.length > 0 && (
            <details className="acked">
              <summary>Acknowledged, still standing ({acked.length})</summary>
              <ul className="alert-list alert-list--acked">
                {acked.map((a) => (
                  <li key={a.id} className="alert-item alert-item--acked" data-alert-id={a.id} data-state="acknowledged">
                    <p>{a.message}</p>
                    <p className="muted small">
                      {serviceName(a.serviceId) ? `${serviceName(a.serviceId)} · ` : ''}raised {timeIn(a.raisedAt, tz)} · acknowledged{' '}
                      {timeIn(a.acknowledgedAt!, tz)}
                    </p>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </aside>
        <section className="room-grid" aria-label="Rooms">
          {rooms.isLoading && <Loading what="Loading rooms" />}
          {rooms.error && <ErrorText error={rooms.error} />}
          {list.map((r) => (
            <RoomCard
              key={r.id}
              room={r}
              serviceId={service.id}
              flash={flash.has(r.id)}
              onChange={(room) => putRoom(qc, room)}
              volunteers={volunteers.data}
              onVolunteersChanged={() => void qc.invalidateQueries({ queryKey: ['volunteers', service.id] })}
            />
          ))}
        </section>
      </div>
      {/* forecast (DESIGN §17): timelines per age group */}
      {tz && <ForecastTimelines service={service} tz={tz} />}
    </div>
  );
}

/** The standing alerts on a day without an open service: the campus's own (a label printer down), or a later service's. */
function CampusAlerts({ tz }: { tz?: string }) {
  const { active } = useAlerts();
  if (!active.length) return null;
  return (
    <aside className="alerts-panel" aria-label="Alerts" data-testid="campus-alerts">
      <h2>
        Alerts{' '}
        <span className="count-badge" data-testid="alert-count">
          {active.length}
        </span>
      </h2>
      <ul className="alert-list">
        {active.map((a) => (
          <AlertItem key={a.id} alert={a} rooms={[]} tz={tz} />
        ))}
      </ul>
    </aside>
  );
}

/** Another service's alert on this service's dashboard: its action worked out from its own service's rooms. */
function OtherServiceAlert({ alert, tz, service }: { alert: AlertEvent & { serviceId: string }; tz?: string; service: string }) {
  const rooms = useRooms(alert.serviceId);
  return <AlertItem alert={alert} rooms={rooms.data ?? []} tz={tz} service={service} />;
}

function RoomCard({
  room,
  serviceId,
  flash,
  onChange,
  volunteers,
  onVolunteersChanged,
}: {
  room: ServiceRoom;
  serviceId: string;
  flash: boolean;
  onChange: (r: ServiceRoom) => void;
  volunteers?: ServiceVolunteers;
  onVolunteersChanged: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const { active, acked } = useAlerts();
  // the campus's clock, as every time on the page (DESIGN §21)
  const tz = useSignedIn().site?.timezone;
  // a count that disagreed with the system: the card is outlined red until it is cleared
  const alarm = [...active, ...acked].some((a) => a.kind === 'headcount_mismatch' && a.roomIds.includes(room.id));
  const [capacity, setCapacity] = useState(String(room.capacity));
  const [busy, setBusy] = useState(false);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setCapacity(String(room.capacity));
  }, [room.capacity]);

  const [correcting, setCorrecting] = useState(false);
  const correction = volunteers?.corrections?.find((c) => c.roomId === room.id);
  const patch = async (p: Partial<Pick<ServiceRoom, 'open' | 'capacity' | 'volunteers'>> & { confirm?: boolean; reason?: string }): Promise<boolean> => {
    setBusy(true);
    try {
      const r = await api('PATCH /api/services/:id/rooms/:roomId', { params: { id: serviceId, roomId: room.id }, body: p });
      onChange(r.room);
      setError(null);
      if (p.volunteers != null) onVolunteersChanged();
      return true;
    } catch (e) {
      // fewer adults than the children need, or closing a room with children: only on purpose
      if (e instanceof ApiError && (e.code === 'below_ratio_needs_confirmation' || e.code === 'room_has_children') && !p.confirm) {
        setBusy(false);
        if (window.confirm(`${e.message.replace(/^\w+: /, '')}.\n\nDo it anyway?`)) return patch({ ...p, confirm: true });
        setError(null);
        return false;
      }
      setError(messageOf(e));
      setCapacity(String(room.capacity));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const commitCapacity = () => {
    editing.current = false;
    const n = Number(capacity);
    if (capacity.trim() === '' || !Number.isInteger(n) || n < 0) {
      setError('Capacity must be a whole number');
      setCapacity(String(room.capacity));
      return;
    }
    if (n !== room.capacity) void patch({ capacity: n });
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
    if (e.key === 'Escape') {
      editing.current = false;
      setCapacity(String(room.capacity));
    }
  };

  const pct = room.limit > 0 ? Math.min(100, Math.round((room.headcount / room.limit) * 100)) : room.headcount > 0 ? 100 : 0;
  const limitedByRatio = !room.ratioOverride && room.limit < room.capacity;
  const needed = room.ratio ? Math.ceil(room.headcount / room.ratio) : 0;
  const ages =
    room.minGrade != null || room.maxGrade != null
      ? `Grades ${room.minGrade ?? '…'}–${room.maxGrade ?? '…'}`
      : room.minAgeMonths != null || room.maxAgeMonths != null
        ? `${ageLabel(room.minAgeMonths ?? 0, null)}–${room.maxAgeMonths != null ? ageLabel(room.maxAgeMonths, null) : '…'}`
        : 'Any age';

  return (
    <article
      className={`room-card room-card--${room.status} ${flash ? 'room-card--flash' : ''} ${alarm ? 'room-card--alarm' : ''}`}
      data-room-id={room.id}
      data-status={room.status}
      aria-label={`${room.name}: ${room.headcount} of ${room.limit}, ${STATUS_LABEL[room.status]}`}
    >
      <header className="room-card-head">
        <h3>{room.name}</h3>
        <span className={`status-chip status-chip--${room.status}`}>{STATUS_LABEL[room.status]}</span>
      </header>
      <p className="muted small">
        {ages}
        {room.kind === 'overflow' ? ' · overflow' : ''}
      </p>
      <p className="headcount">
        <span data-testid="headcount">{room.headcount}</span>
        <span className="of"> / {room.limit}</span>
      </p>
      <div className="fill" role="progressbar" aria-valuemin={0} aria-valuemax={room.limit} aria-valuenow={room.headcount} aria-label="Fill">
        <div className="fill-bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="small ratio">
        {room.ratio ? (
          <>
            Ratio 1:{room.ratio} · needs {needed} {needed === 1 ? 'volunteer' : 'volunteers'}
          </>
        ) : (
          'No ratio'
        )}
        {limitedByRatio && (
          <span className="limit-note">
            {' '}
            · limited by volunteers present{room.ratio != null && room.limit > 0 ? ` (${room.volunteers} × ${room.ratio})` : ' (waiting for volunteers)'}
          </span>
        )}
        {room.ratioOverride && <span className="limit-note"> · ratio overridden</span>}
      </p>
      <div className="room-controls">
        {/* one number: the volunteers present — those checked in, as staff corrected it (DESIGN §15) */}
        <div className="stepper" aria-label="Volunteers present">
          <span className="stepper-label">Volunteers present</span>
          <output className="stepper-value" data-testid="volunteers">
            {room.volunteers}
          </output>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label={`Correct the volunteers present in ${room.name}`}
            disabled={busy}
            onClick={() => setCorrecting((c) => !c)}
          >
            Correct
          </button>
        </div>
        <label className="cap-field">
          <span>Capacity</span>
          <input
            type="number"
            min={0}
            max={500}
            inputMode="numeric"
            value={capacity}
            aria-label={`Capacity of ${room.name}`}
            disabled={busy}
            onFocus={() => {
              editing.current = true;
            }}
            onChange={(e) => setCapacity(e.target.value)}
            onBlur={commitCapacity}
            onKeyDown={onKey}
          />
        </label>
      </div>
      {correcting && (
        <CorrectVolunteers
          room={room}
          busy={busy}
          onCancel={() => setCorrecting(false)}
          onSave={async (n, reason) => {
            if (await patch({ volunteers: n, reason })) setCorrecting(false);
          }}
        />
      )}
      {correction && (
        <p className="small muted" data-testid="volunteer-correction">
          Corrected to {correction.present} by {correction.by ?? 'staff'} at {timeIn(correction.at, tz)}
          {' ('}
          {correction.checkedIn} checked in): “{correction.reason}”
        </p>
      )}
      <RoomVolunteers room={room} serviceId={serviceId} volunteers={volunteers} onChanged={onVolunteersChanged} onError={setError} />
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <footer className="room-card-foot">
        <button type="button" className={`btn btn--small ${room.open ? '' : 'btn--primary'}`} disabled={busy} onClick={() => void patch({ open: !room.open })}>
          {room.open ? 'Close room' : 'Open room'}
        </button>
        <Link to={`/rosters/${room.id}`} className="btn btn--small btn--ghost">
          Roster
        </Link>
      </footer>
    </article>
  );
}

/** Staff correct the volunteers present (someone serving without checking in): the number and why, kept for this service. */
function CorrectVolunteers({
  room,
  busy,
  onSave,
  onCancel,
}: {
  room: ServiceRoom;
  busy: boolean;
  onSave: (n: number, reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [n, setN] = useState(String(room.volunteers));
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = Number(n);
    if (n.trim() === '' || !Number.isInteger(v) || v < 0) return setErr('Volunteers present must be a whole number, 0 or more');
    if (reason.trim().length < 3) return setErr('Say why (at least 3 characters)');
    setErr(null);
    void onSave(v, reason.trim());
  };
  return (
    <form className="correct-volunteers" onSubmit={submit} aria-label={`Correct the volunteers present in ${room.name}`}>
      <label className="cap-field">
        <span>Present</span>
        <input
          type="number"
          min={0}
          max={100}
          inputMode="numeric"
          value={n}
          onChange={(e) => setN(e.target.value)}
          aria-label={`Volunteers present in ${room.name}`}
        />
      </label>
      <label className="field">
        <span>Why</span>
        <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} aria-label="Why" placeholder="Sam is serving here without a phone" />
      </label>
      <button type="submit" className="btn btn--small" disabled={busy}>
        Save
      </button>
      <button type="button" className="btn btn--small btn--ghost" onClick={onCancel}>
        Cancel
      </button>
      {err && (
        <p className="error small" role="alert">
          {err}
        </p>
      )}
    </form>
  );
}

/** Who is checked in to the room as a volunteer, checking out, and checking someone (or oneself) in. */
function RoomVolunteers({
  room,
  serviceId,
  volunteers,
  onChanged,
  onError,
}: {
  room: ServiceRoom;
  serviceId: string;
  volunteers?: ServiceVolunteers;
  onChanged: () => void;
  onError: (m: string | null) => void;
}) {
  const session = useSignedIn();
  const [who, setWho] = useState('');
  const [busy, setBusy] = useState(false);
  const [tag, setTag] = useState<VolunteerCheckinResult['label'] | null>(null);
  if (!volunteers) return null;
  const here = volunteers.shifts.filter((s) => s.roomId === room.id && s.checkedOutAt == null);
  const staff = atLeast(session.user, 'staff');
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      onError(null);
      onChanged();
    } catch (e) {
      onError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const serve = (userId?: string) =>
    run(async () => {
      const r = await api('POST /api/services/:id/rooms/:roomId/volunteers', { params: { id: serviceId, roomId: room.id }, body: userId ? { userId } : {} });
      setTag(r.label);
      setWho('');
    });
  const leave = (shiftId: string) => run(() => api('POST /api/volunteer-shifts/:id/checkout', { params: { id: shiftId } }));
  const candidates = volunteers.candidates.filter((c) => !here.some((s) => s.userId === c.userId));
  return (
    <div className="room-volunteers" aria-label={`Volunteers in ${room.name}`}>
      <ul>
        {here.map((s) => (
          <li key={s.id} data-shift-id={s.id}>
            <span>{s.name}</span>
            {(staff || s.userId === session.user.id) && (
              <button
                type="button"
                className="btn btn--small btn--ghost"
                disabled={busy}
                onClick={() => void leave(s.id)}
                aria-label={`Check ${s.name} out of ${room.name}`}
              >
                Check out
              </button>
            )}
          </li>
        ))}
        {here.length === 0 && <li className="muted small">No volunteer checked in</li>}
      </ul>
      <div className="serve-row">
        {staff && (
          <>
            <select aria-label={`Volunteer to check in to ${room.name}`} value={who} onChange={(e) => setWho(e.target.value)} disabled={busy}>
              <option value="">Choose a volunteer…</option>
              {candidates.map((c) => (
                <option key={c.userId} value={c.userId} disabled={volunteers.requireBackgroundCheck && !c.backgroundCheck.current}>
                  {c.name}
                  {c.backgroundCheck.current ? '' : ' — no current background check'}
                </option>
              ))}
            </select>
            <button type="button" className="btn btn--small" disabled={busy || !who} onClick={() => void serve(who)}>
              Check in
            </button>
          </>
        )}
        {!here.some((s) => s.userId === session.user.id) && (
          <button type="button" className="btn btn--small btn--ghost" disabled={busy} onClick={() => void serve()}>
            I’m serving here
          </button>
        )}
      </div>
      {tag && <VolunteerTagSheet tag={tag} />}
      {tag && (
        <p className="small" data-testid="name-tag">
          Name tag: <strong>{tag.name}</strong> · {tag.roomName} · {tag.serviceName}{' '}
          <button type="button" className="btn btn--small" onClick={() => window.print()}>
            Print tag
          </button>{' '}
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setTag(null)}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}

/** The volunteer's name tag for this browser's print dialog (no security code): only it prints. */
function VolunteerTagSheet({ tag }: { tag: VolunteerCheckinResult['label'] }) {
  // the campus's volunteer badge template, rendered and escaped by the server (contracts/labels/html.ts), with its @page size
  if (tag.html)
    return createPortal(
      <div className="print-sheet" aria-hidden="true" data-testid="name-tag-sheet" dangerouslySetInnerHTML={{ __html: tag.html }} />,
      document.body,
    );
  return createPortal(
    <div className="print-sheet" aria-hidden="true" data-testid="name-tag-sheet">
      <div className="vol-tag">
        <div className="vol-tag-word">VOLUNTEER</div>
        <div className="vol-tag-name">{tag.name}</div>
        <div className="vol-tag-room">{tag.roomName}</div>
        <div className="vol-tag-when">
          {tag.date} · {tag.serviceName}
        </div>
      </div>
    </div>,
    document.body,
  );
}
