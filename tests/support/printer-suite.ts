/**
 * The set-up the printer test files repeated (API: tests/api/printers, print-paths; browser:
 * tests/e2e/printers, print-paths). Called at a file's or a describe's top level, each registers its
 * own beforeAll/afterAll: `printerPool` closes every local test printer it made; `printerBrowserSuite`
 * also starts the app serving the built UIs and Chromium, and closes the pages' contexts, the
 * browser and the app after the suite.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startTestApp, type TestApp } from './harness';
import { fakePrinter, type FakePrinter } from './printer';

/** Local test printers made by the tests (`newPrinter`), each closed once the file is done. */
export function printerPool(): { newPrinter(): Promise<FakePrinter> } {
  const printers: FakePrinter[] = [];
  afterAll(async () => {
    for (const p of printers.splice(0)) await p.close();
  });
  return {
    async newPrinter() {
      const p = await fakePrinter();
      printers.push(p);
      return p;
    },
  };
}

type Viewport = { width: number; height: number };

/**
 * A browser suite for printing: the app serving the built UIs (`ui`: the builds the suite opens,
 * checked before it starts), Chromium, and test printers. Every context counts the browser's print
 * dialogs in `window.__prints` instead of opening them. Call inside describeBrowser.
 */
export function printerBrowserSuite(o: { ui: ('kiosk-ui' | 'staff-ui')[]; hasTouch?: boolean }): {
  readonly t: TestApp;
  newPrinter(): Promise<FakePrinter>;
  /** a fresh context (closed after the suite) */
  context(viewport: Viewport): Promise<BrowserContext>;
  /** a staff-app page (/staff<route>) signed in with `token` under `tokenKey` (the display's is kc.display.token) */
  open(token: string, route: string, opts?: { tokenKey?: string; viewport?: Viewport }): Promise<Page>;
} {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pool = printerPool();
  beforeAll(async () => {
    for (const ui of o.ui) if (!fs.existsSync(path.resolve(__dirname, '../..', ui, 'dist/index.html'))) throw new Error(`${ui} is not built: npm run build:ui`);
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await t?.stop();
  });
  const context = async (viewport: Viewport) => {
    if (!browser) throw new Error('printerBrowserSuite: the browser is not started yet');
    const c = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: o.hasTouch ?? false });
    contexts.push(c);
    await c.addInitScript('window.__prints = 0; window.print = () => { window.__prints += 1; };');
    return c;
  };
  return {
    get t() {
      if (!t) throw new Error('printerBrowserSuite: the app is not started yet');
      return t;
    },
    newPrinter: pool.newPrinter,
    context,
    async open(token, route, { tokenKey = 'kc.staff.token', viewport = { width: 1366, height: 768 } } = {}) {
      const c = await context(viewport);
      const [k, v] = [JSON.stringify(tokenKey), JSON.stringify(token)];
      await c.addInitScript(`window.localStorage.setItem(${k}, ${v}); window.sessionStorage.setItem(${k}, ${v});`);
      const page = await c.newPage();
      await page.goto(`${t!.baseUrl}/staff${route}`);
      return page;
    },
  };
}
