/**
 * A real Sunday on every screen (DESIGN §21, #30): the staff dashboard, rosters, pickup, families,
 * an admin page, the wall display, the check-in kiosk and the pickup kiosk at 390, 768, 1024, 1366
 * and 1920 px wide, with six rooms and seven standing alerts. On each: no horizontal overflow,
 * every room and every alert reachable (scrolled to, it lies inside the screen and nothing covers
 * it — or the alert is counted in a "+N more" that leads to it), on a phone the banners and the
 * alert strip take one line each, and every count of alerts agrees. The wall display at 1080p shows
 * every room card whole and "+N more" for the alerts that do not fit. Screens are saved under
 * tests/artifacts/every-size-<screen>-<width>.png — look at them.
 * Build first: npm run build:ui
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { bearer } from '../support/harness';
import { addService, buildHousehold, buildSite, key, type BuiltSite, type RoomSpec } from '../support/factories';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { seriousViolations } from '../support/axe';

jest.setTimeout(600_000);

const WIDTHS = [390, 768, 1024, 1366, 1920] as const;
const HEIGHT: Record<(typeof WIDTHS)[number], number> = { 390: 844, 768: 1024, 1024: 768, 1366: 768, 1920: 1080 };

const ROOMS: RoomSpec[] = [
  { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 11, capacity: 1, ratio: null, volunteers: 2, sortOrder: 1 },
  { name: 'Waddlers', minAgeMonths: 12, maxAgeMonths: 23, capacity: 1, ratio: null, volunteers: 2, sortOrder: 2 },
  { name: 'Toddlers', minAgeMonths: 24, maxAgeMonths: 35, capacity: 1, ratio: null, volunteers: 2, sortOrder: 3 },
  { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 1, ratio: null, volunteers: 2, sortOrder: 4 },
  { name: 'Kindergarten and First Grade', minGrade: 0, maxGrade: 1, capacity: 1, ratio: null, volunteers: 2, sortOrder: 5 },
  { name: 'Grades 2 to 5', minGrade: 2, maxGrade: 5, capacity: 1, ratio: null, volunteers: 2, sortOrder: 6 },
];
const AGES: { months?: number; grade?: number }[] = [{ months: 6 }, { months: 18 }, { months: 30 }, { months: 50 }, { grade: 1 }, { grade: 4 }];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
// the measuring runs in the page (the test's tsconfig has no DOM library)
interface El {
  getBoundingClientRect(): Box;
  scrollIntoView(o: unknown): void;
  contains(o: unknown): boolean;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  closest(s: string): El | null;
}
declare const document: {
  querySelectorAll(s: string): Iterable<El>;
  elementFromPoint(x: number, y: number): El | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const window: { innerWidth: number; innerHeight: number };

/** How far the page is wider than the screen (0: not at all), with the outermost elements that stick out when it is. */
const overflowX = async (page: Page) => {
  const r = await page.evaluate(() => {
    const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (over <= 0) return { over, what: [] as string[] };
    const what = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const out = (x: El) => x.getBoundingClientRect().x + x.getBoundingClientRect().width > window.innerWidth + 0.5;
        return out(e) && !out((e as unknown as { parentElement: El }).parentElement);
      })
      .slice(0, 5)
      .map((e) => `${(e as unknown as { tagName: string }).tagName}.${(e as unknown as { className: string }).className}`);
    return { over, what };
  });
  return r.over > 0 ? `${r.over}px: ${r.what.join(', ')}` : 0;
};

/**
 * Each element of `sel`, scrolled into view, lies inside the screen and is the one found at its
 * own centre (nothing over it, not clipped away): the names of those that are not.
 */
async function unreachable(page: Page, sel: string): Promise<string[]> {
  const n = await page.locator(sel).count();
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const bad = await page
      .locator(sel)
      .nth(i)
      .evaluate((el: unknown) => {
        const e = el as El;
        e.scrollIntoView({ block: 'center', inline: 'center' });
        const b = e.getBoundingClientRect();
        const cx = b.x + Math.min(b.width / 2, 20);
        const cy = b.y + Math.min(b.height / 2, 12);
        const inside = b.width > 0 && b.height > 0 && b.x >= -0.5 && b.x + b.width <= window.innerWidth + 0.5 && b.y >= -0.5 && b.y < window.innerHeight;
        const hit = document.elementFromPoint(cx, cy);
        const uncovered = !!hit && (e.contains(hit) || hit.contains(e));
        return inside && uncovered
          ? null
          : `${(e.textContent ?? '').trim().slice(0, 40)} (${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)})`;
      });
    if (bad) out.push(bad);
  }
  return out;
}
/** Elements of `sel` whose text is cut (wider than their box). */
const cutText = (page: Page, sel: string) =>
  page.evaluate((s) => [...document.querySelectorAll(s)].filter((e) => e.scrollWidth > e.clientWidth + 0.5).map((e) => (e.textContent ?? '').trim()), sel);
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describeBrowser('every screen at 390, 768, 1024, 1366 and 1920 px (served build, Chromium)', () => {
  let site: BuiltSite;
  let total = 0; // standing alerts of today's services
  let displayToken: string;
  let phone: string;
  const suite = staffBrowserSuite();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
  });
  const shot = (page: Page, name: string, width: number) => page.screenshot({ path: screenshotPath(`every-size-${name}-${width}`) });

  beforeAll(async () => {
    site = await buildSite(suite.t.db, { rooms: ROOMS });
    // a second service today, its Nursery full too: its alert counts on the badge and on the dashboard alike
    const second = await addService(suite.t.db, site, { name: 'Late Service' });
    // every room full: an "open a room" alert for each of the six age groups
    for (const [i, age] of AGES.entries()) {
      const fam = await buildHousehold(suite.t.db, site.siteId, [{ ...age, firstName: `Kid${i}`, allergies: i === 0 ? 'Peanuts' : undefined }], {
        lastName: `Sunday${i}`,
      });
      const r = await suite.t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      expect(r.status).toBe(201);
      expect(r.body.refused).toEqual([]);
      if (i === 0) phone = fam.phone;
    }
    const late = await buildHousehold(suite.t.db, site.siteId, [{ months: 6 }], { lastName: 'Late' });
    const r = await suite.t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: second, householdId: late.householdId, childIds: late.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    total = Number((await suite.t.db('alerts').where({ site_id: site.siteId }).whereNull('cleared_at').count('* as n'))[0]!.n);
    expect(total).toBeGreaterThanOrEqual(7);
    displayToken = newToken('d');
    await suite.t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(displayToken) });
  });

  for (const width of WIDTHS) {
    const viewport = { width, height: HEIGHT[width] };

    test(`${width} px: dashboard — every room and alert reachable, counts agree, totals whole`, async () => {
      const page = await suite.open(site.tokens.admin, '/dashboard', viewport);
      await page.locator('[data-room-id]').nth(5).waitFor();
      await page
        .locator('.alerts-panel .alert-item')
        .nth(total - 1)
        .waitFor();
      await shot(page, 'dashboard', width);
      expect(await overflowX(page)).toBe(0);
      await expect(page.getByTestId('alert-badge').textContent()).resolves.toBe(String(total));
      await expect(page.getByTestId('alert-count').textContent()).resolves.toBe(String(total));
      expect(await unreachable(page, '[data-room-id]')).toEqual([]);
      expect(await unreachable(page, '.alerts-panel .alert-item')).toEqual([]);
      expect(await cutText(page, '.totals dt, .totals dd')).toEqual([]);
      // the phone's and the TV's layouts are checked by axe-core too (the iPad's in axe.test.ts)
      if (width === 390 || width === 1920) expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    });

    test(`${width} px: rosters — every room chip reachable, rows inside the screen, the headcount clear of the chips`, async () => {
      const page = await suite.open(site.tokens.staff, `/rosters/${site.rooms.Nursery}`, viewport);
      await page.locator('.roster-line').first().waitFor();
      await page.getByTestId('alert-strip').waitFor();
      await shot(page, 'rosters', width);
      expect(await overflowX(page)).toBe(0);
      expect(await page.locator('.room-tabs a').count()).toBe(ROOMS.length + 1);
      expect(await unreachable(page, '.room-tabs a')).toEqual([]);
      expect(await unreachable(page, '.roster-line button')).toEqual([]);
      const summary = (await page.getByTestId('room-summary').boundingBox()) as Box;
      for (let i = 0; i < ROOMS.length + 1; i++) {
        const chip = (await page.locator('.room-tabs a').nth(i).boundingBox()) as Box;
        expect(overlaps(summary, chip)).toBe(false);
      }
      await page.context().close();
    });

    test(`${width} px: the alert strip on other pages — one line, "+N more" counts the rest and lies clear of the alert`, async () => {
      for (const route of ['/pickup', '/families', '/admin/rooms']) {
        const page = await suite.open(site.tokens.admin, route, viewport);
        await page.getByTestId('alert-strip').waitFor();
        await page.locator('h1').first().waitFor();
        await shot(page, route.slice(1).replace('/', '-'), width);
        expect({ route, overflow: await overflowX(page) }).toEqual({ route, overflow: 0 });
        const more = page.locator('.alert-strip-more');
        await expect(more.textContent()).resolves.toContain(`+${total - 1}`);
        const moreBox = (await more.boundingBox()) as Box;
        const msg = (await page.locator('.alert-strip .alert-msg').boundingBox()) as Box;
        expect(overlaps(moreBox, msg)).toBe(false);
        // banners and strip together: at most a fifth of a phone's screen
        const strip = (await page.getByTestId('alert-strip').boundingBox()) as Box;
        if (width === 390) expect(strip.height).toBeLessThanOrEqual(viewport.height * 0.2);
        expect(await unreachable(page, '.alert-strip-more')).toEqual([]);
        if (width === 390) expect({ route, axe: await seriousViolations(page) }).toEqual({ route, axe: [] });
        // every menu reachable: in the top bar, or behind Menu on a phone; the admin's tabs too
        if (await page.locator('.menu-toggle').isVisible()) await page.locator('.menu-toggle').click();
        expect(await unreachable(page, '#main-nav .nav-link')).toEqual([]);
        if (route.startsWith('/admin')) {
          if (await page.locator('.menu-toggle').isVisible()) await page.locator('.menu-toggle').click();
          expect(await unreachable(page, '.sub-tabs a')).toEqual([]);
        }
        await page.context().close();
      }
    });

    test(`${width} px: the wall display — every room card whole on one screen, the alerts that do not fit counted`, async () => {
      const context = await suite.browser.newContext({ viewport });
      contexts.push(context);
      await context.addInitScript(
        (tk) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('kc.display.token', tk),
        displayToken,
      );
      const page = await context.newPage();
      await page.goto(`${suite.t.baseUrl}/staff/display`);
      await page.getByTestId('wall').waitFor();
      await page.locator('.wall-room').nth(5).waitFor();
      await page.locator('.wall .alert-item').first().waitFor();
      // data-alerts is set once every service's alert list has loaded
      await page.locator('.wall[data-alerts]').waitFor();
      // the badge's count: every standing alert of today's services
      expect(Number(await page.locator('.wall').getAttribute('data-alerts'))).toBe(total);
      await shot(page, 'wall', width);
      expect(await overflowX(page)).toBe(0);
      // a TV is read, not scrolled: every room card and every alert shown lies whole on the screen
      const inScreen = await page.evaluate(() =>
        [...document.querySelectorAll('.wall-room, .wall .alert-item:not([data-hidden]), .wall-alerts-more')].every((e) => {
          const b = e.getBoundingClientRect();
          return b.x >= 0 && b.y >= 0 && b.x + b.width <= window.innerWidth + 0.5 && b.y + b.height <= window.innerHeight + 0.5;
        }),
      );
      if (width >= 1024) expect(inScreen).toBe(true);
      const shown = await page.locator('.wall .alert-item:not([data-hidden])').count();
      const mine = Number(await page.locator('.wall').getAttribute('data-alerts'));
      if (shown < mine) await expect(page.getByTestId('wall-alerts-more').textContent()).resolves.toContain(`+${mine - shown}`);
      else expect(await page.getByTestId('wall-alerts-more').count()).toBe(0);
      expect(await page.locator('.wall-room').count()).toBe(ROOMS.length);
      if (width === 1920) expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });

    test(`${width} px: the check-in kiosk and the pickup kiosk fit the screen`, async () => {
      for (const mode of ['checkin', 'pickup'] as const) {
        const r = await suite.t
          .api()
          .post('/api/kiosks')
          .set(bearer(site.tokens.admin))
          .send({ name: `Size ${mode} ${width} ${key().slice(0, 4)}`, siteId: site.siteId, mode });
        expect(r.status).toBe(201);
        const context = await suite.browser.newContext({ viewport, hasTouch: true });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${suite.t.baseUrl}/kiosk/`);
        await page.getByLabel('Pairing code').fill(r.body.pairingCode);
        await page.getByRole('button', { name: 'Pair this kiosk' }).click();
        if (mode === 'checkin') {
          await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
          await shot(page, 'kiosk-start', width);
          expect(await overflowX(page)).toBe(0);
          for (const d of phone.slice(-4)) await page.getByRole('button', { name: d, exact: true }).click();
          await page.getByRole('button', { name: 'Find my family' }).click();
          await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
          await shot(page, 'kiosk-children', width);
        } else {
          await page.getByRole('heading', { name: 'Pickup' }).waitFor();
          await shot(page, 'pickup-kiosk', width);
        }
        expect({ mode, overflow: await overflowX(page) }).toEqual({ mode, overflow: 0 });
        expect(await unreachable(page, 'button')).toEqual([]);
        await context.close();
      }
    });
  }
});
