/**
 * What the staff app's browser tests share (tests/e2e/staff-*.test.ts, split by topic from staff.test.ts):
 * the served build (refreshed first when staff-ui/src is newer than it), the app and Chromium per describe
 * block, a page signed in, the rooms most tests use. Screens are saved under tests/artifacts/staff-*.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser';
import { key, type BuiltSite, type RoomSpec } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const window: any;

export const ROOT = path.resolve(__dirname, '../..');
export const DIST = path.join(ROOT, 'staff-ui/dist/index.html');
export const DESK = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
export const TOKEN_KEY = 'kc.staff.token';

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}
/** Builds the staff UI when it is missing or older than its sources, so the test drives the current code. */
export function ensureBuild() {
  const sources = ['staff-ui/src', 'staff-ui/index.html', 'staff-ui/vite.config.mts', 'contracts'].map((p) => path.join(ROOT, p));
  if (fs.existsSync(DIST) && fs.statSync(DIST).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'staff-ui/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export const ROOMS: RoomSpec[] = [
  { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 },
  { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: 5, volunteers: 2, sortOrder: 2 },
  { name: 'K-2', minGrade: 0, maxGrade: 2, capacity: 12, ratio: 6, volunteers: 2, sortOrder: 3 },
  { name: 'Overflow', kind: 'overflow', minAgeMonths: 12, maxAgeMonths: 71, capacity: 8, ratio: null, volunteers: 0, open: false, sortOrder: 9 },
];

/** The app and browser of the running describe block (set by startStaffBrowser, or by a block starting its own app). */
export let t: TestApp;
export let browser: Browser;
export const contexts: BrowserContext[] = [];
export const pageErrors: string[] = [];

export async function checkIn(site: BuiltSite, householdId: string, childIds: string[]) {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { securityCode: string; pickupUrl: string; checkins: { id: string; childId: string; roomId: string }[]; refused: unknown[] };
}

/** A page signed in by putting the token into sessionStorage (as the login form does). */
export async function open(
  token: string | null,
  route: string,
  opts: {
    viewport?: { width: number; height: number };
    reducedMotion?: 'reduce' | 'no-preference';
    b?: Browser;
    mobile?: boolean;
    base?: string;
    timezoneId?: string;
  } = {},
) {
  const ctx = await (opts.b ?? browser).newContext({
    viewport: opts.viewport ?? DESK,
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    ...(opts.mobile ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(ctx);
  if (token)
    await ctx.addInitScript(
      ([k, v]) => {
        window.sessionStorage.setItem(k, v);
      },
      [TOKEN_KEY, token],
    );
  // counts WebAudio oscillators: the alert beep
  await ctx.addInitScript(() => {
    window.__beeps = 0;
    const orig = window.AudioContext.prototype.createOscillator;
    window.AudioContext.prototype.createOscillator = function (this: unknown) {
      window.__beeps++;
      return orig.call(this);
    };
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${route}: ${e.message}`));
  await page.goto(`${opts.base ?? t.baseUrl}/staff${route}`);
  return page;
}
export const shot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`staff-${name}`) });
export const card = (page: Page, roomId: string) => page.locator(`[data-room-id="${roomId}"]`);

/** Chromium for the running describe block: what open() opens pages in. */
export async function startBrowser(args?: string[]) {
  browser = await launchBrowser(args);
  return browser;
}

/** In a describe block: the served build (rebuilt when stale), the app and Chromium before its tests, closed after; no page may throw. */
export function startStaffBrowser() {
  beforeAll(async () => {
    ensureBuild();
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    await startBrowser(['--autoplay-policy=no-user-gesture-required']);
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });
  afterEach(() => {
    // no uncaught errors in any page
    expect(pageErrors.splice(0)).toEqual([]);
  });
}
