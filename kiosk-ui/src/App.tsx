import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { KioskStatusEvent, Service } from '../../contracts';
import { KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS } from '../../contracts/limits';
import { api, setApiHooks, setToken } from './api';
import { DEFAULT_LANG, I18nContext, MESSAGES, type Lang } from './i18n';
import { clearSession, loadSession, saveSession, type KioskSession } from './session';
import { useCheckin } from './checkin';
import { useIdle, useInterval, useKioskSocket } from './hooks';
import { useFamilyLookup } from './lookup';
import { Screen, Spinner, StillThere } from './ui';
import type { View } from './view';
import { OpenService } from './OpenService';
import { Pairing } from './screens/Pairing';
import { Pickup } from './screens/Pickup';

const SERVICE_POLL_MS = 60_000;
const CLOSED_POLL_MS = 20_000;
const HEALTH_POLL_MS = 3_000;

/**
 * The saved pairing, with the API client's token set from it once, when the app starts. Setting
 * the token in render (as before) changed a module's state on every render; pairing and unpairing
 * set it where they change the session.
 */
function restoreSession(): KioskSession | null {
  const s = loadSession();
  setToken(s?.token ?? null);
  return s;
}

export function App() {
  const [session, setSession] = useState<KioskSession | null>(restoreSession);
  const [unpairedNotice, setUnpairedNotice] = useState(false);
  const [services, setServices] = useState<Service[] | null>(null);
  const [view, setView] = useState<View>({ name: 'start' });
  // the family this kiosk registered just now: offered photos for safe pickup after its check-in
  const [justRegistered, setJustRegistered] = useState<string | null>(null);
  const [digits, setDigits] = useState('');
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  const [online, setOnline] = useState(true);
  const t = MESSAGES[lang];
  const i18n = useMemo(() => ({ lang, t, setLang }), [lang, t]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const unpair = useCallback(() => {
    const wasPaired = loadSession() !== null;
    clearSession();
    setToken(null);
    if (wasPaired) setUnpairedNotice(true);
    setSession(null);
    setServices(null);
    setView({ name: 'start' });
    setDigits('');
  }, []);

  useEffect(() => {
    setApiHooks({ onUnauthorized: unpair, onReachable: setOnline });
  }, [unpair]);

  const loadServices = useCallback(
    () =>
      api('GET /api/services/current').then(
        (r) => setServices(r.services),
        () => {
          /* banner shows; keep the last list */
        },
      ),
    [],
  );

  // A paired tablet: refresh who and where it is, and what is open.
  const token = session?.token;
  useEffect(() => {
    if (!token) return;
    void loadServices();
    api('GET /api/kiosk/me')
      .then((me) => {
        if (!me.site) return;
        setSession((s) => {
          if (!s) return s;
          const next = {
            ...s,
            site: { ...s.site, name: me.site!.name, timezone: me.site!.timezone, labelFooter: me.site!.labelFooter },
            kiosk: { ...s.kiosk, ...me.kiosk },
            smsSending: me.sms?.sending ?? true,
          };
          saveSession(next);
          return next;
        });
      })
      .catch(() => {});
  }, [token, loadServices]);

  const service = services?.[0] ?? null;
  const lookup = useFamilyLookup(t, service, session, digits, setView);

  // back from an outage: what the screen waits on is asked again at once, not at the next poll
  const wasOffline = useRef(false);
  const { retryIfWaiting } = lookup;
  useEffect(() => {
    if (!online) wasOffline.current = true;
    else if (wasOffline.current && token) {
      wasOffline.current = false;
      void loadServices();
      retryIfWaiting();
    }
  }, [online, token, loadServices, retryIfWaiting]);

  useInterval(!!session && view.name === 'start', service ? SERVICE_POLL_MS : CLOSED_POLL_MS, () => void loadServices());
  useInterval(!online, HEALTH_POLL_MS, () => {
    fetch('/healthz', { cache: 'no-store' })
      .then((r) => {
        if (r.ok) setOnline(true);
      })
      .catch(() => {});
  });

  const live = useKioskSocket(
    session?.token ?? null,
    (e: KioskStatusEvent) => {
      if (e.kind === 'revoked') unpair();
      else void loadServices();
    },
    unpair,
  );

  const checkin = useCheckin((result, household) => setView({ name: 'done', result, household, at: Date.now() }));

  /** Back to the welcome screen, forgetting the family (and their language). */
  const cancelCheckin = checkin.cancel;
  const clearLookup = lookup.clear;
  const reset = useCallback(() => {
    cancelCheckin();
    setView({ name: 'start' });
    setJustRegistered(null);
    setDigits('');
    clearLookup();
    setLang(DEFAULT_LANG);
    void loadServices();
  }, [cancelCheckin, clearLookup, loadServices]);

  const busyCheckingIn = checkin.status.kind === 'sending' || checkin.status.kind === 'retrying';
  const dirty = view.name !== 'start' || digits !== '' || lang !== DEFAULT_LANG || lookup.findError !== null;
  const idle = useIdle(!!session && dirty && !busyCheckingIn, KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS, reset);

  let body: ReactNode;
  if (!session) {
    body = (
      <Pairing
        notice={unpairedNotice ? t.unpaired : undefined}
        onPaired={(s) => {
          saveSession(s);
          setToken(s.token);
          setUnpairedNotice(false);
          setSession(s);
        }}
      />
    );
  } else if (session.kiosk.mode === 'pickup') {
    body = <Pickup timezone={session.site.timezone} />;
  } else if (services === null) {
    body = (
      <div className="loading" role="status">
        <Spinner />
        {online ? t.loading : t.reconnecting}
      </div>
    );
  } else if (!service) {
    body = (
      <Screen title={t.closedTitle} sub={t.closedHelp} className="screen-closed">
        <span />
      </Screen>
    );
  } else {
    body = (
      <OpenService
        view={view}
        show={setView}
        service={service}
        services={services}
        session={session}
        digits={digits}
        setDigits={setDigits}
        lookup={lookup}
        checkin={checkin}
        reset={reset}
        lang={lang}
        justRegistered={justRegistered}
        onRegistered={setJustRegistered}
      />
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app" data-live-status={live ? 'live' : 'offline'}>
        <header className="topbar">
          <span className="brand">{t.appName}</span>
          {session && (
            <span className="where">
              <span className="site-name">{session.site.name}</span>
              {service && <span className="service-name">{service.name}</span>}
            </span>
          )}
        </header>
        {!online && (
          <div className="banner-offline" role="alert">
            <Spinner />
            {t.offline}
          </div>
        )}
        <main className="main">{body}</main>
        {idle.secondsLeft !== null && <StillThere secondsLeft={idle.secondsLeft} onStay={idle.stay} />}
      </div>
    </I18nContext.Provider>
  );
}
