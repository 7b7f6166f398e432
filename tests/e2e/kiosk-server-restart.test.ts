/**
 * A kiosk through a real server restart (DESIGN §21, #30 point 1): a real server process
 * (server/src/main.ts) serves the kiosk; it is stopped, the tablet is reloaded (the cached shell
 * opens and says "Reconnecting…", not the browser's error page), the server is started again on
 * the same port and the kiosk comes back by itself; then, with the server stopped once more, a
 * parent's look-up waits and completes without another tap once the server is back.
 * (tests/e2e/kiosk-offline.test.ts cuts the tablet's network instead.) Build first: npm run build:ui
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Browser } from 'playwright-core';
import { createDb } from '../../server/src/db/knex';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { isolatedDatabaseUrl } from '../support/db';
import { buildHousehold, buildSite } from '../support/factories';
import { startServer, type ServerProc } from '../support/processes';

jest.setTimeout(180_000);

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');

/** A port free now, kept for both lives of the server. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

describeBrowser('kiosk through a real server restart (served build, Chromium)', () => {
  let db: Knex;
  let dbUrl: string;
  let dataDir: string;
  let port: number;
  let server: ServerProc | undefined;
  let browser: Browser;
  const start = () =>
    startServer(
      {
        DATABASE_URL: dbUrl,
        DEMO_SEED: 'false',
        SERVE_UI: 'true',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        APP_SECRET: 'restart-test-secret-restart-test-0123',
        LOG_LEVEL: 'warn',
      },
      60_000,
    );

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'sw.js'))) throw new Error('kiosk-ui is not built with its service worker: npm run build:ui');
    dbUrl = await isolatedDatabaseUrl('restart');
    db = createDb(dbUrl, 4);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-restart-'));
    port = await freePort();
    server = await start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.kill('SIGKILL');
    await db?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('stopped, reloaded, started on the same port: the shell says Reconnecting…, the kiosk returns, a waiting look-up completes without a tap', async () => {
    const site = await buildSite(db);
    const fam = await buildHousehold(db, site.siteId, [{ firstName: 'Wren', months: 30 }]);
    const r = await fetch(`${server!.url}/api/kiosks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Lobby', siteId: site.siteId }),
    });
    expect(r.status).toBe(201);
    const { pairingCode } = (await r.json()) as { pairingCode: string };

    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server!.url}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await page.waitForFunction('navigator.serviceWorker.ready.then((r) => !!r.active && !!navigator.serviceWorker.controller)', null, { timeout: 30_000 });

    // the server stops; the tablet is reloaded: the cached shell, not the browser's error page
    await server!.kill('SIGTERM');
    server = undefined;
    await page.reload();
    expect(await page.locator('.topbar .brand').textContent()).toBe("Kids' Club");
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('kiosk-server-restart-reloaded'), animations: 'disabled' });

    // started again on the same port: the kiosk comes back by itself
    server = await start();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor({ timeout: 30_000 });

    // stopped once more while a parent looks their family up: the look-up waits, then completes by itself
    await server.kill('SIGTERM');
    server = undefined;
    for (const d of fam.phone.slice(-4)) await page.getByRole('button', { name: d, exact: true }).click();
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('alert').filter({ hasText: 'Can’t reach the server' }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('kiosk-server-restart-lookup-waiting'), animations: 'disabled' });
    server = await start();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor({ timeout: 30_000 });
    await page.getByText('Wren').first().waitFor();
    await context.close();
  });
});
