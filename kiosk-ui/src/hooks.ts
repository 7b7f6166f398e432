import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, KioskStatusEvent, ServerToClientEvents } from '../../contracts';

/**
 * Idle reset with a warning. After `ms - warnMs` without a touch, click or key press,
 * `secondsLeft` counts down from `warnMs`; any interaction (or `stay()`) cancels it and restarts
 * the wait; after `ms` in all, onIdle.
 */
export function useIdle(enabled: boolean, ms: number, warnMs: number, onIdle: () => void): { secondsLeft: number | null; stay(): void } {
  const cb = useRef(onIdle);
  cb.current = onIdle;
  const arm = useRef<() => void>(() => {});
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) {
      setDeadline(null);
      return;
    }
    let warn = 0,
      wipe = 0,
      tick = 0;
    const clear = () => {
      window.clearTimeout(warn);
      window.clearTimeout(wipe);
      window.clearInterval(tick);
    };
    const restart = () => {
      clear();
      setDeadline(null);
      warn = window.setTimeout(
        () => {
          setDeadline(Date.now() + warnMs);
          setNow(Date.now());
          tick = window.setInterval(() => setNow(Date.now()), 250);
          wipe = window.setTimeout(() => {
            clear();
            setDeadline(null);
            cb.current();
          }, warnMs);
        },
        Math.max(0, ms - warnMs),
      );
    };
    arm.current = restart;
    restart();
    const events = ['pointerdown', 'keydown', 'input', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, restart, { passive: true, capture: true });
    return () => {
      clear();
      arm.current = () => {};
      for (const e of events) window.removeEventListener(e, restart, { capture: true });
    };
  }, [enabled, ms, warnMs]);
  const stay = useCallback(() => arm.current(), []);
  return { secondsLeft: deadline === null ? null : Math.max(1, Math.ceil((deadline - now) / 1000)), stay };
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
      if (err.message === 'unauthorized') {
        handlers.current.onUnauthorized();
        return;
      }
      if (!socket.active) retry = window.setTimeout(() => socket.connect(), 5000);
    });
    return () => {
      window.clearTimeout(retry);
      socket.close();
    };
  }, [token]);
}
