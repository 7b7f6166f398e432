/**
 * Accessibility (DESIGN §21): axe-core on every main screen, in a real Chromium against the served
 * build — the check-in kiosk (start, the family's children), the pickup kiosk, the staff
 * dashboard, rosters, pickup, families, an admin page and the wall display — with a standing alert
 * on the staff pages (its strip is on every one of them). None may have a violation of impact
 * serious or critical — nor, as they stand now, a moderate or minor one.
 * Build first: npm run build:ui
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, staffBrowserSuite } from '../support/browser';
import { seriousViolations } from '../support/axe';
import { bearer } from '../support/harness';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { newToken, sha256 } from '../../server/src/auth/crypto';

jest.setTimeout(180_000);

describeBrowser('axe-core: no serious or critical violations on the main screens (served build, Chromium)', () => {
  let site: BuiltSite;
  let phone: string;
  const suite = staffBrowserSuite();
  const { open } = suite;
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
  });
  beforeAll(async () => {
    site = await buildSite(suite.t.db, {
      rooms: [
        { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 47, capacity: 2, ratio: null, volunteers: 1 },
        { name: 'K-2', minGrade: 0, maxGrade: 2, capacity: 10, ratio: null, volunteers: 1 },
      ],
    });
    // the Toddlers room fills: an "open a room" alert stands on every staff page
    for (let i = 0; i < 2; i++) {
      const fam = await buildHousehold(suite.t.db, site.siteId, [{ months: 24, allergies: i ? 'Peanuts' : undefined }]);
      const r = await suite.t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      expect(r.status).toBe(201);
    }
    phone = '+13125550177';
    await buildHousehold(
      suite.t.db,
      site.siteId,
      [
        { firstName: 'Ada', grade: 1 },
        { firstName: 'Ben', grade: 2 },
      ],
      { phone, lastName: 'Axe' },
    );
  });

  // serious and critical must be none (the bar); the main screens have no moderate or minor ones either, and keep it so
  const check = async (page: Page, what: string) => {
    expect({ screen: what, violations: await seriousViolations(page, { impacts: ['minor', 'moderate', 'serious', 'critical'] }) }).toEqual({
      screen: what,
      violations: [],
    });
  };

  async function tablet(mode: 'checkin' | 'pickup') {
    const r = await suite.t
      .api()
      .post('/api/kiosks')
      .set(bearer(site.tokens.admin))
      .send({ name: `Axe ${mode} ${key().slice(0, 6)}`, siteId: site.siteId, mode });
    expect(r.status).toBe(201);
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${suite.t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    return page;
  }

  test('check-in kiosk: start and the family’s children', async () => {
    const page = await tablet('checkin');
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await check(page, 'kiosk start');
    for (const d of phone.slice(-4)) await page.getByRole('button', { name: d, exact: true }).click();
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await check(page, 'kiosk children');
  });

  test('pickup kiosk', async () => {
    const page = await tablet('pickup');
    await page.getByRole('heading', { name: 'Pickup' }).waitFor();
    await check(page, 'pickup kiosk');
    await page.getByRole('tab', { name: 'Type code' }).click();
    await check(page, 'pickup kiosk, typing a code');
  });

  test('staff screens with a standing alert: dashboard, rosters, pickup, families, admin', async () => {
    for (const [route, ready] of [
      ['/dashboard', '.alert-item[data-state="active"]'],
      ['/rosters', '.roster-line'],
      ['/pickup', '.pickup'],
      ['/families', 'h1'],
      ['/admin/rooms', '.rooms-admin li'],
    ] as const) {
      const page = await open(site.tokens.admin, route);
      await page.locator(ready).first().waitFor();
      if (route !== '/dashboard') await page.getByTestId('alert-strip').waitFor();
      await check(page, route);
      await page.context().close();
    }
  });

  test('the wall display', async () => {
    const token = newToken('d');
    await suite.t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(token) });
    const context = await suite.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    contexts.push(context);
    await context.addInitScript(
      (tk) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('kc.display.token', tk),
      token,
    );
    const page = await context.newPage();
    await page.goto(`${suite.t.baseUrl}/staff/display`);
    await page.getByTestId('wall').waitFor();
    await page.locator('.alert-item').first().waitFor();
    await check(page, 'wall display');
  });
});
