import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CheckinResult, KioskHouseholdSummary, KioskStatusEvent, PrintLabelsResult, Service } from '../../contracts';
import { KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS } from '../../contracts/limits';
import { api, ApiError, NetworkError, setApiHooks, setToken } from './api';
import { DEFAULT_LANG, I18nContext, MESSAGES, type Lang } from './i18n';
import { clearSession, loadSession, saveSession, type KioskSession } from './session';
import { useCheckin } from './checkin';
import { useIdle, useInterval, useKioskSocket } from './hooks';
import { Screen, Spinner, StillThere } from './ui';
import { Pairing } from './screens/Pairing';
import { Start } from './screens/Start';
import { ChooseChildren, ChooseHousehold, NotFound, nextService } from './screens/Family';
import { AddChild, Register } from './screens/Register';
import { Done } from './screens/Done';
import { Pickup } from './screens/Pickup';
import { Volunteer } from './screens/Volunteer';
import { Reprinted } from './screens/Reprint';

type View =
  | { name: 'start' }
  | { name: 'households'; households: KioskHouseholdSummary[] }
  | { name: 'notFound' }
  /**
   * `selected`: the children chosen before this screen (joined or added at the kiosk), else every child not yet in;
   * `proof`: the family code it was found by, or the code texted to join it (DESIGN §16)
   */
  | { name: 'children'; household: KioskHouseholdSummary; selected?: string[]; proof?: string }
  | { name: 'register' }
  | { name: 'volunteer' }
  | { name: 'addChild'; household: KioskHouseholdSummary }
  | { name: 'done'; result: CheckinResult; household: KioskHouseholdSummary; at: number }
  | { name: 'reprinted'; result: PrintLabelsResult; household: KioskHouseholdSummary };

const SERVICE_POLL_MS = 60_000;
const CLOSED_POLL_MS = 20_000;
const HEALTH_POLL_MS = 3_000;

export function App() {
  const [session, setSession] = useState<KioskSession | null>(() => loadSession());
  const [unpairedNotice, setUnpairedNotice] = useState(false);
  const [services, setServices] = useState<Service[] | null>(null);
  const [view, setView] = useState<View>({ name: 'start' });
  const [digits, setDigits] = useState('');
  const [finding, setFinding] = useState(false);
  const [findError, setFindError] = useState<string | null>(null);
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  const [online, setOnline] = useState(true);
  const [reprintError, setReprintError] = useState<'wrong' | 'locked' | null>(null);
  const t = MESSAGES[lang];
  const i18n = useMemo(() => ({ lang, t, setLang }), [lang, t]);
  // a language the parent picked becomes the family's; the kiosk's default says nothing (a Spanish
  // family checking in on a kiosk left in English stays Spanish)
  const chosenLang = lang !== DEFAULT_LANG ? lang : undefined;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  setToken(session?.token ?? null);

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

  const loadServices = useCallback(async () => {
    try {
      setServices((await api('GET /api/services/current')).services);
    } catch {
      /* banner shows; keep the last list */
    }
  }, []);

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

  // back from an outage: what the screen waits on is asked again at once, not at the next poll
  const wasOffline = useRef(false);
  /** a phone look-up that failed for want of the server, to run again when it is back */
  const retryFind = useRef(false);
  const findRef = useRef<() => Promise<void>>(async () => {});
  useEffect(() => {
    if (!online) wasOffline.current = true;
    else if (wasOffline.current && token) {
      wasOffline.current = false;
      void loadServices();
      if (retryFind.current) {
        retryFind.current = false;
        void findRef.current();
      }
    }
  }, [online, token, loadServices]);

  const service = services?.[0] ?? null;
  useInterval(!!session && view.name === 'start', service ? SERVICE_POLL_MS : CLOSED_POLL_MS, () => void loadServices());
  useInterval(!online, HEALTH_POLL_MS, () => {
    fetch('/healthz', { cache: 'no-store' })
      .then((r) => {
        if (r.ok) setOnline(true);
      })
      .catch(() => {});
  });

  useKioskSocket(
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
  const reset = useCallback(() => {
    cancelCheckin();
    setView({ name: 'start' });
    setDigits('');
    setFindError(null);
    setFinding(false);
    retryFind.current = false;
    setReprintError(null);
    setLang(DEFAULT_LANG);
    void loadServices();
  }, [cancelCheckin, loadServices]);

  const busyCheckingIn = checkin.status.kind === 'sending' || checkin.status.kind === 'retrying';
  const dirty = view.name !== 'start' || digits !== '' || lang !== DEFAULT_LANG || findError !== null;
  const idle = useIdle(!!session && dirty && !busyCheckingIn, KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS, reset);

  async function find() {
    retryFind.current = false;
    if (!service) return;
    setFinding(true);
    setFindError(null);
    try {
      const { households } = await api('GET /api/households', { query: { phone: digits, serviceId: service.id } });
      if (households.length === 0) setView({ name: 'notFound' });
      else if (households.length === 1) setView({ name: 'children', household: households[0]! });
      else setView({ name: 'households', households });
    } catch (e) {
      // the server could not be reached: the look-up runs again by itself once it answers
      if (e instanceof NetworkError) retryFind.current = true;
      setFindError(e instanceof NetworkError ? t.offline : e instanceof ApiError && e.status === 403 ? t.notAllowed : t.somethingWrong);
    } finally {
      setFinding(false);
    }
  }

  useEffect(() => {
    findRef.current = find;
  });

  /** A parent reprints the family's labels, proved by the tag's code or the pass (DESIGN §18). */
  async function reprint(household: KioskHouseholdSummary, proof: string) {
    if (!service || !session) return;
    setReprintError(null);
    try {
      const result = await api('POST /api/print/family-labels', {
        body: { householdId: household.id, serviceId: service.id, proof, browser: !session.kiosk.hasPrinter },
      });
      setView({ name: 'reprinted', result, household });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'proof_invalid') setReprintError('wrong');
      else if (e instanceof ApiError && (e.status === 429 || e.code === 'reprint_limit')) setReprintError('locked');
      else setFindError(e instanceof NetworkError ? t.offline : t.somethingWrong);
    }
  }

  /** Express check-in: a family's key-tag code goes straight to "Who is here today?". */
  async function express(code: string) {
    if (!service || finding) return;
    setFinding(true);
    setFindError(null);
    try {
      const { households } = await api('POST /api/households/express', { body: { code, serviceId: service.id } });
      // the family code the parent scanned is also their proof for a second check-in today (DESIGN §16)
      if (households[0]) setView({ name: 'children', household: households[0], proof: code });
      else setFindError(t.familyCodeUnknown);
    } catch (e) {
      setFindError(
        e instanceof NetworkError
          ? t.offline
          : e instanceof ApiError && e.status === 404
            ? t.familyCodeUnknown
            : e instanceof ApiError && e.status === 403
              ? t.notAllowed
              : t.somethingWrong,
      );
    } finally {
      setFinding(false);
    }
  }

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
    switch (view.name) {
      case 'start':
        body = (
          <Start
            digits={digits}
            setDigits={(d) => {
              setDigits(d);
              setFindError(null);
              retryFind.current = false;
            }}
            onFind={() => void find()}
            onExpress={(code) => void express(code)}
            onRegister={() => setView({ name: 'register' })}
            onVolunteer={() => setView({ name: 'volunteer' })}
            busy={finding}
            error={findError}
          />
        );
        break;
      case 'volunteer':
        body = <Volunteer serviceId={service.id} onFinish={reset} />;
        break;
      case 'households':
        body = <ChooseHousehold households={view.households} onChoose={(h) => setView({ name: 'children', household: h })} onBack={reset} />;
        break;
      case 'notFound':
        body = (
          <NotFound
            digits={digits}
            onRetry={() => {
              setDigits('');
              setView({ name: 'start' });
            }}
            onRegister={() => setView({ name: 'register' })}
          />
        );
        break;
      case 'children':
        body = (
          <ChooseChildren
            key={view.household.id}
            household={view.household}
            selected={view.selected}
            status={checkin.status}
            services={services}
            timezone={session.site.timezone}
            proof={view.proof}
            onReprint={(p) => void reprint(view.household, p)}
            reprintError={reprintError}
            onConfirm={(ids, serviceIds, precheckinIds, more) => checkin.start(serviceIds, view.household, ids, chosenLang, precheckinIds, more)}
            lookupDigits={digits}
            onRetryNow={() => void checkin.retryNow()}
            onBack={reset}
            onAddChild={() => setView({ name: 'addChild', household: view.household })}
          />
        );
        break;
      case 'addChild':
        body = (
          <AddChild
            household={view.household}
            digits={digits}
            onCancel={() => setView({ name: 'children', household: view.household })}
            // "Who is here today?" for the whole family, with only the child just added chosen
            onAdded={(h, childIds) => setView({ name: 'children', household: h, selected: childIds })}
          />
        );
        break;
      case 'register':
        body = (
          <Register
            digits={digits}
            onCancel={reset}
            onRegistered={(h, childIds, proof) => {
              // exactly the children the parent entered: joining a family never checks in the rest of it (DESIGN §15)
              setView({ name: 'children', household: h, selected: childIds, proof });
              checkin.start([nextService(services)!.id], h, childIds, undefined, undefined, { proof });
            }}
          />
        );
        break;
      case 'reprinted':
        body = <Reprinted result={view.result} household={view.household} onFinish={reset} />;
        break;
      case 'done':
        body = (
          <Done
            result={view.result}
            household={view.household}
            timezone={session.site.timezone}
            serviceName={service.name}
            checkedInAt={view.at}
            onFinish={reset}
            hasPrinter={!!session.kiosk.hasPrinter}
            footer={session.site.labelFooter ?? ''}
            smsSending={session.smsSending !== false}
            lang={lang}
          />
        );
        break;
    }
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
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
