/**
 * Starts the real app (Express + Socket.IO) on a real port against the worker's database, with
 * every committed event also recorded in `events` for assertions.
 */
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Knex } from 'knex';
import { createApp, type App } from '../../server/src/app';
import { parseConfig, type Config } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import type { DomainEvent } from '../../server/src/realtime/events';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts';
import { testDb } from './db';
import { startSms, type SmsRuntime } from '../../server/src/notifications/sms';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface TestApp extends App {
  db: Knex;
  config: Config;
  baseUrl: string;
  events: DomainEvent[];
  /** The SMS dispatcher, when started with `dispatcher: true` (links and callbacks use baseUrl unless PUBLIC_URL is set). */
  sms?: SmsRuntime;
  api(): supertest.Agent;
  socket(token: string): Socket<ServerToClientEvents, ClientToServerEvents>;
  stop(): Promise<void>;
}

/** `logs`: collect every log line the app writes (set LOG_LEVEL in env to see more than 'silent'). */
export async function startTestApp(
  opts: { env?: Record<string, string>; db?: Knex; poolMax?: number; dispatcher?: boolean; logs?: string[] } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await testDb(opts.poolMax ?? 20));
  // rate limits are counted in the database (shared by every instance): a test file starts with
  // none, as it did when each app counted in its own memory (the worker's database outlives a file)
  if (!opts.db) await db('attempt_counters').del();
  // the hourly pass (schedules, grade promotion) and the weekly pre-check-in texts would act behind a test's back 10 s in: tests call them themselves
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    APP_SECRET: TEST_SECRET,
    SERVE_UI: 'false',
    DEMO_SEED: 'false',
    SCHEDULE_TOPUP_MS: '0',
    PRECHECKIN_SMS_MS: '0',
    ALERT_SWEEP_MS: '0',
    PRINTER_POLL_MS: '0',
    RETENTION_PASS_MS: '0',
    ...opts.env,
  });
  const events: DomainEvent[] = [];
  const app = createApp({
    db,
    config,
    logger: createLogger(
      config.LOG_LEVEL,
      opts.logs
        ? {
            write: (line: string) => {
              opts.logs!.push(line);
            },
          }
        : undefined,
    ),
    secret: Buffer.from(TEST_SECRET),
    onEvents: (e) => events.push(...e),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const sockets: Socket[] = [];
  const sms = opts.dispatcher ? startSms(app.ctx, { publicBase: config.PUBLIC_URL ?? baseUrl, pollMs: 200 }) : undefined;
  return {
    ...app,
    db,
    config,
    baseUrl,
    events,
    sms,
    api: () => supertest.agent(app.httpServer),
    socket: (token: string) => {
      const s = ioClient(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return s;
    },
    stop: async () => {
      await sms?.stop();
      for (const s of sockets) s.close();
      await app.close();
      if (!opts.db) await db.destroy();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Resolves with the next `event` on the socket, or rejects after `ms`. */
export function nextEvent<T = unknown>(socket: Socket<any, any>, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(t);
      resolve(payload);
    });
  });
}

let markers = 0;
const MARKER = 'test marker ';
/** Whether an event is a `caughtUp` marker (tests that record every event leave these out). */
export const isMarker = (payload: unknown) =>
  typeof (payload as { message?: unknown })?.message === 'string' && (payload as { message: string }).message.startsWith(MARKER);

/**
 * Resolves once `socket` has received a marker published (through the app's own publisher) to
 * `audience` after everything published before the call: one connection keeps the server's order,
 * so an event that was going to reach the socket has reached it by then. Used instead of a sleep
 * before "this socket heard nothing".
 */
export async function caughtUp(t: Pick<TestApp, 'ctx'>, socket: Socket<any, any>, siteId: string, audience: DomainEvent['audience'] = 'staff', ms = 3000) {
  const message = `${MARKER}${++markers}`;
  const arrived = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`marker "${message}" did not arrive within ${ms} ms`)), ms);
    const on = (p: { message?: string }) => {
      if (p?.message !== message) return;
      clearTimeout(timer);
      socket.off('kiosk.status', on);
      resolve();
    };
    socket.on('kiosk.status', on);
  });
  t.ctx.publish([{ name: 'kiosk.status', siteId, audience, payload: { kind: 'service_changed', message } }]);
  await arrived;
}

export function connected(socket: Socket<any, any>, ms = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const t = setTimeout(() => reject(new Error('socket did not connect')), ms);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
    socket.once('connect_error', (e: Error) => {
      clearTimeout(t);
      reject(e);
    });
  });
}
