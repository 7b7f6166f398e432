/** Load config, start or connect the database, migrate, seed, build the UIs, listen. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startDatabase, ensureDatabase } from './db/embedded';
import { createDb } from './db/knex';
import { migrateLatest } from './db/migrate';
import { loadSecret } from './db/secret';
import { isEmpty, seedDemo, DEMO_USERS, DEMO_PASSWORD } from './db/seed-demo';
import { createApp, UI_DIST } from './app';
import { withTransaction } from './db/transaction';
import { newPairingCodeFor } from './kiosks/kiosks.service';
import { startExtensions } from './extensions';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const say = (m: string) => console.log(m);

  const database = await startDatabase(config, say);
  const url = database.embedded ? await ensureDatabase(database.url, 'kidsclub') : database.url;
  const db = createDb(url, config.DB_POOL_MAX, { warn: (m) => logger.warn({ component: 'db' }, m) });
  const applied = await migrateLatest(db);
  if (applied.length) say(`applied ${applied.length} migration(s)`);

  let demoKioskId: string | undefined;
  if (config.DEMO_SEED && (await isEmpty(db))) {
    demoKioskId = (await seedDemo(db)).kioskId;
    say('seeded the demo site (Demo Church — Main Campus)');
  } else if (config.DEMO_SEED) {
    demoKioskId = (await db('kiosks').select('id').where({ name: 'Lobby kiosk 1' }).whereNull('revoked_at').first())?.id;
  }

  if (config.SERVE_UI && (!fs.existsSync(path.join(UI_DIST.kiosk, 'index.html')) || !fs.existsSync(path.join(UI_DIST.staff, 'index.html')))) {
    // a development checkout builds them on first start; a production image has them built in
    // (Dockerfile, first stage) and no build tools, since vite and react are dev dependencies
    const vite = await import('vite').catch(() => null);
    if (vite) {
      say('building the kiosk and staff UIs (first start only)…');
      const root = path.resolve(__dirname, '../..');
      for (const ui of ['kiosk-ui', 'staff-ui']) await vite.build({ configFile: path.join(root, ui, 'vite.config.mts'), logLevel: 'warn' });
    } else {
      logger.warn('the UIs are not built and vite is not installed: /kiosk and /staff answer 503 (run npm run build:ui)');
    }
  }

  const secret = loadSecret(config.APP_SECRET, config.DATA_DIR);
  const { httpServer, close, ctx } = createApp({ db, config, logger, secret });
  const extras = await startExtensions(ctx).catch((e) => {
    logger.error({ err: e }, 'extensions failed to start');
    return undefined;
  });

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const port = (httpServer.address() as { port: number }).port;
  const base = config.PUBLIC_URL ?? `http://localhost:${port}`;
  say(`\nKids' Club check-in is running (${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  say(`  Staff:  ${base}/staff/`);
  say(`  Kiosk:  ${base}/kiosk/`);
  if (config.DEMO_SEED) {
    say(`  Demo logins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(', ')}`);
    if (demoKioskId) {
      const { pairingCode } = await withTransaction(
        db,
        () => {},
        (tx) => newPairingCodeFor(tx, null, demoKioskId),
      );
      say(`  Kiosk pairing code for "Lobby kiosk 1": ${pairingCode} (valid 15 minutes)`);
    }
  }
  for (const line of extras?.banner ?? []) say(`  ${line}`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await extras?.stop?.();
    await close();
    await db.destroy();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
