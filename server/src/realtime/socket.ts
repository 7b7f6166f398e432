import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Knex } from 'knex';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../../contracts';
import type { Logger } from '../logger';
import { resolveToken } from '../auth/auth.middleware';
import { kioskRoom, siteStaffRoom, type DomainEvent } from './events';

export type IO = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Sockets authenticate in the handshake (`auth.token`) and the server puts them in rooms derived
 * from the token; a client never names its own room (CONVENTIONS habit 5).
 */
export function createRealtime(httpServer: HttpServer, db: Knex, logger: Logger, corsOrigin: string | false = false): IO {
  const io: IO = new Server(httpServer, {
    cors: { origin: corsOrigin }, serveClient: false, pingInterval: 10_000, pingTimeout: 8_000,
    // WebSockets ignore CORS: refuse a handshake whose Origin is not this server (cross-site hijacking)
    allowRequest: (req, callback) => callback(null, sameOrigin(req.headers.origin, req.headers.host)),
  });
  io.use(async (socket, next) => {
    try {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      const actor = await resolveToken(db, token);
      if (!actor) return next(Object.assign(new Error('unauthorized'), { data: { code: 'unauthorized' } }));
      socket.data = actor.kind === 'user'
        ? { kind: 'user', siteId: actor.siteId, userId: actor.id, role: actor.role }
        : { kind: 'kiosk', siteId: actor.siteId, kioskId: actor.id };
      next();
    } catch (e) {
      logger.warn({ err: e }, 'socket auth failed');
      next(Object.assign(new Error('unavailable'), { data: { code: 'database_unavailable' } }));
    }
  });
  io.on('connection', (socket) => {
    const d = socket.data;
    void socket.join(d.kind === 'user' ? siteStaffRoom(d.siteId) : kioskRoom(d.kioskId!));
    socket.on('ping', (ack) => { if (typeof ack === 'function') ack({ ok: true, at: new Date().toISOString() }); });
  });
  return io;
}

/** No Origin (a native client, a test) is fine; a browser's Origin must name this host. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try { return new URL(origin).host === host; } catch { return false; }
}

/** Emits committed domain events to their audience's room; an unpaired kiosk is disconnected. */
export function publisherFor(io: IO) {
  return (events: DomainEvent[]) => {
    for (const e of events) {
      const room = e.audience === 'staff' ? siteStaffRoom(e.siteId) : kioskRoom(e.audience.kioskId);
      (io.to(room).emit as (name: string, payload: unknown) => boolean)(e.name, e.payload);
      if (e.name === 'kiosk.status' && e.payload.kind === 'revoked') io.in(room).disconnectSockets(true);
    }
  };
}
