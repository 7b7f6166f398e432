/**
 * The wall display (DESIGN §14): a campus's rooms and alerts, read-only, full width, readable
 * from 5 m (sizes follow the screen's width, so a 4K TV is as readable as a 1080p one). It holds
 * a display token — paired once with an admin's code — that reads rooms, alerts and today's
 * services and nothing else, so a TV left signed in in the lobby gives nobody a roster.
 */
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import type { AlertEvent, ServiceRoom, SiteInfo } from '../../../contracts';
import { api, getToken, messageOf, setToken, setUnauthorizedHandler } from '../api';
import { RealtimeProvider, useRealtime } from '../realtime';
import { AlertItem, AlertsProvider, useAlerts } from '../alerts';
import { queryClient, useRooms, useToday } from '../query';
import { onSoundChange, soundState, unlock } from '../sound';
import { useEmergency } from '../emergency';
import { WallPlan } from '../forecast/ForecastPanels';

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
  const { active, loading: alertsLoading } = useAlerts();
  const status = useRealtime({ reconnected: () => void qc.invalidateQueries() });
  const sound = useSyncExternalStore(onSoundChange, soundState);
  const list = (rooms.data ?? []).filter((r) => r.open || r.headcount > 0);
  const tz = site?.timezone;
  // every standing alert of today's services, as the staff badge and dashboard count them; the most urgent first
  const mine = [...active].sort((a, b) => urgency(a) - urgency(b));
  const emergency = useEmergency(true).data ?? null;
  // a glance at the tab (or a browser's title bar on the TV) finds the alarm too
  useEffect(() => {
    const what = emergency ? '🚨 Emergency roll call — ' : mine.length ? `(${mine.length}) ⚠ Alert — ` : '';
    document.title = `${what}${site?.name ?? 'Wall display'} — Kids’ Club`;
  }, [emergency, mine.length, site?.name]);

  return (
    // the count is marked only once today's services and every one of their alert lists have loaded (never a partial count)
    <main className="wall" data-testid="wall" data-alerts={today.isSuccess && !alertsLoading ? mine.length : undefined}>
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
        <WallAlerts
          alerts={mine}
          serviceId={service?.id}
          rooms={rooms.data ?? []}
          tz={tz}
          services={(today.data ?? []).length > 1 ? new Map((today.data ?? []).map((s) => [s.id, s.name])) : null}
        />
      )}
      {!service && !today.isLoading && <p className="wall-empty">No service open for check-in now.</p>}
      {/* forecast (DESIGN §17): the plan before the doors open */}
      {tz && <WallPlan tz={tz} />}
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

/** Children turned away and headcount alarms before rooms to open, then the newest. */
function urgency(a: AlertEvent): number {
  return a.kind === 'room_full' ? 0 : a.kind === 'headcount_mismatch' ? 1 : a.projectedMinutes ? 3 : 2;
}

/**
 * As many alerts as fit in their band (a TV is read, not scrolled), and "+N more" for the rest:
 * the band's height is fixed, so the items are measured once laid out and those that do not lie
 * whole inside it are kept in the layout but not shown (showing or hiding moves nothing).
 */
function WallAlerts({
  alerts,
  serviceId,
  rooms,
  tz,
  services,
}: {
  alerts: AlertEvent[];
  /** the service whose rooms are on the wall: another service's alert is not judged against them */
  serviceId?: string;
  rooms: ServiceRoom[];
  tz?: string;
  services: Map<string, string> | null;
}) {
  const list = useRef<HTMLUListElement>(null);
  const [fit, setFit] = useState(alerts.length);
  const ids = alerts.map((a) => `${a.id}:${a.message}`).join('|');
  useLayoutEffect(() => {
    const ul = list.current;
    if (!ul) return;
    const measure = () => {
      const bottom = ul.getBoundingClientRect().bottom;
      let n = 0;
      for (const li of Array.from(ul.children)) {
        if (li.getBoundingClientRect().bottom > bottom + 0.5) break;
        n++;
      }
      setFit(n);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(ul);
    return () => ro.disconnect();
  }, [ids]);
  const more = alerts.length - Math.min(fit, alerts.length);
  return (
    <section className="wall-alerts" aria-label="Alerts">
      <ul className="alert-list" ref={list}>
        {alerts.map((a, i) => (
          <AlertItem
            key={a.id}
            alert={a}
            rooms={a.serviceId === serviceId ? rooms : []}
            tz={tz}
            readOnly
            concealed={i >= fit}
            service={a.serviceId ? services?.get(a.serviceId) : undefined}
          />
        ))}
      </ul>
      {more > 0 && (
        <p className="wall-alerts-more" data-testid="wall-alerts-more">
          +{more} more {more === 1 ? 'alert' : 'alerts'} on the staff dashboard
        </p>
      )}
    </section>
  );
}
