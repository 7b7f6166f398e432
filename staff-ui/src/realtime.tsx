/**
 * The live connection: one Socket.IO client per signed-in session (same origin, token in the
 * handshake; the server picks the rooms), and the one hook screens use to turn events into state
 * updates or refetches. It also tells the screen when the connection is lost and when it is back,
 * and asks every screen to refetch after a reconnect (events sent meanwhile were missed).
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts';

export type LiveStatus = 'connecting' | 'live' | 'lost' | 'back';
export type LiveHandlers = { [K in keyof ServerToClientEvents]?: ServerToClientEvents[K] } & {
  /** Called after the connection came back: refetch what may have changed meanwhile. */
  reconnected?: () => void;
};

interface Live {
  status: LiveStatus;
  subscribe(h: { current: LiveHandlers }): () => void;
}
const Ctx = createContext<Live>({ status: 'connecting', subscribe: () => () => {} });

export function RealtimeProvider({ token, onUnauthorized, children }: { token: string; onUnauthorized: () => void; children: ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const subs = useRef(new Set<{ current: LiveHandlers }>());
  const unauthorized = useRef(onUnauthorized);
  useLayoutEffect(() => {
    unauthorized.current = onUnauthorized;
  });

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ auth: { token }, reconnectionDelay: 500, reconnectionDelayMax: 5000 });
    let everConnected = false;
    let lost = false;
    let backTimer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (ms: number) => {
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (!socket.connected) socket.connect();
      }, ms);
    };

    socket.on('connect', () => {
      clearTimeout(retry);
      if (lost) {
        lost = false;
        setStatus('back');
        clearTimeout(backTimer);
        backTimer = setTimeout(() => setStatus('live'), 4000);
        for (const s of subs.current) s.current.reconnected?.();
      } else setStatus('live');
      everConnected = true;
    });
    socket.on('disconnect', (reason) => {
      lost = true;
      setStatus('lost');
      // the client retries by itself, except when the server closed the socket
      if (reason === 'io server disconnect') retryLater(1000);
    });
    socket.on('connect_error', (err) => {
      const code = (err as Error & { data?: { code?: string } }).data?.code ?? err.message;
      if (code === 'unauthorized') {
        unauthorized.current();
        return;
      }
      if (everConnected) lost = true;
      setStatus(everConnected ? 'lost' : 'connecting');
      // a refusal by the server's middleware is not retried by the client: retry ourselves
      if (!socket.active) retryLater(2000);
    });
    socket.onAny((name: string, payload: unknown) => {
      for (const s of subs.current) (s.current[name as keyof ServerToClientEvents] as ((p: unknown) => void) | undefined)?.(payload);
    });
    return () => {
      clearTimeout(backTimer);
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.close();
    };
  }, [token]);

  const subscribe = useCallback((h: { current: LiveHandlers }) => {
    subs.current.add(h);
    return () => {
      subs.current.delete(h);
    };
  }, []);
  return <Ctx.Provider value={{ status, subscribe }}>{children}</Ctx.Provider>;
}

/** Subscribes the calling screen to live events for as long as it is mounted; returns the connection status. */
export function useRealtime(handlers: LiveHandlers = {}): LiveStatus {
  const live = useContext(Ctx);
  const ref = useRef(handlers);
  // the latest handlers, kept after each render (a ref is never written during one)
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  const { subscribe } = live;
  useEffect(() => subscribe(ref), [subscribe]);
  return live.status;
}
