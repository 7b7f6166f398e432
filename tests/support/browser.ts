/**
 * Browser tests drive Debian's Chromium with playwright-core against the served build. Without
 * Chromium they are skipped with one line saying how to enable them, except under CI=true,
 * where they are required.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

if (!hasChromium && process.env.CI === 'true') {
  throw new Error(`Chromium is required under CI=true but ${CHROMIUM} is missing: apt-get install -y chromium`);
}
let warned = false;
/** `describeBrowser(...)` is `describe` when Chromium is present, else a skip with one clear line. */
export const describeBrowser: jest.Describe = ((name: string, fn: () => void) => {
  if (hasChromium) return describe(name, fn);
  if (!warned) {
    warned = true;
    process.stderr.write(`[tests] browser tests skipped: Chromium not found at ${CHROMIUM} — apt-get install -y chromium to enable them\n`);
  }
  return describe.skip(name, fn);
}) as jest.Describe;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(extraArgs: string[] = [], opts: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true, ...opts });
}

/** Saves a screenshot under tests/artifacts/<name>.png (kept out of git) and returns its path. */
export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

/**
 * A staff page in a fresh context, signed in with `token` (the staff app's session key), at
 * /staff<route>. The context joins `contexts` (closed by the test file); page errors go to
 * `pageErrors` when given.
 */
export async function openStaffPage(
  browser: Browser,
  baseUrl: string,
  token: string,
  route: string,
  o: { contexts: BrowserContext[]; pageErrors?: string[]; viewport?: { width: number; height: number } },
): Promise<Page> {
  const ctx = await browser.newContext({ viewport: o.viewport ?? { width: 1366, height: 900 } });
  o.contexts.push(ctx);
  await ctx.addInitScript(
    (tk) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('kc.staff.token', tk),
    token,
  );
  const page = await ctx.newPage();
  if (o.pageErrors) page.on('pageerror', (e) => o.pageErrors!.push(`${route}: ${e.message}`));
  await page.goto(`${baseUrl}/staff${route}`);
  return page;
}

const STAFF_DIST = path.resolve(__dirname, '../../staff-ui/dist/index.html');

/**
 * The set-up every staff-UI browser suite repeated: called inside describeBrowser, it starts the
 * app serving the built UIs and Chromium before the suite, closes every page context, the browser
 * and the app after it, and fails any test during which a page threw. `open` signs a page in.
 */
/** `env`: extra configuration for the suite's app (e.g. WEBHOOK_ALLOW_PRIVATE for a local receiver). */
export function staffBrowserSuite(opts: { env?: Record<string, string> } = {}): {
  readonly t: TestApp;
  readonly browser: Browser;
  open(token: string, route: string, viewport?: { width: number; height: number }): Promise<Page>;
} {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  beforeAll(async () => {
    if (!fs.existsSync(STAFF_DIST)) throw new Error('staff-ui is not built: npm run build:ui');
    t = await startTestApp({ env: { SERVE_UI: 'true', ...opts.env } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  return {
    get t() {
      if (!t) throw new Error('staffBrowserSuite: the app is not started yet');
      return t;
    },
    get browser() {
      if (!browser) throw new Error('staffBrowserSuite: the browser is not started yet');
      return browser;
    },
    open: (token, route, viewport) => openStaffPage(browser!, t!.baseUrl, token, route, { contexts, pageErrors, viewport }),
  };
}
