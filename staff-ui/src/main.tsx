import { StrictMode, Suspense, lazy, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import type { Role } from '../../contracts';
import './styles/index.css';
import { Link, match, navigate, useLocation } from './router';
import { SessionProvider, atLeast, useSession, type Session } from './session';
import { RealtimeProvider, useRealtime } from './realtime';
import { setToken, setTokenKey } from './api';
import { onSoundChange, setSoundEnabled, soundState, unlock } from './sound';
import { AlertStrip, AlertsProvider, useAlerts } from './alerts';
import { EmergencyBanner } from './emergency';
import { queryClient, useLiveCache } from './query';
import { Loading } from './ui';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { Rosters } from './pages/Rosters';
import { Pickup } from './pages/Pickup';

// rarely used screens load on demand, keeping the first load small
const Families = lazy(() => import('./pages/Families'));
const Desk = lazy(() => import('./pages/Desk'));
const Reports = lazy(() => import('./pages/Reports'));
const Volunteers = lazy(() => import('./pages/Volunteers'));
const Rollup = lazy(() => import('./pages/Rollup'));
const Kiosks = lazy(() => import('./pages/admin/Kiosks'));
const Rooms = lazy(() => import('./pages/admin/Rooms'));
const Services = lazy(() => import('./pages/admin/Services'));
const Settings = lazy(() => import('./pages/admin/Settings'));
const Organization = lazy(() => import('./pages/admin/Organization'));
const Campuses = lazy(() => import('./pages/admin/Campuses'));
const People = lazy(() => import('./pages/admin/People'));
const Account = lazy(() => import('./pages/Account'));
const Displays = lazy(() => import('./pages/admin/Displays'));
const ApiKeys = lazy(() => import('./pages/admin/ApiKeys'));
// attendance history import (DESIGN §17)
const AttendanceImport = lazy(() => import('./pages/admin/AttendanceImport'));
// ---- outbound webhooks (DESIGN §20) ----
const Webhooks = lazy(() => import('./pages/admin/Webhooks'));
// label templates (#29)
const Labels = lazy(() => import('./pages/admin/Labels'));
// printers (DESIGN §18)
const Printers = lazy(() => import('./pages/admin/Printers'));
const Emergency = lazy(() => import('./pages/Emergency'));
const Broadcasts = lazy(() => import('./pages/Broadcasts'));

interface RouteDef {
  pattern: string;
  role: Role;
  title: string;
  render: (p: Record<string, string>) => ReactNode;
  /** for organisation admins only */
  orgAdmin?: true;
}
const ROUTES: RouteDef[] = [
  { pattern: '/dashboard', role: 'staff', title: 'Dashboard', render: () => <Dashboard /> },
  { pattern: '/pickup', role: 'volunteer', title: 'Pickup', render: () => <Pickup /> },
  { pattern: '/rosters', role: 'volunteer', title: 'Rosters', render: () => <Rosters /> },
  { pattern: '/rosters/:roomId', role: 'volunteer', title: 'Rosters', render: (p) => <Rosters roomId={p.roomId} /> },
  { pattern: '/desk', role: 'staff', title: 'Welcome desk', render: () => <Desk /> },
  { pattern: '/families', role: 'staff', title: 'Families', render: () => <Families /> },
  { pattern: '/families/new', role: 'staff', title: 'Families', render: () => <Families mode="new" /> },
  { pattern: '/families/:id', role: 'staff', title: 'Families', render: (p) => <Families id={p.id} /> },
  { pattern: '/reports', role: 'staff', title: 'Reports', render: () => <Reports /> },
  { pattern: '/reports/volunteers', role: 'staff', title: 'Volunteers', render: () => <Volunteers /> },
  { pattern: '/reports/campuses', role: 'admin', title: 'All campuses', render: () => <Rollup /> },
  { pattern: '/admin/kiosks', role: 'admin', title: 'Kiosks', render: () => <Kiosks /> },
  // printers (DESIGN §18)
  { pattern: '/admin/printers', role: 'staff', title: 'Label printers', render: () => <Printers /> },
  { pattern: '/admin/rooms', role: 'admin', title: 'Rooms', render: () => <Rooms /> },
  { pattern: '/admin/services', role: 'admin', title: 'Services', render: () => <Services /> },
  { pattern: '/admin/settings', role: 'admin', title: 'Site settings', render: () => <Settings /> },
  { pattern: '/admin/organization', role: 'admin', title: 'Organisation defaults', render: () => <Organization /> },
  { pattern: '/admin/campuses', role: 'admin', orgAdmin: true, title: 'Campuses', render: () => <Campuses /> },
  { pattern: '/admin/api-keys', role: 'admin', orgAdmin: true, title: 'API keys', render: () => <ApiKeys /> },
  { pattern: '/admin/webhooks', role: 'admin', orgAdmin: true, title: 'Webhooks', render: () => <Webhooks /> },
  { pattern: '/admin/people', role: 'admin', title: 'People', render: () => <People /> },
  // attendance history import (DESIGN §17)
  { pattern: '/admin/attendance-import', role: 'admin', title: 'Attendance history', render: () => <AttendanceImport /> },
  { pattern: '/account', role: 'volunteer', title: 'My account', render: () => <Account /> },
  { pattern: '/admin/displays', role: 'admin', title: 'Wall displays', render: () => <Displays /> },
  // label templates (#29)
  { pattern: '/admin/labels', role: 'admin', title: 'Labels', render: () => <Labels /> },
  { pattern: '/emergency', role: 'volunteer', title: 'Emergency roll call', render: () => <Emergency /> },
  { pattern: '/broadcasts', role: 'staff', title: 'Broadcast', render: () => <Broadcasts /> },
];
const NAV: { to: string; label: string; role: Role; section?: string }[] = [
  { to: '/dashboard', label: 'Dashboard', role: 'staff' },
  { to: '/pickup', label: 'Pickup', role: 'volunteer' },
  { to: '/rosters', label: 'Rosters', role: 'volunteer' },
  { to: '/desk', label: 'Desk', role: 'staff' },
  { to: '/families', label: 'Families', role: 'staff' },
  { to: '/reports', label: 'Reports', role: 'staff' },
  { to: '/broadcasts', label: 'Broadcast', role: 'staff' },
  { to: '/emergency', label: 'Emergency', role: 'volunteer' },
  { to: '/admin/kiosks', label: 'Admin', role: 'admin', section: '/admin' },
];
// the volunteers' report and background checks sit under Reports: the top nav stays one row at 1024 px
const REPORT_TABS = [
  { to: '/reports', label: 'Attendance' },
  { to: '/reports/volunteers', label: 'Volunteers' },
];
const ADMIN_TABS = [
  { to: '/admin/kiosks', label: 'Kiosks' },
  { to: '/admin/printers', label: 'Printers' },
  { to: '/admin/rooms', label: 'Rooms' },
  { to: '/admin/services', label: 'Services' },
  { to: '/admin/settings', label: 'Site settings' },
  { to: '/admin/displays', label: 'Displays' },
  { to: '/admin/people', label: 'People' },
  // attendance history import (DESIGN §17)
  { to: '/admin/attendance-import', label: 'Attendance history' },
  // label templates (#29)
  { to: '/admin/labels', label: 'Labels' },
];
const home = (s: Session) => (atLeast(s.user, 'staff') ? '/dashboard' : '/pickup');

function LiveBanner() {
  const status = useRealtime();
  if (status === 'lost')
    return (
      <div className="live-banner live-banner--lost" role="status" data-live="lost">
        Live updates lost — reconnecting… Numbers on screen may be out of date.
      </div>
    );
  if (status === 'back')
    return (
      <div className="live-banner live-banner--back" role="status" data-live="back">
        Live updates are back.
      </div>
    );
  return null;
}

function LivePill() {
  const status = useRealtime();
  const label = status === 'live' || status === 'back' ? 'Live' : status === 'lost' ? 'Offline' : 'Connecting';
  return (
    <span className={`live-pill live-pill--${status}`} data-live-status={status} title="Live updates">
      {label}
    </span>
  );
}

function useSound() {
  return useSyncExternalStore(onSoundChange, soundState);
}

/** Sound on or off; on a screen the browser will not let play yet, the one tap that enables it. */
function SoundButton() {
  const sound = useSound();
  if (sound === 'unavailable') return null;
  if (sound === 'blocked') {
    return (
      <button
        type="button"
        className="btn btn--small btn--warn topbar-unlock"
        data-testid="enable-sound"
        title="The browser plays sound only after a tap on this screen"
        onClick={() => void unlock()}
      >
        Enable sound
      </button>
    );
  }
  return (
    <button
      type="button"
      className="btn btn--ghost btn--small"
      aria-pressed={sound === 'on'}
      data-sound={sound}
      title="Beep when an alert arrives"
      onClick={() => setSoundEnabled(sound !== 'on')}
    >
      {sound === 'on' ? 'Sound on' : 'Sound off'}
    </button>
  );
}

/** The screen asks for the tap: a wall screen opened with a remembered sign-in cannot beep until then. */
function SoundBanner() {
  const sound = useSound();
  if (sound !== 'blocked') return null;
  return (
    <div className="live-banner sound-banner" role="status" data-testid="sound-banner">
      <span className="banner-long">Alerts cannot beep on this screen until someone taps it.</span>
      <span className="banner-short">Alerts cannot beep yet.</span>{' '}
      <button type="button" className="btn btn--small btn--warn" onClick={() => void unlock()}>
        Enable sound
      </button>
    </div>
  );
}

/** Without an SMS provider the server only logs texts: staff must not believe families were told. */
function SmsBanner() {
  return (
    <div className="live-banner sms-banner" role="status" data-testid="sms-banner">
      <span className="banner-long">
        Text messages are not being sent: no SMS provider is configured. Receipts and pages are logged, not sent — tell parents in person.
      </span>
      <span className="banner-short">No texts are sent — tell parents in person.</span>
    </div>
  );
}

function AlertBadge() {
  const { active } = useAlerts();
  if (!active.length) return null;
  return (
    <Link to="/dashboard" className="alert-badge" aria-label={`${active.length} standing ${active.length === 1 ? 'alert' : 'alerts'}`}>
      <span aria-hidden>⚠</span> <span data-testid="alert-badge">{active.length}</span>
    </Link>
  );
}

function Shell({ session, children, path }: { session: Session; children: ReactNode; path: string }) {
  const { logout } = useSession();
  useLiveCache();
  const [menu, setMenu] = useState(false);
  const staff = atLeast(session.user, 'staff');
  const items = NAV.filter((n) => atLeast(session.user, n.role));
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            KC
          </span>
          <span className="brand-text">
            <strong>Kids’ Club</strong>
            <small>{session.site?.name ?? ''}</small>
          </span>
        </div>
        <button type="button" className="btn btn--ghost menu-toggle" aria-expanded={menu} aria-controls="main-nav" onClick={() => setMenu((m) => !m)}>
          Menu
        </button>
        <nav id="main-nav" className={`nav ${menu ? 'nav--open' : ''}`} aria-label="Main">
          {items.map((n) => (
            <Link
              key={n.to}
              to={n.to}
              onClick={() => setMenu(false)}
              className={`nav-link ${path === n.to || path.startsWith(`${n.section ?? n.to}/`) ? 'nav-link--active' : ''}`}
              aria-current={path === n.to ? 'page' : undefined}
            >
              {n.label}
            </Link>
          ))}
          <div className="nav-extra">
            <span className="who">
              {session.user.name || session.user.email} <small className="role">{session.user.role}</small>
            </span>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => void logout().then(() => navigate('/login', true))}>
              Sign out
            </button>
          </div>
        </nav>
        <div className="topbar-end">
          {staff && <AlertBadge />}
          <LivePill />
          {staff && <SoundButton />}
          <span className="who" title={session.user.email}>
            {session.user.name || session.user.email} <small className="role">{session.user.role}</small>
          </span>
          <button type="button" className="btn btn--ghost btn--small topbar-signout" onClick={() => void logout().then(() => navigate('/login', true))}>
            Sign out
          </button>
        </div>
      </header>
      <LiveBanner />
      <EmergencyBanner onPage={path === '/emergency'} />
      {staff && !session.smsSending && <SmsBanner />}
      {staff && <SoundBanner />}
      {staff && <AlertStrip onDashboard={path === '/dashboard'} tz={session.site?.timezone} />}
      <main className="content">
        {(path === '/reports' || path.startsWith('/reports/')) && staff && (
          <nav className="sub-tabs" aria-label="Reports">
            {[...REPORT_TABS, ...(session.user.orgAdmin ? [{ to: '/reports/campuses', label: 'All campuses' }] : [])].map((t) => (
              <Link key={t.to} to={t.to} className={`chip ${path === t.to ? 'chip--active' : ''}`} aria-current={path === t.to ? 'page' : undefined}>
                {t.label}
              </Link>
            ))}
          </nav>
        )}
        {path.startsWith('/admin/') && atLeast(session.user, 'admin') && (
          <nav className="sub-tabs" aria-label="Admin">
            {[
              ...ADMIN_TABS,
              ...(session.user.orgAdmin
                ? [
                    { to: '/admin/organization', label: 'Organisation' },
                    { to: '/admin/campuses', label: 'Campuses' },
                    { to: '/admin/api-keys', label: 'API keys' },
                    { to: '/admin/webhooks', label: 'Webhooks' },
                  ]
                : []),
            ].map((t) => (
              <Link key={t.to} to={t.to} className={`chip ${path === t.to ? 'chip--active' : ''}`} aria-current={path === t.to ? 'page' : undefined}>
                {t.label}
              </Link>
            ))}
          </nav>
        )}
        {children}
      </main>
    </div>
  );
}

/** The page's title, with the standing alerts in front where a glance at the tab finds them. */
function TitleSync({ title }: { title: string }) {
  const { active } = useAlerts();
  useEffect(() => {
    document.title = `${active.length ? `(${active.length}) ⚠ Alert — ` : ''}${title} — Kids’ Club`;
  }, [active.length, title]);
  return null;
}

function NotAllowed({ role, orgAdmin }: { role: Role; orgAdmin?: boolean }) {
  return (
    <section className="panel not-allowed" data-testid="not-allowed">
      <h1>Not allowed</h1>
      <p>
        {orgAdmin
          ? 'This page is for organisation admins only.'
          : `This page is for ${role === 'admin' ? 'admins' : 'staff'} only. Ask a ${role === 'admin' ? 'site admin' : 'staff member'} if you need it.`}
      </p>
    </section>
  );
}

function App() {
  const { session, loading, reconnecting, logout } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (loading) return;
    if (!session && path !== '/login') navigate(`/login${path !== '/' ? `?next=${encodeURIComponent(path)}` : ''}`, true);
    else if (session && (path === '/' || path === '/login')) navigate(new URLSearchParams(location.search).get('next') ?? home(session), true);
  }, [session, loading, path]);

  // a sign-out leaves nothing of this session's data for the next one
  useEffect(() => {
    if (!session && !loading) queryClient.clear();
  }, [session, loading]);
  const title = ROUTES.find((x) => match(x.pattern, path))?.title ?? 'Staff';
  useEffect(() => {
    if (!session) document.title = `${title} — Kids’ Club`;
  }, [session, title]);

  if (loading)
    return (
      <div className="center">
        <Loading what={reconnecting ? 'Can’t reach the server. Reconnecting' : 'Signing in'} />
      </div>
    );
  if (!session) return path === '/login' ? <Login /> : null;
  if (path === '/' || path === '/login') return null;

  const route = ROUTES.map((r) => ({ r, p: match(r.pattern, path) })).find((x) => x.p);
  let body: ReactNode;
  if (!route)
    body = (
      <section className="panel">
        <h1>Not found</h1>
        <p>
          <Link to={home(session)}>Back to the start</Link>
        </p>
      </section>
    );
  else if (!atLeast(session.user, route.r.role)) body = <NotAllowed role={route.r.role} />;
  else if (route.r.orgAdmin && !session.user.orgAdmin) body = <NotAllowed role={route.r.role} orgAdmin />;
  else body = <Suspense fallback={<Loading />}>{route.r.render(route.p!)}</Suspense>;

  return (
    <RealtimeProvider
      token={session.token}
      onUnauthorized={() => {
        setToken(null);
        void logout();
      }}
    >
      <AlertsProvider enabled={atLeast(session.user, 'staff')}>
        <TitleSync title={title} />
        <Shell session={session} path={path}>
          {body}
        </Shell>
      </AlertsProvider>
    </RealtimeProvider>
  );
}

// the wall display is its own app: a display token under its own key, no staff session at all
const DisplayApp = lazy(() => import('./pages/Display'));
const wall = location.pathname.replace(/\/+$/, '') === '/staff/display';
if (wall) setTokenKey('kc.display.token');
createRoot(document.getElementById('root')!).render(
  wall ? (
    <StrictMode>
      <Suspense fallback={null}>
        <DisplayApp />
      </Suspense>
    </StrictMode>
  ) : (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>
  ),
);
