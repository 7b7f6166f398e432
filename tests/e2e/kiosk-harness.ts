/**
 * What the kiosk's browser tests share (tests/e2e/kiosk-*.test.ts, split by topic from kiosk.test.ts):
 * the served app and Chromium per file, a fresh or paired tablet, screenshots at both orientations,
 * and markers instead of sleeps. Build first: npx vite build --config kiosk-ui/vite.config.mts
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser';
import type { BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

// page.evaluate bodies run in the browser; this project compiles without the DOM lib, so the few
// browser globals they use are declared here, for this file only.

declare const window: any, document: any, requestAnimationFrame: any;

export const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
export const LANDSCAPE = { width: 1024, height: 768 };
export const PORTRAIT = { width: 768, height: 1024 };

/** Marker instead of a sleep: the fonts are in and two frames were painted, so the layout has settled. */
export const painted = (page: Page) =>
  page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))));

/** Polls until the condition holds (or fails the test after `ms`). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms: ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The app and browser of the running test file (set by startKioskBrowser's beforeAll). */
export let t: TestApp;
export let browser: Browser;
const contexts: BrowserContext[] = [];

/** In a describe block: the served build and Chromium start before its tests and close after them. */
export function startKioskBrowser() {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npx vite build --config kiosk-ui/vite.config.mts');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });
}

/** A fresh tablet: its own storage, window.print counted instead of opening a dialog. */
export async function tablet(): Promise<Page> {
  const context = await browser.newContext({ viewport: LANDSCAPE, deviceScaleFactor: 1, hasTouch: true });
  contexts.push(context);
  await context.addInitScript(() => {
    window.__prints = 0;
    window.print = () => {
      window.__prints += 1;
    };
  });
  return context.newPage();
}
export const prints = (page: Page) => page.evaluate(() => window.__prints);

/** Saves the current screen at both tablet orientations. */
export async function shoot(page: Page, name: string) {
  await painted(page);
  await page.screenshot({ path: screenshotPath(`kiosk-${name}-1024x768`), animations: 'disabled' });
  await page.setViewportSize(PORTRAIT);
  await painted(page);
  await page.screenshot({ path: screenshotPath(`kiosk-${name}-768x1024`), animations: 'disabled' });
  await page.setViewportSize(LANDSCAPE);
}

export async function newKiosk(site: BuiltSite, printerHost?: string) {
  const r = await t
    .api()
    .post('/api/kiosks')
    .set(bearer(site.tokens.admin))
    .send({ name: 'Lobby', siteId: site.siteId, ...(printerHost ? { printerHost } : {}) });
  expect(r.status).toBe(201);
  return r.body as { kiosk: { id: string }; pairingCode: string };
}

export async function pairedTablet(site: BuiltSite, printerHost?: string) {
  const { kiosk, pairingCode } = await newKiosk(site, printerHost);
  const page = await tablet();
  await page.goto(`${t.baseUrl}/kiosk/`);
  await page.getByLabel('Pairing code').fill(pairingCode);
  await page.getByRole('button', { name: 'Pair this kiosk' }).click();
  await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
  return { page, kioskId: kiosk.id };
}

export async function typeOnKeypad(page: Page, digits: string) {
  for (const d of digits) await page.getByRole('button', { name: d, exact: true }).click();
}

export const siteName = async (site: BuiltSite) => (await t.db('sites').where({ id: site.siteId }).first()).name as string;
