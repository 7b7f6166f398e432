/**
 * Alerts reach staff on every page (DESIGN §14): one subscription above the router keeps the
 * standing alerts of today's services, beeps when one is raised, and feeds the badge, the page
 * title and the strip under the top bar; the dashboard and the wall display show the same list.
 * Each open-a-room alert carries its action, worked out from the rooms the app already holds.
 */
import { createContext, useContext, useRef, useState, type ReactNode } from 'react';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import type { AlertEvent, ServiceRoom } from '../../contracts';
import { overflowServes } from '../../contracts/rules';
import { api } from './api';
import { alertsQuery, keys, putAlert, putRoom, siteAlertsQuery, useRooms, useToday } from './query';
import { useRealtime, type LiveHandlers } from './realtime';
import { beep } from './sound';
import { ActionButton } from './ui';
import { timeIn } from './format';
import { Link } from './router';

interface AlertsApi {
  active: AlertEvent[];
  acked: AlertEvent[];
  fresh: Set<string>;
  loading: boolean;
  error: unknown;
  settle(id: string): void;
}
const Ctx = createContext<AlertsApi>({ active: [], acked: [], fresh: new Set(), loading: false, error: null, settle: () => {} });
export const useAlerts = () => useContext(Ctx);

const FRESH_MS = 20_000;

export function AlertsProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const qc = useQueryClient();
  const today = useToday();
  const serviceIds = enabled ? (today.data ?? []).map((s) => s.id) : [];
  // the services' alerts, and the campus's of no one service (a label printer down), with or without services today
  const lists = useQueries({ queries: [...serviceIds.map((id) => alertsQuery(id)), ...(enabled ? [siteAlertsQuery()] : [])] });
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const settle = (id: string) => {
    clearTimeout(timers.current.get(id));
    setFresh((s) => {
      if (!s.has(id)) return s;
      const n = new Set(s);
      n.delete(id);
      return n;
    });
  };

  const alertHandlers: LiveHandlers = {
    'alert.raised': (e) => {
      putAlert(qc, e);
      setFresh((s) => new Set(s).add(e.id));
      clearTimeout(timers.current.get(e.id));
      timers.current.set(
        e.id,
        setTimeout(() => settle(e.id), FRESH_MS),
      );
      beep();
    },
    'alert.updated': (e) => putAlert(qc, e),
    'alert.cleared': (e) => {
      putAlert(qc, e);
      settle(e.id);
    },
    'alert.acknowledged': (e) => {
      putAlert(qc, e);
      settle(e.id);
    },
  };
  useRealtime({
    // every screen's rooms, whichever page holds them (volunteers' rosters too)
    'room.updated': (e) => putRoom(qc, e.room),
    reconnected: () => {
      void qc.invalidateQueries({ queryKey: ['alerts'] });
      void qc.invalidateQueries({ queryKey: ['rooms'] });
      void qc.invalidateQueries({ queryKey: keys.today });
    },
    ...(enabled ? alertHandlers : {}),
  });

  const all = lists.flatMap((l) => l.data ?? []);
  // a few alerts a service: worked out on each render of the provider (it renders when they change)
  const value: AlertsApi = {
    active: all.filter((a) => !a.clearedAt && !a.acknowledgedAt).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
    acked: all.filter((a) => !a.clearedAt && a.acknowledgedAt),
    fresh,
    loading: lists.some((l) => l.isLoading),
    error: lists.find((l) => l.error)?.error ?? null,
    settle,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export interface AlertAction {
  label: string;
  roomId: string;
  patch: { open?: boolean };
}

/**
 * What would answer an open-a-room alert, from the rooms on screen: a closed room of the same age
 * group ("Open Toddlers B"), else a closed overflow room that takes the group ("Open overflow") —
 * for a child no regular room fits, only an overflow room the server named as taking them. Never
 * "add a volunteer" on paper: volunteers count when they check in (DESIGN §15).
 */
export function actionFor(alert: AlertEvent, rooms: ServiceRoom[]): AlertAction | null {
  // alerts ahead (DESIGN §17): the forecast names the room to open; adults are not a room to open
  if (alert.kind === 'forecast_volunteers') return null;
  if (alert.kind === 'forecast_open_room') {
    const named = rooms.find((r) => alert.roomIds.includes(r.id) && !r.open);
    if (named) return { label: `Open ${named.name}`, roomId: named.id, patch: { open: true } };
  }
  const own = rooms.filter((r) => r.ageGroup === alert.ageGroup || alert.roomIds.includes(r.id));
  const regular = own.filter((r) => r.kind === 'regular');
  const closedOwn = own.filter((r) => !r.open && r.kind === 'regular');
  if (closedOwn[0]) return { label: `Open ${closedOwn[0].name}`, roomId: closedOwn[0].id, patch: { open: true } };
  const overflow = rooms.filter(
    (r) => r.kind === 'overflow' && !r.open && (regular.length ? regular.some((g) => overflowServes(r, g)) : alert.roomIds.includes(r.id)),
  );
  if (overflow[0])
    return {
      label: /overflow/i.test(overflow[0].name)
        ? `Open ${overflow[0].name.toLowerCase() === 'overflow' ? 'overflow' : overflow[0].name}`
        : `Open overflow (${overflow[0].name})`,
      roomId: overflow[0].id,
      patch: { open: true },
    };
  return null;
}

/** One standing alert with its action and the acknowledge button. */
export function AlertItem({
  alert,
  rooms,
  tz,
  readOnly = false,
  concealed = false,
  service,
}: {
  alert: AlertEvent;
  rooms: ServiceRoom[];
  tz?: string;
  readOnly?: boolean;
  /** laid out but not shown: the wall display counts it in "+N more" instead */
  concealed?: boolean;
  /** the name of the alert's service, when the page shows another service's rooms */
  service?: string;
}) {
  const qc = useQueryClient();
  const { fresh, settle } = useAlerts();
  // a headcount alarm is answered by finding the children, not by opening a room
  const action = readOnly || alert.kind === 'headcount_mismatch' ? null : actionFor(alert, rooms);
  const fullNow = alert.roomIds.length > 0 && alert.roomIds.every((id) => rooms.find((r) => r.id === id)?.status === 'full');
  return (
    <li
      className={`alert-item alert-item--${alert.kind} ${fresh.has(alert.id) ? 'alert-item--new' : ''}`}
      data-alert-id={alert.id}
      data-state="active"
      data-hidden={concealed ? '' : undefined}
      aria-hidden={concealed || undefined}
      style={concealed ? { visibility: 'hidden' } : undefined}
    >
      {/* the alert role sits inside the list item: on the <li> itself it would take the item out of its list */}
      <div role="alert" className="alert-item-body">
        <p className="alert-msg">{alert.message}</p>
        {/* the message was written when the alert was raised; say so when the rooms have filled since */}
        {fullNow && alert.kind === 'open_room' && (
          <p className="small">
            <span className="badge badge--red">Full now</span>
          </p>
        )}
        <p className="muted small alert-meta">
          {service ? `${service} · ` : ''}
          {/* a printer alert's group is the printer's id (DESIGN §18): it says "Label printer" instead */}
          {alert.kind.startsWith('printer_') ? 'Label printer' : alert.ageGroup} · raised {timeIn(alert.raisedAt, tz)}
          {alert.projectedMinutes != null && alert.projectedMinutes > 0 ? ` · full in ~${alert.projectedMinutes} min` : ''}
        </p>
        {!readOnly && (
          <div className="alert-actions">
            {alert.kind.startsWith('printer_') && (
              <Link className="btn btn--small btn--primary" to="/admin/printers">
                Printers
              </Link>
            )}
            {alert.kind === 'headcount_mismatch' && alert.roomIds[0] && (
              <Link className="btn btn--small btn--primary" to={`/rosters/${alert.roomIds[0]}`}>
                Open the roster
              </Link>
            )}
            {action && alert.serviceId && (
              <ActionButton
                className="btn--small btn--primary"
                onClick={async () =>
                  putRoom(
                    qc,
                    (await api('PATCH /api/services/:id/rooms/:roomId', { params: { id: alert.serviceId!, roomId: action.roomId }, body: action.patch })).room,
                  )
                }
              >
                <span data-testid="alert-action">{action.label}</span>
              </ActionButton>
            )}
            <ActionButton
              className="btn--small"
              onClick={async () => {
                putAlert(qc, (await api('POST /api/alerts/:id/ack', { params: { id: alert.id } })).alert);
                settle(alert.id);
              }}
            >
              Acknowledge
            </ActionButton>
          </div>
        )}
      </div>
    </li>
  );
}

/** The newest standing alert under the top bar on pages other than the dashboard, with its action. */
export function AlertStrip({ onDashboard, tz }: { onDashboard: boolean; tz?: string }) {
  const { active } = useAlerts();
  const top = active[0];
  const rooms = useRooms(top?.serviceId ?? undefined, !!top?.serviceId && !onDashboard);
  if (!top || onDashboard) return null;
  return (
    <div className="alert-strip" data-testid="alert-strip">
      <ul className="alert-list alert-list--strip">
        <AlertItem alert={top} rooms={rooms.data ?? []} tz={tz} />
      </ul>
      {active.length > 1 && (
        <Link
          className="alert-strip-more"
          to="/dashboard"
          aria-label={`${active.length - 1} more ${active.length === 2 ? 'alert' : 'alerts'} on the dashboard`}
        >
          +{active.length - 1} more<span className="alert-strip-where"> on the dashboard</span>
        </Link>
      )}
    </div>
  );
}
