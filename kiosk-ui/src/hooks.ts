import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, KioskStatusEvent, ServerToClientEvents } from '../../contracts';

/**
 * The latest value of a prop for callbacks that outlive the render (timers, sockets): written after
 * the render commits, never during it (react-hooks/refs), and read only from those callbacks.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/**
 * Idle reset with a warning. After `ms - warnMs` without a touch, click or key press,
 * `secondsLeft` counts down from `warnMs`; any interaction (or `stay()`) cancels it and restarts
 * the wait; after `ms` in all, onIdle.
 */
export function useIdle(enabled: boolean, ms: number, warnMs: number, onIdle: () => void): { secondsLeft: number | null; stay(): void } {
  const cb = useLatest(onIdle);
  const arm = useRef<() => void>(() => {});
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // disabled: no timers, and the countdown is hidden below (a stale deadline is reset by the next restart)
    if (!enabled) return;
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
  }, [enabled, ms, warnMs, cb]);
  const stay = useCallback(() => arm.current(), []);
  return { secondsLeft: !enabled || deadline === null ? null : Math.max(1, Math.ceil((deadline - now) / 1000)), stay };
}

/** Runs fn now and every `ms` while enabled. */
export function useInterval(enabled: boolean, ms: number, fn: () => void) {
  const cb = useLatest(fn);
  useEffect(() => {
    if (!enabled) return;
    const id = window.setInterval(() => cb.current(), ms);
    return () => window.clearInterval(id);
  }, [enabled, ms, cb]);
}

/**
 * The kiosk's socket: only for 'kiosk.status' (unpaired, service changed). The server puts it in
 * its own room from the token; a middleware refusal needs a manual reconnect.
 */
export function useKioskSocket(token: string | null, onStatus: (e: KioskStatusEvent) => void, onUnauthorized: () => void): boolean {
  const handlers = useLatest({ onStatus, onUnauthorized });
  // connected: shown as data-live-status on the app (a marker for tests and for whoever inspects a tablet)
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!token) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 10_000 });
    let retry: number | undefined;
    socket.on('connect', () => setLive(true));
    socket.on('disconnect', () => setLive(false));
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
      setLive(false);
    };
  }, [token, handlers]);
  return live && !!token;
}
