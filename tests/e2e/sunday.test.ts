/**
 * Sunday operations in a real Chromium (DESIGN §14): alerts reach staff on every page (badge,
 * title, sound — with the one tap a screen nobody touched needs), an alert carries its action and
 * clears when it is taken, the wall display, every screen size, and live numbers that never go
 * backwards. Screens are saved under tests/artifacts/sunday-*.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key, type BuiltSite, type RoomSpec } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(120_000);

declare const window: any, document: any, getComputedStyle: any, requestAnimationFrame: any;

const ROOT = path.resolve(__dirname, '../..');
const TOKEN_KEY = 'kc.staff.token';
function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}
function ensureBuild() {
  const dist = path.join(ROOT, 'staff-ui/dist/index.html');
  const sources = ['staff-ui/src', 'staff-ui/index.html', 'staff-ui/vite.config.mts', 'contracts'].map((p) => path.join(ROOT, p));
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'staff-ui/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

const ROOMS: RoomSpec[] = [
  { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 2, ratio: null, volunteers: 1, sortOrder: 1 },
  { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 6, ratio: null, volunteers: 1, open: false, sortOrder: 2 },
  { name: 'K-2', minGrade: 0, maxGrade: 2, capacity: 12, ratio: 6, volunteers: 2, sortOrder: 3 },
  { name: 'Overflow', kind: 'overflow', minAgeMonths: 12, maxAgeMonths: 71, capacity: 8, ratio: null, volunteers: 0, open: false, sortOrder: 9 },
];

let t: TestApp;
let trusting: Browser; // --autoplay-policy=no-user-gesture-required: a screen the browser lets play
let strict: Browser; // a screen nobody touched: the autoplay policy of a desktop browser (emulated below)
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function checkIn(site: BuiltSite, months = 24, lastName?: string) {
  const fam = await buildHousehold(t.db, site.siteId, [{ months }], lastName ? { lastName } : {});
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { refused: unknown[] };
}

async function open(
  token: string | null,
  route: string,
  opts: { viewport?: { width: number; height: number }; b?: Browser; remember?: boolean; mobile?: boolean; tokenKey?: string } = {},
) {
  const ctx = await (opts.b ?? trusting).newContext({
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    ...(opts.mobile ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(ctx);
  if (token)
    await ctx.addInitScript(
      ([k, v, remember]) => {
        (remember === 'yes' ? window.localStorage : window.sessionStorage).setItem(k, v);
      },
      [opts.tokenKey ?? TOKEN_KEY, token, opts.remember ? 'yes' : 'no'],
    );
  // Headless Chromium lets every AudioContext run whatever the autoplay flag says; a desktop
  // browser keeps one suspended until the page has had a user gesture. That policy, emulated with
  // the browser's own user-activation state, for the screens of the `strict` browser:
  if (opts.b === strict) {
    await ctx.addInitScript(() => {
      const Orig = window.AudioContext;
      window.AudioContext = class extends Orig {
        constructor(...a: unknown[]) {
          super(...a);
          if (!window.navigator.userActivation.hasBeenActive) void this.suspend();
        }
        resume() {
          return window.navigator.userActivation.isActive ? super.resume() : Promise.resolve();
        }
      };
    });
  }
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
  await page.goto(`${t.baseUrl}/staff${route}`);
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(`sunday-${name}`) });
/** Marker instead of a sleep: the fonts are in and two frames were painted, so the layout has settled. */
const painted = (page: Page) =>
  page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))));
const card = (page: Page, roomId: string) => page.locator(`[data-room-id="${roomId}"]`);

describeBrowser('Sunday operations (served build, Chromium)', () => {
  beforeAll(async () => {
    ensureBuild();
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    trusting = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    strict = await launchBrowser(['--autoplay-policy=user-gesture-required']);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await trusting?.close();
    await strict?.close();
    await t?.stop();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test('an alert reaches staff on Rosters: badge, title, beep; the untouched wall screen asks for one tap; the alert offers "Open Toddlers B" and clears when it is taken', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    // staff on the rosters page of a trusted screen
    const rosters = await open(site.tokens.staff, '/rosters');
    await rosters.locator('[data-live-status="live"]').waitFor();
    expect(await rosters.getByTestId('enable-sound').count()).toBe(0);
    expect(await rosters.locator('[data-sound="on"]').count()).toBe(1);
    // the wall TV: remembered sign-in, nobody has touched it — it must not claim "Sound on"
    const tv = await open(site.tokens.staff, '/dashboard', { b: strict, remember: true, viewport: { width: 1920, height: 1080 } });
    await tv.locator('[data-live-status="live"]').waitFor();
    await tv.getByTestId('sound-banner').waitFor();
    expect(await tv.getByText('Sound on').count()).toBe(0);
    await shot(tv, 'tv-enable-sound');
    // a second untouched screen stays so: proves the counter would see a silent screen
    const silent = await open(site.tokens.staff, '/dashboard', { b: strict, remember: true });
    await silent.getByTestId('sound-banner').waitFor();
    await tv.getByTestId('sound-banner').getByRole('button', { name: 'Enable sound' }).click();
    await tv.locator('[data-sound="on"]').waitFor();
    expect(await tv.getByTestId('sound-banner').count()).toBe(0);

    await checkIn(site);
    await checkIn(site); // Toddlers is full
    await rosters.getByTestId('alert-badge').filter({ hasText: '1' }).waitFor({ timeout: 3000 });
    expect(await rosters.title()).toMatch(/^\(1\) ⚠ Alert — Rosters/);
    expect(await rosters.evaluate(() => window.__beeps)).toBeGreaterThanOrEqual(1);
    const strip = rosters.getByTestId('alert-strip');
    expect(await strip.locator('.alert-msg').textContent()).toMatch(/^Open a new Toddlers room/);
    await tv.locator('.alert-item[data-state="active"]').waitFor();
    expect(await tv.evaluate(() => window.__beeps)).toBeGreaterThanOrEqual(1);
    expect(await silent.evaluate(() => window.__beeps)).toBe(0);
    await shot(rosters, 'rosters-alert');

    // the action in place, on the rosters page
    const action = strip.getByTestId('alert-action');
    expect(await action.textContent()).toBe('Open Toddlers B');
    await action.click();
    await strip.waitFor({ state: 'detached', timeout: 3000 });
    expect(await rosters.getByTestId('alert-badge').count()).toBe(0);
    expect(await rosters.title()).toBe('Rosters — Kids’ Club');
    expect((await t.db('service_rooms').where({ service_id: site.serviceId, room_id: site.rooms['Toddlers B'] }).first()).open).toBe(true);
    await tv.getByTestId('no-alerts').waitFor();
    await tv.waitForFunction((id) => document.querySelector(`[data-room-id="${id}"]`)?.getAttribute('data-status') !== 'closed', site.rooms['Toddlers B']);
  });

  test('with no closed room of the group the action is "Open overflow"; a family turned away is named; opening the overflow room clears both alerts', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS.filter((r) => r.name !== 'Toddlers B') });
    const dash = await open(site.tokens.staff, '/dashboard');
    await dash.getByTestId('no-alerts').waitFor();
    await dash.locator('[data-live-status="live"]').waitFor();
    await checkIn(site);
    await checkIn(site);
    expect((await checkIn(site, 24, 'Quill')).refused).toHaveLength(1);
    const items = dash.locator('.alert-item[data-state="active"]');
    await dash.waitForFunction(() => document.querySelectorAll('.alert-item[data-state="active"]').length === 2);
    const texts = await items.locator('.alert-msg').allTextContents();
    expect(texts).toEqual(expect.arrayContaining(['A child of the Quill family was turned away: every Toddlers room is full — open a new room']));
    expect(await items.getByTestId('alert-action').allTextContents()).toEqual(['Open overflow', 'Open overflow']);
    await shot(dash, 'dashboard-alert-actions');
    await items.first().getByTestId('alert-action').click();
    await dash.getByTestId('no-alerts').waitFor({ timeout: 3000 });
    expect(await card(dash, site.rooms.Overflow!).getAttribute('data-status')).toBe('open');
  });

  test('the wall display (1920 × 1080 and 3840 × 2160): paired with a code, alerts and headcounts ≥ 28 px, read-only, live', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    // the admin creates the display and reads the code
    const admin = await open(site.tokens.admin, '/admin/displays');
    await admin.getByPlaceholder('e.g. Lobby TV').fill('Lobby TV');
    await admin.getByRole('button', { name: 'Create and show code' }).click();
    const code = (await admin.getByTestId('display-pairing-code').textContent())!.trim();
    // the TV pairs once; the token stays (localStorage) and reads nothing else
    const tv = await open(null, '/display', { viewport: { width: 1920, height: 1080 } });
    await tv.getByLabel('Pairing code').fill(code);
    await tv.getByRole('button', { name: 'Pair' }).click();
    await tv.getByTestId('wall').waitFor();
    await tv.locator('[data-live-status="live"]').waitFor();
    const token = await tv.evaluate(() => window.localStorage.getItem('kc.display.token'));
    expect(token).toMatch(/^d_/);
    expect((await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(token))).status).toBe(403);
    expect((await t.api().get('/api/households/search?q=Fam').set(bearer(token))).status).toBe(403);

    await checkIn(site);
    await checkIn(site);
    await checkIn(site, 24, 'Quill'); // turned away
    await tv.waitForFunction(() => document.querySelectorAll('.wall-alerts .alert-item').length === 2, undefined, { timeout: 3000 });
    await tv.waitForFunction((id) => document.querySelector(`[data-room-id="${id}"] [data-testid="headcount"]`)?.textContent === '2', site.rooms.Toddlers);
    expect(await tv.content()).not.toContain('Quill');
    expect(await tv.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0); // read-only
    expect(await tv.getByTestId('alert-action').count()).toBe(0);
    const px = (sel: string) =>
      tv
        .locator(sel)
        .first()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    for (const sel of ['.wall-alerts .alert-msg', '.wall-count', '.wall-room h2', '.wall .status-chip'])
      expect({ sel, px: await px(sel) }).toEqual({ sel, px: expect.any(Number) });
    expect(await px('.wall-alerts .alert-msg')).toBeGreaterThanOrEqual(28);
    expect(await px('.wall-count')).toBeGreaterThanOrEqual(28);
    expect(await px('.wall .status-chip')).toBeGreaterThanOrEqual(28);
    expect(await tv.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);
    await painted(tv);
    await shot(tv, 'display-1080p');
    await tv.setViewportSize({ width: 3840, height: 2160 });
    // the wall's type grows with the screen: waited on, not slept for
    await tv.waitForFunction(() => parseFloat(getComputedStyle(document.querySelector('.wall-alerts .alert-msg')).fontSize) >= 56);
    await painted(tv);
    expect(await px('.wall-alerts .alert-msg')).toBeGreaterThanOrEqual(56);
    await shot(tv, 'display-4k');
  });

  test('every screen size: all nav items visible and clickable at 1024 px, reachable by the menu at 390 px; four alerts leave the rooms on screen; 44 px pickup targets', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const ipad = await open(site.tokens.admin, '/dashboard', { viewport: { width: 1024, height: 768 } });
    await ipad.locator('[data-live-status="live"]').waitFor();
    const nav = ipad.getByRole('navigation', { name: 'Main' });
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels).toEqual(['Dashboard', 'Pickup', 'Rosters', 'Desk', 'Families', 'Reports', 'Broadcast', 'Emergency', 'Admin']);
    for (const label of labels) {
      const link = nav.getByRole('link', { name: label, exact: true });
      // visible and not under anything: the element at its centre is the link
      const hit = await link.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.right <= window.innerWidth && (at === el || el.contains(at));
      });
      expect({ label, hit }).toEqual({ label, hit: true });
    }
    await nav.getByRole('link', { name: 'Admin', exact: true }).click();
    await ipad.waitForURL(/\/staff\/admin\/kiosks$/);
    await ipad.goto(`${t.baseUrl}/staff/dashboard`);
    // four standing alerts
    const rows = ['Toddlers', 'K-2', 'Preschool', 'Nursery'].map((g, i) => ({
      site_id: site.siteId,
      service_id: site.serviceId,
      kind: 'open_room',
      age_group: g,
      message: `Open a new ${g} room — every ${g} room is nearly full (${i})`,
    }));
    await t.db('alerts').insert(rows);
    await ipad.reload();
    await ipad.waitForFunction(() => document.querySelectorAll('.alert-item[data-state="active"]').length === 4);
    const firstRoom = await ipad.locator('.room-card').first().boundingBox();
    expect(firstRoom!.y + 60).toBeLessThan(768);
    await shot(ipad, 'ipad-four-alerts');

    const phone = await open(site.tokens.admin, '/dashboard', { viewport: { width: 390, height: 844 }, mobile: true });
    await phone.getByRole('button', { name: 'Menu' }).click();
    const phoneNav = phone.getByRole('navigation', { name: 'Main' });
    for (const label of ['Dashboard', 'Pickup', 'Rosters', 'Families', 'Reports', 'Admin'])
      expect(await phoneNav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(true);
    await shot(phone, 'phone-menu');
    await phoneNav.getByRole('link', { name: 'Pickup', exact: true }).click();
    await phone.getByRole('tab', { name: 'Type code' }).click();
    const small = await phone
      .locator('.pickup button:visible, .pickup input:visible, .pickup a:visible')
      .evaluateAll((els) =>
        els.map((el) => ({ t: el.textContent || el.getAttribute('aria-label') || el.tagName, h: el.getBoundingClientRect().height })).filter((x) => x.h < 44),
      );
    expect(small).toEqual([]);
    await shot(phone, 'pickup-targets');
  });

  test('a delayed PATCH answer arriving after a newer room.updated leaves the newer number', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const dash = await open(site.tokens.staff, '/dashboard');
    const toddlers = card(dash, site.rooms.Toddlers!);
    await toddlers.getByTestId('volunteers').filter({ hasText: '1' }).waitFor();
    await dash.locator('[data-live-status="live"]').waitFor();
    // hold the PATCH answer until a newer change (a second PATCH from elsewhere) has been pushed
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await dash.route('**/api/services/*/rooms/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await toddlers.getByRole('button', { name: 'Correct the volunteers present in Toddlers' }).click();
    await toddlers.getByLabel('Volunteers present in Toddlers', { exact: true }).fill('2');
    await toddlers.getByLabel('Why', { exact: true }).fill('one more helper');
    await toddlers.getByRole('button', { name: 'Save', exact: true }).click(); // → 2, answer held
    await toddlers.getByTestId('volunteers').filter({ hasText: '2' }).waitFor(); // the event of that change
    const other = await t
      .api()
      .patch(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`)
      .set(bearer(site.tokens.admin))
      .send({ volunteers: 5, reason: 'counted in the room' });
    expect(other.status).toBe(200);
    await toddlers.getByTestId('volunteers').filter({ hasText: '5' }).waitFor();
    release(); // the stale answer (2) arrives now
    // the dashboard has taken the answer in once the correction form closes (it closes after the answer)
    await toddlers.locator('form.correct-volunteers').waitFor({ state: 'detached' });
    await painted(dash);
    expect(await toddlers.getByTestId('volunteers').textContent()).toBe('5');
  });
  test('the first tap on an untouched screen lands on what was tapped: the "tap to enable sound" banner leaves after the tap, not under the finger', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const tv = await open(site.tokens.staff, '/dashboard', { b: strict, remember: true });
    await tv.getByTestId('sound-banner').waitFor();
    const toddlers = card(tv, site.rooms.Toddlers!);
    await toddlers.getByTestId('volunteers').filter({ hasText: '1' }).waitFor();
    const more = toddlers.getByRole('button', { name: 'Correct the volunteers present in Toddlers' });
    const box = (await more.boundingBox())!;
    // a finger that rests a moment: the banner (and so the page) must not move while it is down
    await tv.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await tv.mouse.down();
    // the finger is down while the page handles pointerdown and paints what it changes
    await painted(tv);
    expect(await tv.getByTestId('sound-banner').count()).toBe(1);
    expect((await more.boundingBox())!.y).toBe(box.y);
    await tv.mouse.up();
    // the tap landed: the correction form opened
    await toddlers.getByLabel('Volunteers present in Toddlers', { exact: true }).waitFor({ timeout: 5000 });
    await tv.locator('[data-sound="on"]').waitFor();
    expect(await tv.getByTestId('sound-banner').count()).toBe(0);
  });
});
