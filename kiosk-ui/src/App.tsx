/**
 * The kiosk app: which screen shows, and the state the screens share (the view, the digits typed,
 * the language, the family registered just now). The server link is connection.ts, the frame
 * Shell.tsx, the check-in flow's screens OpenService.tsx.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS } from '../../contracts/limits';
import { DEFAULT_LANG, I18nContext } from './i18n';
import { useLangState } from './lang';
import { useBackOnline, useKioskConnection } from './connection';
import { useCheckin } from './checkin';
import { useIdle } from './hooks';
import { useFamilyLookup } from './lookup';
import type { View } from './view';
import { OpenService } from './OpenService';
import { Closed, Loading, Shell } from './Shell';
import { Pairing } from './screens/Pairing';
import { Pickup } from './screens/Pickup';

export function App() {
  const [view, setView] = useState<View>({ name: 'start' });
  // the family this kiosk registered just now: offered photos for safe pickup after its check-in
  const [justRegistered, setJustRegistered] = useState<string | null>(null);
  const [digits, setDigits] = useState('');
  const i18n = useLangState();
  const { lang, t, setLang } = i18n;

  const onUnpaired = useCallback(() => {
    setView({ name: 'start' });
    setDigits('');
  }, []);
  const link = useKioskConnection(view.name === 'start', onUnpaired);
  const { session, service, services, loadServices, online } = link;
  const lookup = useFamilyLookup(t, service, session, digits, setView);
  const { retryIfWaiting } = lookup;
  useBackOnline(
    online,
    link.token,
    useCallback(() => {
      void loadServices();
      retryIfWaiting();
    }, [loadServices, retryIfWaiting]),
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
  }, [cancelCheckin, clearLookup, loadServices, setLang]);

  const busyCheckingIn = checkin.status.kind === 'sending' || checkin.status.kind === 'retrying';
  const dirty = view.name !== 'start' || digits !== '' || lang !== DEFAULT_LANG || lookup.findError !== null;
  const idle = useIdle(!!session && dirty && !busyCheckingIn, KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS, reset);

  let body: ReactNode;
  if (!session) body = <Pairing notice={link.unpairedNotice ? t.unpaired : undefined} onPaired={link.paired} />;
  else if (session.kiosk.mode === 'pickup') body = <Pickup timezone={session.site.timezone} />;
  else if (services === null) body = <Loading online={online} />;
  else if (!service) body = <Closed />;
  else
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

  return (
    <I18nContext.Provider value={i18n}>
      <Shell session={session} service={service} online={online} live={link.live} idle={idle}>
        {body}
      </Shell>
    </I18nContext.Provider>
  );
}
