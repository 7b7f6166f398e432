/**
 * The set-up every kiosk browser suite repeated: called inside describeBrowser, it starts a local
 * Twilio-compatible server (when asked), the app serving the built kiosk, and Chromium before the
 * suite, and closes them after it. `pair` pairs a tablet (1024 × 768, touch, print() a no-op) at
 * a campus and waits for the welcome screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { BuiltSite } from './factories';
import { bearer, startTestApp, type TestApp } from './harness';
import { startFakeTwilio, type FakeTwilio } from '../../server/src/dev/fake-twilio';

const KIOSK_DIST = path.resolve(__dirname, '../../kiosk-ui/dist/index.html');

export interface KioskSuite {
  readonly t: TestApp;
  readonly browser: Browser;
  /** the local Twilio-compatible server (only with `twilio: true`) */
  readonly fake: FakeTwilio;
  pair(site: BuiltSite, o?: { name?: string; viewport?: { width: number; height: number } }): Promise<Page>;
}

/** Pairs a new kiosk of `site` in a fresh tablet-sized context and waits for the welcome screen. */
export async function pairTablet(
  t: TestApp,
  browser: Browser,
  site: BuiltSite,
  o: { contexts: BrowserContext[]; name?: string; viewport?: { width: number; height: number } },
): Promise<Page> {
  const r = await t
    .api()
    .post('/api/kiosks')
    .set(bearer(site.tokens.admin))
    .send({ name: o.name ?? 'Lobby', siteId: site.siteId });
  if (r.status !== 201) throw new Error(`pairTablet: POST /api/kiosks answered ${r.status} ${JSON.stringify(r.body)}`);
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1024, height: 768 }, hasTouch: true });
  o.contexts.push(context);
  await context.addInitScript(() => {
    (globalThis as unknown as { print: () => void }).print = () => {};
  });
  const page = await context.newPage();
  await page.goto(`${t.baseUrl}/kiosk/`);
  await page.getByLabel('Pairing code').fill(r.body.pairingCode);
  await page.getByRole('button', { name: 'Pair this kiosk' }).click();
  await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
  return page;
}

/** `twilio`: an SMS provider is configured (the local server); no dispatcher runs unless `env` says so. */
export function kioskBrowserSuite(opts: { twilio?: boolean; env?: Record<string, string> } = {}): KioskSuite {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let fake: FakeTwilio | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    if (!fs.existsSync(KIOSK_DIST)) throw new Error('kiosk-ui is not built: npm run build:ui');
    if (opts.twilio) fake = await startFakeTwilio();
    t = await startTestApp({ env: { SERVE_UI: 'true', ...fake?.env(), ...opts.env } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
    await fake?.close();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`kioskBrowserSuite: ${what} is not started yet`);
    return v;
  };
  return {
    get t() {
      return need(t, 'the app');
    },
    get browser() {
      return need(browser, 'the browser');
    },
    get fake() {
      return need(fake, 'the Twilio-compatible server (twilio: true)');
    },
    pair: (site, o = {}) => pairTablet(need(t, 'the app'), need(browser, 'the browser'), site, { contexts, ...o }),
  };
}
