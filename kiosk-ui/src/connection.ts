/**
 * The kiosk's link to the server: its pairing (restored, refreshed, lost), the services open now
 * (polled, and pushed by the socket), whether the server can be reached, and the live socket.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskStatusEvent, Service } from '../../contracts';
import { api, setApiHooks, setToken } from './api';
import { clearSession, loadSession, saveSession, type KioskSession } from './session';
import { useInterval, useKioskSocket } from './hooks';

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

/**
 * `pollServices`: the welcome screen shows, so the open services are asked for every minute (every 20 s
 * while none is open); `onUnpaired`: the pairing is gone (revoked, a 401), the app starts over.
 */
export function useKioskConnection(pollServices: boolean, onUnpaired: () => void) {
  const [session, setSession] = useState<KioskSession | null>(restoreSession);
  const [unpairedNotice, setUnpairedNotice] = useState(false);
  const [services, setServices] = useState<Service[] | null>(null);
  const [online, setOnline] = useState(true);

  const unpair = useCallback(() => {
    const wasPaired = loadSession() !== null;
    clearSession();
    setToken(null);
    if (wasPaired) setUnpairedNotice(true);
    setSession(null);
    setServices(null);
    onUnpaired();
  }, [onUnpaired]);

  const paired = useCallback((s: KioskSession) => {
    saveSession(s);
    setToken(s.token);
    setUnpairedNotice(false);
    setSession(s);
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
  const token = session?.token ?? null;
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
  useInterval(!!session && pollServices, service ? SERVICE_POLL_MS : CLOSED_POLL_MS, () => void loadServices());
  useInterval(!online, HEALTH_POLL_MS, () => {
    fetch('/healthz', { cache: 'no-store' })
      .then((r) => {
        if (r.ok) setOnline(true);
      })
      .catch(() => {});
  });

  const live = useKioskSocket(
    token,
    (e: KioskStatusEvent) => {
      if (e.kind === 'revoked') unpair();
      else void loadServices();
    },
    unpair,
  );

  return { session, paired, unpairedNotice, services, service, loadServices, online, live, token };
}

/** Back from an outage: what the screen waits on is asked again at once, not at the next poll. */
export function useBackOnline(online: boolean, token: string | null, onBack: () => void) {
  const wasOffline = useRef(false);
  useEffect(() => {
    if (!online) wasOffline.current = true;
    else if (wasOffline.current && token) {
      wasOffline.current = false;
      onBack();
    }
  }, [online, token, onBack]);
}
