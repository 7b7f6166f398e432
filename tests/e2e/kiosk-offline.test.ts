/**
 * A kiosk keeps working through a blip (DESIGN §21), in a real Chromium against the served build:
 * the app shell is cached by the service worker, so a tablet reloaded while the network is gone
 * opens the kiosk and says it is reconnecting (not the browser's error page), and comes back to
 * the welcome screen by itself when the server can be reached again. Build first: npm run build:ui
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(90_000);

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
let t: TestApp;
let browser: Browser;

describeBrowser('kiosk through an outage (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'sw.js'))) throw new Error('kiosk-ui is not built with its service worker: npm run build:ui');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await t?.stop();
  });

  test('reloaded with no network: the cached kiosk says it is reconnecting; back online it returns to the welcome screen without a tap', async () => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId });
    expect(r.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    // the service worker has taken the page and cached the shell
    await page.waitForFunction('navigator.serviceWorker.ready.then((r) => !!r.active && !!navigator.serviceWorker.controller)', null, { timeout: 30_000 });
    expect(await page.evaluate('caches.keys().then((k) => k.length)')).toBeGreaterThan(0);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Can’t reach the server. Trying again…' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.topbar .brand').textContent()).toBe("Kids' Club");
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
    await page.screenshot({ path: screenshotPath('kiosk-offline-reloaded-1024x768'), animations: 'disabled' });

    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').filter({ hasText: 'Can’t reach the server' }).count()).toBe(0);

    // a look-up made while the server cannot be reached completes by itself once it can
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Wren', months: 30 }]);
    await context.setOffline(true);
    await page.keyboard.type(fam.phone.slice(-4));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Can’t reach the server' }).first().waitFor({ timeout: 20_000 });
    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor({ timeout: 20_000 });
    await page.getByText('Wren').first().waitFor();
  });
});
