/**
 * Rosters (flows 3 and 4): who is in each room, allergy and medical flags, the security code on
 * request; move a child (staff), page a parent and watch the text's delivery status live.
 * This file is the page (the service, the room tabs, the live list); its parts are in ./rosters/.
 */
import { useState, type ReactNode } from 'react';
import type { PageStatus, Service } from '../../../contracts';
import { api } from '../api';
import { useRealtime } from '../realtime';
import { keys, useApiQuery, useRooms } from '../query';
import { atLeast, useSignedIn } from '../session';
import { ServicePicker, useCurrentService } from '../services';
import { Empty, ErrorText, Loading, useDebounced } from '../ui';
import { Link } from '../router';
import { MismatchBanner } from './rosters/MismatchBanner';
import { RollCallSummary } from './rosters/RollCallSummary';
import { RosterLine } from './rosters/RosterLine';

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
