/**
 * The wall display (DESIGN §14): a campus's rooms and alerts, read-only, full width, readable
 * from 5 m (sizes follow the screen's width, so a 4K TV is as readable as a 1080p one). It holds
 * a display token — paired once with an admin's code — that reads rooms, alerts and today's
 * services and nothing else, so a TV left signed in in the lobby gives nobody a roster.
 */
import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import type { ServiceRoom, SiteInfo } from '../../../contracts';
import { api, getToken, messageOf, setToken, setUnauthorizedHandler } from '../api';
import { RealtimeProvider, useRealtime } from '../realtime';
import { AlertItem, AlertsProvider, useAlerts } from '../alerts';
import { queryClient, useRooms, useToday } from '../query';
import { onSoundChange, soundState, unlock } from '../sound';
import { useEmergency } from '../emergency';

const STATUS: Record<ServiceRoom['status'], string> = { open: 'Open', nearly_full: 'Nearly full', full: 'Full', over_ratio: 'Over ratio', closed: 'Closed' };

export default function DisplayApp() {
  const [token, setTok] = useState(getToken);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setToken(null);
      queryClient.clear();
      setTok(null);
    });
  }, []);
  if (!token)
    return (
      <Pair
        onPaired={(t) => {
          setToken(t, true);
          setTok(t);
        }}
      />
    );
  return (
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider
        token={token}
        onUnauthorized={() => {
          setToken(null);
          queryClient.clear();
          setTok(null);
        }}
      >
        <AlertsProvider enabled>
          <Wall />
        </AlertsProvider>
      </RealtimeProvider>
    </QueryClientProvider>
  );
}

function Pair({ onPaired }: { onPaired: (token: string) => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onPaired((await api('POST /api/displays/pair', { body: { pairingCode: code.trim().toUpperCase() } })).token);
    } catch (err) {
      setError(messageOf(err).replace(/^pairingCode: /, 'That code '));
    }
  };
  return (
    <main className="wall wall--pair">
      <form className="wall-pair" onSubmit={submit}>
        <h1>Pair this screen</h1>
        <p>An admin creates a wall display under Admin → Displays and reads you its code.</p>
        <input aria-label="Pairing code" value={code} onChange={(e) => setCode(e.target.value)} autoFocus autoComplete="off" />
        <button type="submit" className="btn btn--primary btn--big">
          Pair
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Clock({ tz }: { tz?: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  return <span className="wall-clock">{new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: tz }).format(now)}</span>;
}

function Wall() {
  const qc = useQueryClient();
  const [site, setSite] = useState<SiteInfo | null>(null);
  useEffect(() => {
    void api('GET /api/display/me')
      .then((r) => setSite(r.site))
      .catch(() => {});
  }, []);
  const today = useToday();
  const service = today.data?.[0];
  const rooms = useRooms(service?.id);
  const { active } = useAlerts();
  const status = useRealtime({ reconnected: () => void qc.invalidateQueries() });
  const sound = useSyncExternalStore(onSoundChange, soundState);
  const list = (rooms.data ?? []).filter((r) => r.open || r.headcount > 0);
  const tz = site?.timezone;
  const mine = active.filter((a) => a.serviceId === service?.id);
  const emergency = useEmergency(true).data ?? null;
  // a glance at the tab (or a browser's title bar on the TV) finds the alarm too
  useEffect(() => {
    const what = emergency ? '🚨 Emergency roll call — ' : mine.length ? `(${mine.length}) ⚠ Alert — ` : '';
    document.title = `${what}${site?.name ?? 'Wall display'} — Kids’ Club`;
  }, [emergency, mine.length, site?.name]);

  return (
    <main className="wall" data-testid="wall">
      <header className="wall-head">
        <h1>
          {site?.name ?? 'Kids’ Club'}
          {service && <span className="wall-service"> · {service.name}</span>}
        </h1>
        <div className="wall-head-end">
          {sound === 'blocked' && (
            <button type="button" className="btn btn--warn wall-sound" data-testid="enable-sound" onClick={() => void unlock()}>
              Enable sound
            </button>
          )}
          <span className={`live-pill live-pill--${status}`} data-live-status={status}>
            {status === 'lost' ? 'Offline' : status === 'connecting' ? 'Connecting' : 'Live'}
          </span>
          <Clock tz={tz} />
        </div>
      </header>
      {emergency && (
        <section className="wall-emergency" aria-label="Emergency roll call" data-testid="wall-emergency">
          <h2>
            Emergency roll call{emergency.message ? ` — ${emergency.message}` : ''}: <span data-testid="wall-emergency-accounted">{emergency.accounted}</span>{' '}
            of {emergency.total} accounted for
          </h2>
          <ul className="wall-emergency-rooms">
            {emergency.rooms.map((r) => (
              <li key={r.roomId} className={r.accounted === r.total ? 'done' : ''} data-room-id={r.roomId}>
                <span>{r.name}</span> <strong>{r.total - r.accounted === 0 ? '✓ all' : `${r.total - r.accounted} missing`}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
      {mine.length > 0 && (
        <section className="wall-alerts" aria-label="Alerts">
          <ul className="alert-list">
            {mine.map((a) => (
              <AlertItem key={a.id} alert={a} rooms={rooms.data ?? []} tz={tz} readOnly />
            ))}
          </ul>
        </section>
      )}
      {!service && !today.isLoading && <p className="wall-empty">No service today.</p>}
      <section className="wall-rooms" aria-label="Rooms">
        {list.map((r) => (
          <article key={r.id} className={`wall-room room-card--${r.status}`} data-room-id={r.id} data-status={r.status}>
            <h2>{r.name}</h2>
            <p className="wall-count">
              <span data-testid="headcount">{r.headcount}</span>
              <span className="of"> / {r.limit}</span>
            </p>
            <span className={`status-chip status-chip--${r.status}`}>{STATUS[r.status]}</span>
          </article>
        ))}
      </section>
    </main>
  );
}
