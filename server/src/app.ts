/** createApp(deps) → { app, httpServer, io } without listening: main.ts listens, tests use it. */
import type { Reply } from '../../contracts/endpoints';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { Config } from './config';
import type { Logger } from './logger';
import { startAttemptSweep } from './limits/rate-limit';
import { createContext, type AppContext } from './context';
import { errorHandler, notFoundHandler } from './http/errors.middleware';
import { createMetrics } from './http/metrics';
import { buildOpenApi } from './http/openapi';
import { requestLog } from './http/request-log';
import { createRealtime, publisherFor, type IO } from './realtime/socket';
import type { DomainEvent } from './realtime/events';
import { authRoutes } from './auth/auth.routes';
import { kioskRoutes } from './kiosks/kiosks.routes';
import { serviceRoutes } from './services/services.routes';
import { householdRoutes } from './families/registration.routes';
import { checkinRoutes } from './checkin/checkins.routes';
import { pickupRoutes } from './pickup/pickup.routes';
import { roomRoutes } from './capacity/rooms.routes';
import { notificationRoutes } from './notifications/notifications.routes';
import { passRoutes } from './pass/pass.routes';
import { importRoutes } from './import/import.routes';
import { familyRoutes } from './families/families.routes';
import { rosterRoutes } from './rosters/rosters.routes';
import { reportRoutes } from './reports/reports.routes';
import { startTopUp } from './admin/schedules.service';
import { adminRoutes } from './admin/admin.routes';
import { displayRoutes } from './display/display.routes';
import { printingRoutes } from './printing/printing.routes';
import { deskRoutes } from './desk/desk.routes';
import { auditRoutes } from './audit/audit.routes';
import { peopleRoutes } from './people/people.routes';
import { orgRoutes } from './org/org.routes';
// label templates (#29)
import { labelTemplateRoutes } from './labels/label-templates.routes';
import { volunteerRoutes } from './volunteers/volunteers.routes';
import { precheckinRoutes } from './precheckin/precheckin.routes';
import { rollCallRoutes } from './rollcall/rollcall.routes';
import { broadcastRoutes } from './broadcasts/broadcasts.routes';
import { startPrecheckinSms } from './precheckin/precheckin.service';
import { photoRoutes } from './photos/photos.routes';
import { familyPhotoRoutes } from './photos/family-photos.routes';
import { startForecastSweep } from './capacity/forecast-sweep';
// printers (DESIGN §18)
import { startPrinterPoll } from './printers/printer-health';
import { printerRoutes } from './printers/printers.routes';
import { privacyRoutes } from './privacy/privacy.routes';
import { startRetention } from './privacy/retention.service';
import { apiKeyRoutes } from './apikeys/api-keys.routes';
import { apiKeyAuth } from './apikeys/api-key.middleware';
// forecast (DESIGN §17)
import { forecastRoutes } from './forecast/forecast.routes';
// ---- outbound webhooks (DESIGN §20) ----
import { webhookRoutes } from './webhooks/webhooks.routes';
import { startForecastAlerts } from './forecast/forecast-alerts';

export interface AppDeps {
  db: Knex;
  config: Config;
  logger: Logger;
  /** Secret for pickup-pass tokens (APP_SECRET, or the one kept under DATA_DIR). */
  secret: Buffer;
  /** Extra listeners for committed events (tests, the SMS dispatcher's wake-up). */
  onEvents?: (events: DomainEvent[]) => void;
}
export interface App {
  app: Express;
  httpServer: http.Server;
  io: IO;
  ctx: AppContext;
  close(): Promise<void>;
}

export const UI_DIST = { kiosk: path.resolve(__dirname, '../../kiosk-ui/dist'), staff: path.resolve(__dirname, '../../staff-ui/dist') };

export function createApp(deps: AppDeps): App {
  const { db, config, logger } = deps;
  const app = express();
  const httpServer = http.createServer(app);
  // a client that trickles headers or a body (slowloris) is cut off
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;
  const io = createRealtime(httpServer, db, logger, { adapter: config.SOCKET_ADAPTER, sweepMs: config.SOCKET_SWEEP_MS });
  const emit = publisherFor(io);
  const publish = (events: DomainEvent[]) => {
    try {
      emit(events);
      deps.onEvents?.(events);
    } catch (e) {
      logger.error({ err: e }, 'publish failed');
    }
  };
  const ctx = createContext(db, config, logger, deps.secret, publish);
  const metrics = createMetrics();
  const stopTopUp = startTopUp(ctx, config.SCHEDULE_TOPUP_MS);
  const stopPrecheckinSms = startPrecheckinSms(ctx, config.PRECHECKIN_SMS_MS);
  const stopAttemptSweep = startAttemptSweep(db, logger);
  const stopForecastSweep = startForecastSweep(ctx, config.ALERT_SWEEP_MS);
  // alerts ahead (DESIGN §17): off the check-in path, on the sweep's interval
  const stopForecastAlerts = startForecastAlerts(ctx, config.ALERT_SWEEP_MS);
  const stopRetention = startRetention(ctx, config.RETENTION_PASS_MS);
  const stopPrinterPoll = startPrinterPoll(ctx, config.PRINTER_POLL_MS);

  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY ? 1 : false);
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:', 'mediastream:'],
          'connect-src': ["'self'"],
          'font-src': ["'self'", 'data:'],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // one listener per request for the duration histogram and the request log
  app.use(requestLog(logger, metrics.observe));
  app.use(express.json({ limit: '64kb' }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' })); // Twilio webhooks post forms
  // an integration's API key (Bearer kc_live_…): resolved and rate-limited here, judged by each route's guard
  app.use(apiKeyAuth(ctx));

  app.get('/healthz', async (_req, res) => {
    try {
      await Promise.race([db.raw('select 1'), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
      res.json({ status: 'ok', db: 'up' } satisfies Reply<'GET /healthz'>);
    } catch {
      res.status(503).json({ status: 'degraded', db: 'down', error: { code: 'database_unavailable', message: 'The database is unavailable' } });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  for (const routes of [
    authRoutes,
    kioskRoutes,
    serviceRoutes,
    householdRoutes,
    checkinRoutes,
    pickupRoutes,
    roomRoutes,
    notificationRoutes,
    passRoutes,
    auditRoutes,
    printingRoutes,
    familyRoutes,
    rosterRoutes,
    reportRoutes,
    adminRoutes,
    peopleRoutes,
    orgRoutes,
    displayRoutes,
    importRoutes,
    deskRoutes,
    volunteerRoutes,
    precheckinRoutes,
    photoRoutes,
    familyPhotoRoutes,
    rollCallRoutes,
    broadcastRoutes,
    privacyRoutes,
    apiKeyRoutes,
    forecastRoutes,
    webhookRoutes,
    // label templates (#29)
    labelTemplateRoutes,
    printerRoutes,
  ])
    app.use(routes(ctx));

  // the API's own description, made once from the routes above and the endpoint map's schemas
  let openapi: ReturnType<typeof buildOpenApi> | undefined;
  app.get('/api/openapi.json', (_req, res) => {
    openapi ??= buildOpenApi(app);
    res.json(openapi satisfies Reply<'GET /api/openapi.json'>);
  });

  app.use('/api', notFoundHandler);
  if (config.SERVE_UI) {
    for (const [name, dir] of Object.entries(UI_DIST)) {
      app.use(
        `/${name}`,
        express.static(dir, {
          index: false,
          maxAge: '1h',
          setHeaders: (res, p) => {
            if (p.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
            // the service worker and its manifest are looked at on every start, so a new build reaches every tablet
            else if (/(^|[\\/])(sw\.js|registerSW\.js|manifest\.webmanifest)$/.test(p)) res.setHeader('Cache-Control', 'no-cache');
          },
        }),
      );
      app.get(`/${name}{/*rest}`, (_req, res) => {
        const index = path.join(dir, 'index.html');
        if (fs.existsSync(index)) {
          res.setHeader('Cache-Control', 'no-cache');
          res.sendFile(index);
        } else res.status(503).type('text').send(`The ${name} UI is not built yet: run npm run build:ui`);
      });
    }
    app.get('/', (_req, res) => res.redirect('/staff/'));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  return {
    app,
    httpServer,
    io,
    ctx,
    close: async () => {
      stopTopUp();
      stopPrecheckinSms();
      stopAttemptSweep();
      stopForecastSweep();
      stopForecastAlerts();
      stopRetention();
      stopPrinterPoll();
      void io.close(); // closes the sockets now; the HTTP server is closed below
      await new Promise<void>((resolve) => (httpServer.listening ? httpServer.close(() => resolve()) : resolve()));
    },
  };
}
