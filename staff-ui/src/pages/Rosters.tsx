/**
 * Rosters (flows 3 and 4): who is in each room, allergy and medical flags, the security code on
 * request; move a child (staff), page a parent and watch the text's delivery status live.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { PageStatus, PrinterStatus, Roster, RosterEntry, Service, ServiceRoom } from '../../../contracts';
import { MAX_PAGE_MESSAGE_LENGTH } from '../../../contracts/limits';
import { api, messageOf } from '../api';
import { useRealtime } from '../realtime';
import { keys, useApiQuery, useRooms } from '../query';
import { atLeast, useSignedIn } from '../session';
import { ServicePicker, useCurrentService } from '../services';
import { Badge, Empty, ErrorText, Loading, SmsStatus, useDebounced } from '../ui';
import { Link } from '../router';
import { ageLabel, timeIn } from '../format';
import { isEligible } from '../../../contracts/rules';
import { CareBadges } from './families/ChildCare';

export function Rosters({ roomId }: { roomId?: string }) {
  const session = useSignedIn();
  const cur = useCurrentService();
  if (cur.loading && !cur.service) return <Loading what="Loading the current service" />;
  if (cur.error) return <ErrorText error={cur.error} />;
  if (!cur.service)
    return (
      <Empty>
        <h1>No service is open right now</h1>
        <p>Rosters show the children of the service under way.</p>
      </Empty>
    );
  return (
    <ServiceRosters
      key={cur.service.id}
      service={cur.service}
      roomId={roomId}
      tz={session.site?.timezone}
      picker={<ServicePicker services={cur.services} service={cur.service} choose={cur.choose} tz={session.site?.timezone} />}
    />
  );
}

function ServiceRosters({ service, roomId, tz, picker }: { service: Service; roomId?: string; tz?: string; picker: ReactNode }) {
  const session = useSignedIn();
  const staff = atLeast(session.user, 'staff');
  const [showOut, setShowOut] = useState(false);
  const [filter, setFilter] = useState('');
  const rooms = useRooms(service.id);
  // switching rooms shows at once what the previous list knows of the new room (All rooms → one
  // room is exact), marked as a placeholder until the room's own answer comes
  const roster = useApiQuery(
    keys.roster(service.id, roomId, showOut),
    () => api('GET /api/services/:id/roster', { params: { id: service.id }, query: { roomId, status: showOut ? 'all' : undefined } }),
    { keepPrevious: (prev) => prev && (roomId ? { ...prev, checkins: prev.checkins.filter((c) => c.roomId === roomId) } : prev) },
  );
  const refetch = useDebounced(() => {
    void roster.reload();
  });

  const setPages = (checkinId: string, f: (pages: PageStatus[]) => PageStatus[]) =>
    roster.setData((r) => r && { ...r, checkins: r.checkins.map((c) => (c.id === checkinId ? { ...c, pages: f(c.pages) } : c)) });

  // check-ins, check-outs and reconnects refetch through the shared cache (query.ts useLiveCache)
  useRealtime({
    'notification.updated': (e) => {
      if (e.kind !== 'page' || !e.checkinId) return;
      const entry = roster.data?.checkins.find((c) => c.id === e.checkinId);
      if (!entry) return;
      if (entry.pages.some((p) => p.id === e.id)) {
        setPages(e.checkinId, (pages) =>
          pages.map((p) => (p.id === e.id && p.updatedAt <= e.updatedAt ? { ...p, status: e.status, error: e.error, updatedAt: e.updatedAt } : p)),
        );
      } else refetch(); // a page sent from another screen
    },
    // the room's headcount alarm, raised or cleared from any screen
    'alert.raised': (e) => e.kind === 'headcount_mismatch' && (!roomId || e.roomIds.includes(roomId)) && refetch(),
    'alert.cleared': (e) => e.kind === 'headcount_mismatch' && (!roomId || e.roomIds.includes(roomId)) && refetch(),
  });

  const roomList = rooms.data ?? [];
  const current = roomList.find((r) => r.id === roomId);
  const f = filter.trim().toLowerCase();
  const entries = (roster.data?.checkins ?? []).filter((c) => !f || `${c.firstName} ${c.lastName}`.toLowerCase().includes(f));

  const alarm = roster.data?.headcountMismatch ?? null;
  return (
    <div className={`rosters ${alarm ? 'rosters--alarm' : ''}`} data-alarm={alarm ? 'headcount_mismatch' : undefined}>
      {alarm && <MismatchBanner message={alarm.message} alertId={alarm.id} staff={staff} onCleared={() => void roster.reload()} />}
      <div className="page-head">
        <div>
          <h1 className="page-title">{current ? current.name : 'All rooms'}</h1>
          {picker}
        </div>
        {current && (
          <p className="room-summary" data-testid="room-summary">
            <strong>{current.headcount}</strong> / {current.limit} · {current.volunteers} volunteers
          </p>
        )}
      </div>
      {current && roster.data && (
        <RollCallSummary
          entries={roster.data.checkins}
          roster={roster.data}
          serviceId={service.id}
          roomId={current.id}
          canMark={staff || roster.data.servingRoomIds.includes(current.id)}
          onRecorded={() => void roster.reload()}
        />
      )}
      <nav className="room-tabs" aria-label="Rooms">
        <Link to="/rosters" className={`chip ${!roomId ? 'chip--active' : ''}`}>
          All rooms
        </Link>
        {roomList
          .filter((r) => r.open || r.headcount > 0 || r.id === roomId)
          .map((r) => (
            <Link key={r.id} to={`/rosters/${r.id}`} className={`chip ${r.id === roomId ? 'chip--active' : ''}`}>
              {r.name} <span className="chip-count">{r.headcount}</span>
            </Link>
          ))}
      </nav>
      <div className="roster-tools">
        <input type="search" placeholder="Find a child" aria-label="Find a child" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={showOut} onChange={(e) => setShowOut(e.target.checked)} /> <span>Show picked up</span>
        </label>
      </div>
      <ErrorText error={roster.error} />
      {roster.loading && !roster.data && <Loading what="Loading the roster" />}
      {roster.data && !roster.placeholder && entries.length === 0 && (
        <Empty>
          <p>{f ? 'No child by that name here.' : 'No children checked in here yet.'}</p>
        </Empty>
      )}
      <ul className="roster" aria-busy={roster.placeholder}>
        {entries.map((c) => (
          <RosterLine
            key={c.id}
            entry={c}
            tz={tz}
            staff={staff}
            showRoom={!roomId}
            rooms={roomList}
            setPages={(fn) => setPages(c.id, fn)}
            onMoved={refetch}
            canMark={staff || !!roster.data?.servingRoomIds.includes(c.roomId)}
            onPresent={(presentAt) => roster.setData((r) => r && { ...r, checkins: r.checkins.map((x) => (x.id === c.id ? { ...x, presentAt } : x)) })}
          />
        ))}
      </ul>
    </div>
  );
}

/** The server's eligibility rule (capacity/rules.ts isEligible), to offer only rooms a move can use. */
const fits = (r: ServiceRoom, c: RosterEntry) => isEligible(r, c);

function RosterLine({
  entry: c,
  tz,
  staff,
  showRoom,
  rooms,
  setPages,
  onMoved,
  canMark,
  onPresent,
}: {
  entry: RosterEntry;
  tz?: string;
  staff: boolean;
  showRoom: boolean;
  rooms: ServiceRoom[];
  setPages: (f: (p: PageStatus[]) => PageStatus[]) => void;
  onMoved: () => void;
  canMark: boolean;
  onPresent: (presentAt: string | null) => void;
}) {
  const [showMedical, setShowMedical] = useState(false);
  // the note is fetched when opened (each opening is audited), never carried on the roster
  const [medical, setMedical] = useState<string | null>(null);
  const toggleMedical = async () => {
    if (showMedical) return setShowMedical(false);
    setError(null);
    try {
      setMedical((await api('GET /api/checkins/:id/medical-notes', { params: { id: c.id } })).note.medicalNotes);
      setShowMedical(true);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const [showCode, setShowCode] = useState(false);
  const [paging, setPaging] = useState(false);
  const [moving, setMoving] = useState(false);
  const [message, setMessage] = useState('');
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const out = c.status !== 'checked_in';
  const [mending, setMending] = useState<null | 'undo' | 'reprint'>(null);
  const [reason, setReason] = useState('');
  const [printers, setPrinters] = useState<PrinterStatus[] | null>(null);
  const [printer, setPrinter] = useState('');

  const page = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/checkins/:id/page', { params: { id: c.id }, body: message.trim() ? { message: message.trim() } : {} });
      setPages(() => r.notifications.map((n) => ({ id: n.id, status: n.status, error: n.error, createdAt: n.createdAt, updatedAt: n.updatedAt })));
      setPaging(false);
      setMessage('');
      setNotice(`Page queued · ${r.pagesLeftThisHour} more allowed this hour`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const move = async (e: FormEvent) => {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/checkins/:id/move', { params: { id: c.id }, body: { roomId: target } });
      setMoving(false);
      setNotice(`Moved to ${r.checkin.roomName}`);
      onMoved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  // mistakes mended from the roster (staff): undo a checkout within 15 minutes, reprint the family's labels
  const openReprint = async () => {
    setMending((m) => (m === 'reprint' ? null : 'reprint'));
    setError(null);
    if (printers) return;
    try {
      const r = await api('GET /api/printers');
      const usable = r.printers.filter((x) => x.printerHost);
      setPrinters(usable);
      setPrinter(usable[0]?.kioskId ?? '');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const undo = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST /api/checkins/:id/undo-checkout', { params: { id: c.id }, body: { reason: reason.trim() } });
      setMending(null);
      setReason('');
      setNotice(`${c.firstName} is back in ${c.roomName}`);
      onMoved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const reprint = async (e: FormEvent) => {
    e.preventDefault();
    if (!printer) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST /api/checkins/:id/labels', { params: { id: c.id }, body: { kioskId: printer } });
      // a label per child and the parent tag
      setMending(null);
      setNotice(`${r.labels.children.length + 1} labels sent to ${r.printed?.kiosk ?? 'the printer'}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`roster-line ${out ? 'roster-line--out' : ''}`} data-checkin-id={c.id} data-present={out ? undefined : c.presentAt ? 'yes' : 'no'}>
      <div className="roster-main">
        <div className="roster-name">
          <strong>
            {c.firstName} {c.lastName}
          </strong>
          <span className="muted small">
            {' '}
            {ageLabel(c.ageMonths, c.grade)}
            {showRoom ? ` · ${c.roomName}` : ''}
          </span>
        </div>
        <div className="roster-flags">
          {c.allergies && (
            <Badge tone="red" title="Allergies">
              <span data-testid="allergy">Allergy: {c.allergies}</span>
            </Badge>
          )}
          <CareBadges child={c} />
          {/* tap to read: a touch screen has no hover, so the note is a button, not a tooltip (DESIGN §13) */}
          {c.hasMedicalNotes && c.canReadMedicalNotes && (
            <button type="button" className="badge badge--amber medical-toggle" aria-expanded={showMedical} onClick={() => void toggleMedical()}>
              Medical {showMedical ? '▲' : '▼'}
            </button>
          )}
          {c.hasMedicalNotes && !c.canReadMedicalNotes && <Badge tone="amber">Medical — ask the room’s volunteers or staff</Badge>}
          {c.hasCustodyAlert && (
            <Badge tone="purple" title="Check the custody alert at pickup">
              Custody alert
            </Badge>
          )}
          {out && <Badge tone="grey">Picked up{c.pickedUpBy ? ` by ${c.pickedUpBy}` : ''}</Badge>}
          {c.droppedOffBy && <span className="muted small">Dropped off by {c.droppedOffBy}</span>}
        </div>
        {showMedical && medical != null && (
          <p className="medical-note" data-testid="medical-note">
            {medical}
          </p>
        )}
        <div className="roster-meta small">
          <span>In at {timeIn(c.checkedInAt, tz)}</span>
          {!out && <span data-testid="presence">{c.presentAt ? `Present (${timeIn(c.presentAt, tz)})` : 'Not yet arrived'}</span>}
          {c.securityCode && (
            <span className="code">
              Code{' '}
              {showCode ? (
                <strong className="mono" data-testid="code">
                  {c.securityCode}
                </strong>
              ) : (
                <span className="mono" aria-label="hidden">
                  ••••
                </span>
              )}{' '}
              <button type="button" className="link" onClick={() => setShowCode((s) => !s)} aria-pressed={showCode}>
                {showCode ? 'Hide' : 'Show code'}
              </button>
            </span>
          )}
          {c.pages.length > 0 && (
            <span className="pages" data-testid="page-status">
              Page:{' '}
              {c.pages.map((p) => (
                <SmsStatus key={p.id} status={p.status} error={p.error} />
              ))}
              {c.pages.some((p) => p.error) && <span className="error small"> {c.pages.find((p) => p.error)!.error}</span>}
            </span>
          )}
        </div>
      </div>
      {!out && (
        <div className="roster-actions">
          {canMark && (
            <button
              type="button"
              className={`btn btn--small present-toggle ${c.presentAt ? 'btn--primary' : ''}`}
              aria-pressed={!!c.presentAt}
              disabled={busy}
              onClick={() => {
                setBusy(true);
                api('PUT /api/checkins/:id/present', { params: { id: c.id }, body: { present: !c.presentAt } })
                  .then(
                    (r) => onPresent(r.present ? new Date().toISOString() : null),
                    (err) => setError(messageOf(err)),
                  )
                  .finally(() => setBusy(false));
              }}
            >
              {c.presentAt ? 'Present ✓' : 'Mark present'}
            </button>
          )}
          <button
            type="button"
            className="btn btn--small"
            onClick={() => {
              setPaging((p) => !p);
              setMoving(false);
              setError(null);
            }}
            aria-expanded={paging}
          >
            Page parent
          </button>
          {staff && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => {
                setMoving((m) => !m);
                setPaging(false);
                setError(null);
              }}
              aria-expanded={moving}
            >
              Move
            </button>
          )}
          {staff && (
            <button type="button" className="btn btn--small btn--ghost" onClick={() => void openReprint()} aria-expanded={mending === 'reprint'}>
              Reprint labels
            </button>
          )}
        </div>
      )}
      {out && staff && (
        <div className="roster-actions">
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => {
              setMending((m) => (m === 'undo' ? null : 'undo'));
              setError(null);
            }}
            aria-expanded={mending === 'undo'}
          >
            Undo checkout
          </button>
        </div>
      )}
      {mending === 'undo' && (
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
          <button type="submit" className="btn btn--primary" disabled={busy || reason.trim().length < 3}>
            {busy ? 'Undoing…' : 'Undo checkout'}
          </button>
        </form>
      )}
      {mending === 'reprint' &&
        printers &&
        (printers.length === 0 ? (
          <p className="muted small" role="status">
            No kiosk here has a label printer; print from a kiosk or the welcome desk.
          </p>
        ) : (
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
            <button type="submit" className="btn btn--primary" disabled={busy || !printer}>
              {busy ? 'Sending…' : 'Print'}
            </button>
          </form>
        ))}
      {paging && (
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
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send page'}
          </button>
        </form>
      )}
      {moving && (
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
          <button type="submit" className="btn btn--primary" disabled={busy || !target}>
            Move
          </button>
        </form>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="notice small" role="status">
          {notice}
        </p>
      )}
    </li>
  );
}

/** The room's headcount alarm, in red above the roster: what disagreed, and (staff) clearing it with a note. */
function MismatchBanner({ message, alertId, staff, onCleared }: { message: string; alertId: string; staff: boolean; onCleared: () => void }) {
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

/** Roll call for a room: present / not yet arrived, and a manual headcount (a room volunteer or staff). */
function RollCallSummary({
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
