import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Knex } from 'knex';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../../contracts';
import type { Logger } from '../logger';
import { resolveToken } from '../auth/tokens.service';
import { sha256 } from '../auth/crypto';
import { credentialStates } from '../auth/auth.repo';
import { forDisplay } from '../capacity/alerts.presenter';
import type { AlertEvent } from '../../../contracts';
import { DISPLAY_EVENTS, displayRoom, kioskPairingRoom, kioskRoom, sessionRoom, siteDisplayRoom, siteStaffRoom, type DomainEvent } from './events';

export type IO = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * The servers whose adapter is this process's memory: a room with no socket here has no socket
 * anywhere, so an event for it is not encoded at all (socket.io encodes a broadcast before it
 * looks for its recipients). With the postgres adapter other instances may hold the room's sockets.
 */
const localOnly = new WeakSet<IO>();

export interface RealtimeOptions {
  corsOrigin?: string | false;
  /**
   * `postgres`: events reach the sockets of every server instance on the same database, through
   * @socket.io/postgres-adapter (LISTEN/NOTIFY, no extra infrastructure; DESIGN §6). `memory`:
   * this process only.
   */
  adapter?: 'memory' | 'postgres';
  /** How often the sockets' sessions and kiosk tokens are re-checked (0: never; tests call sweepDeadSockets). */
  sweepMs?: number;
}

/**
 * Sockets authenticate in the handshake (`auth.token`) and the server puts them in rooms derived
 * from the token; a client never names its own room (CONVENTIONS habit 5).
 */
export function createRealtime(httpServer: HttpServer, db: Knex, logger: Logger, opts: RealtimeOptions = {}): IO {
  const io: IO = new Server(httpServer, {
    cors: { origin: opts.corsOrigin ?? false },
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // WebSockets ignore CORS: refuse a handshake whose Origin is not this server (cross-site hijacking)
    allowRequest: (req, callback) => callback(null, sameOrigin(req.headers.origin, req.headers.host)),
  });
  if (opts.adapter === 'postgres') usePostgresAdapter(io, httpServer, db, logger);
  else localOnly.add(io);
  io.use(async (socket, next) => {
    try {
      const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
      const actor = await resolveToken(db, token);
      if (!actor) return next(Object.assign(new Error('unauthorized'), { data: { code: 'unauthorized' } }));
      socket.data =
        actor.kind === 'user'
          ? { kind: 'user', siteId: actor.siteId, userId: actor.id, sessionId: actor.sessionId, role: actor.role }
          : actor.kind === 'display'
            ? { kind: 'display', siteId: actor.siteId, displayId: actor.id }
            : { kind: 'kiosk', siteId: actor.siteId, kioskId: actor.id, kioskTokenHash: sha256(token!) };
      next();
    } catch (e) {
      logger.warn({ err: e }, 'socket auth failed');
      next(Object.assign(new Error('unavailable'), { data: { code: 'database_unavailable' } }));
    }
  });
  io.on('connection', (socket) => {
    const d = socket.data;
    void socket.join(
      d.kind === 'user'
        ? [siteStaffRoom(d.siteId), sessionRoom(d.sessionId!)]
        : d.kind === 'display'
          ? [siteDisplayRoom(d.siteId), displayRoom(d.displayId!)]
          : [kioskRoom(d.kioskId!), kioskPairingRoom(d.kioskId!, d.kioskTokenHash!)],
    );
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') ack({ ok: true, at: new Date().toISOString() });
    });
  });
  if (opts.sweepMs) startSweep(io, httpServer, db, logger, opts.sweepMs);
  return io;
}

/**
 * A socket outlives the check made at its handshake, so every instance re-checks, every few
 * seconds and in one query, the sessions and kiosk tokens behind *its own* sockets, and ends the
 * dead ones: a session revoked or expired by any path (an UPDATE behind the server's back
 * included), a kiosk unpaired or paired again on another tablet. Because each instance sweeps its
 * own sockets, this covers every instance by construction; logout, unpairing and re-pairing also
 * end their sockets at once through events (publisherFor).
 */
function startSweep(io: IO, httpServer: HttpServer, db: Knex, logger: Logger, everyMs: number) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sweepDeadSockets(io, db)
      .catch((err) => logger.warn({ err }, 'socket sweep failed'))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  httpServer.once('close', () => clearInterval(timer));
}

/** One sweep of this instance's sockets; returns how many it ended. */
export async function sweepDeadSockets(io: IO, db: Knex): Promise<number> {
  const sockets = [...io.of('/').sockets.values()];
  if (!sockets.length) return 0;
  const sessionIds = new Set<string>();
  const kioskHashes = new Set<string>();
  for (const s of sockets) {
    if (s.data.kind === 'user' && s.data.sessionId) sessionIds.add(s.data.sessionId);
    else if (s.data.kind === 'kiosk' && s.data.kioskTokenHash) kioskHashes.add(s.data.kioskTokenHash);
  }
  const states = await credentialStates(db, [...sessionIds], [...kioskHashes]);
  let ended = 0;
  for (const s of sockets) {
    if (!s.connected) continue;
    if (s.data.kind === 'user') {
      const st = s.data.sessionId ? states.sessions.get(s.data.sessionId) : undefined;
      if (st?.live) continue;
      s.emit('session.ended', { reason: st && !st.revoked ? 'expired' : 'revoked' });
    } else if (s.data.kind === 'display') {
      continue; // revoking a display ends its sockets at once (display.service revoke)
    } else {
      if (s.data.kioskTokenHash && states.kiosks.has(s.data.kioskTokenHash)) continue;
      s.emit('kiosk.status', { kind: 'revoked', message: 'This kiosk was unpaired or paired again on another tablet' });
    }
    s.disconnect(true);
    ended++;
  }
  return ended;
}

/** No Origin (a native client, a test) is fine; a browser's Origin must name this host. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The adapter gets a small pool of its own on the app's database: one connection stays checked
 * out for LISTEN, the others publish (NOTIFY) and clean up attachments, so it never competes with
 * requests for the app's pool. The pool ends when the server closes.
 */
function usePostgresAdapter(io: IO, httpServer: HttpServer, db: Knex, logger: Logger) {
  const connection = db.client.config.connection as { connectionString?: string } | string;
  const connectionString = typeof connection === 'string' ? connection : connection.connectionString;
  const pool = new pg.Pool({ connectionString, max: 4, application_name: 'kidsclub-socket-adapter', connectionTimeoutMillis: 5000, keepAlive: true });
  pool.on('error', (err) => logger.warn({ err }, 'socket.io adapter connection error'));
  io.adapter(createAdapter(pool, { tableName: 'socket_io_attachments', errorHandler: (err) => logger.warn({ err }, 'socket.io adapter error') }));
  httpServer.once('close', () => {
    void pool.end().catch(() => {});
  });
}

/** Emits committed domain events to their audience's room; an unpaired kiosk or ended sign-in is disconnected. */
export function publisherFor(io: IO) {
  // a room nobody listens to (no staff screen open, no wall display) costs nothing: see localOnly
  const local = localOnly.has(io);
  const listened = (room: string) => !local || !!io.of('/').adapter.rooms.get(room)?.size;
  const emit = (room: string, name: string, payload: unknown) => {
    if (!listened(room)) return;
    (io.to(room).emit as (name: string, payload: unknown) => boolean)(name, payload);
  };
  return (events: DomainEvent[]) => {
    for (const e of events) {
      const a = e.audience;
      const room =
        a === 'staff'
          ? siteStaffRoom(e.siteId)
          : 'kioskId' in a
            ? a.tokenHash
              ? kioskPairingRoom(a.kioskId, a.tokenHash)
              : kioskRoom(a.kioskId)
            : 'displayId' in a
              ? displayRoom(a.displayId)
              : sessionRoom(a.sessionId);
      emit(room, e.name, e.payload);
      // wall displays hear rooms and alerts only, and an alert without the family's name
      if (a === 'staff' && DISPLAY_EVENTS.has(e.name)) {
        const displays = siteDisplayRoom(e.siteId);
        if (listened(displays)) emit(displays, e.name, e.name.startsWith('alert.') ? forDisplay(e.payload as AlertEvent) : e.payload);
      }
      if ((e.name === 'kiosk.status' && e.payload.kind === 'revoked') || e.name === 'session.ended') io.in(room).disconnectSockets(true);
    }
  };
}
