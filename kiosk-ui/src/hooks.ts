import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, KioskStatusEvent, ServerToClientEvents } from '../../contracts';

/** Calls onIdle after `ms` without a touch, click or key press; any interaction restarts the wait. */
export function useIdle(enabled: boolean, ms: number, onIdle: () => void) {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  useEffect(() => {
    if (!enabled) return;
    let timer = window.setTimeout(() => cb.current(), ms);
    const restart = () => { window.clearTimeout(timer); timer = window.setTimeout(() => cb.current(), ms); };
    const events = ['pointerdown', 'keydown', 'input', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, restart, { passive: true, capture: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, restart, { capture: true });
    };
  }, [enabled, ms]);
}

/** Runs fn now and every `ms` while enabled. */
export function useInterval(enabled: boolean, ms: number, fn: () => void) {
  const cb = useRef(fn);
  cb.current = fn;
  useEffect(() => {
    if (!enabled) return;
    const id = window.setInterval(() => cb.current(), ms);
    return () => window.clearInterval(id);
  }, [enabled, ms]);
}

/**
 * The kiosk's socket: only for 'kiosk.status' (unpaired, service changed). The server puts it in
 * its own room from the token; a middleware refusal needs a manual reconnect.
 */
export function useKioskSocket(token: string | null, onStatus: (e: KioskStatusEvent) => void, onUnauthorized: () => void) {
  const handlers = useRef({ onStatus, onUnauthorized });
  handlers.current = { onStatus, onUnauthorized };
  useEffect(() => {
    if (!token) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 10_000 });
    let retry: number | undefined;
    socket.on('kiosk.status', (e) => handlers.current.onStatus(e));
    socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized') { handlers.current.onUnauthorized(); return; }
      if (!socket.active) retry = window.setTimeout(() => socket.connect(), 5000);
    });
    return () => { window.clearTimeout(retry); socket.close(); };
  }, [token]);
}
