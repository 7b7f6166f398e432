/**
 * An alert ahead (DESIGN §17) in a real Chromium: raised by the forecast's pass before any child
 * has arrived, it reaches the dashboard with its one-tap action ("Open Toddlers B"), which opens
 * the room and clears it. Screen saved under tests/artifacts/forecast-alert.png.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildSite, key, type RoomSpec } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { addDays, instantAt, wallTimeIn } from '../../contracts/rules';
import { evaluateService } from '../../server/src/forecast/forecast-alerts';
import { findServiceContext } from '../../server/src/sites/sites.repo';

jest.setTimeout(120_000);
declare const window: any;

const ROOMS: RoomSpec[] = [
  { name: 'Toddlers A', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 },
  { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 0, sortOrder: 2, open: false },
];

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

describeBrowser('forecast alert ahead (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  test('before the first arrival the dashboard shows "Toddlers will need a 2nd room …" with "Open Toddlers B"; one tap opens it and clears the alert', async () => {
    // check-in is open, nobody has arrived yet
    const site = await buildSite(t.db, { rooms: ROOMS, settings: { forecastLeadMinutes: 60 } });
    const s = await t.db('services').where({ id: site.serviceId }).first();
    const wall = wallTimeIn(s.starts_at, site.timezone);
    const rows = [];
    for (let w = 1; w <= 8; w++) {
      const start = instantAt(addDays(wall.slice(0, 10), -7 * w), wall.slice(11, 16), site.timezone);
      for (let i = 0; i < 16; i++)
        rows.push({
          organization_id: site.organizationId,
          site_id: site.siteId,
          room_id: site.rooms['Toddlers A'],
          checked_in_at: new Date(start.getTime() + (-24 + (24 * i) / 16) * 60_000),
          source: 'generic',
          row_key: key().slice(0, 32),
        });
    }
    await t.db('attendance_history').insert(rows);

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(ctx);
    await ctx.addInitScript(([k, v]) => window.sessionStorage.setItem(k, v), ['kc.staff.token', site.tokens.staff]);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.baseUrl}/staff/dashboard`);
    await page.getByTestId('no-alerts').waitFor();
    await page.locator('[data-live-status="live"]').waitFor();

    // the pass every instance runs (the test calls it instead of waiting for the timer)
    const raised = await t.ctx.tx(async (tx) => evaluateService(tx, (await findServiceContext(tx.trx, site.serviceId))!));
    expect(raised).toBe(1);
    const item = page.locator('.alert-item--forecast_open_room[data-state="active"]');
    await item.waitFor({ timeout: 5000 });
    expect(await item.locator('.alert-msg').textContent()).toMatch(/^Toddlers will need a 2nd room at \d?\d:\d\d — open Toddlers B by \d?\d:\d\d$/);
    const action = item.getByTestId('alert-action');
    expect(await action.textContent()).toBe('Open Toddlers B');
    await page.screenshot({ path: screenshotPath('forecast-alert') });
    await action.click();
    await page.getByTestId('no-alerts').waitFor({ timeout: 5000 });
    expect((await t.db('service_rooms').where({ service_id: site.serviceId, room_id: site.rooms['Toddlers B'] }).first()).open).toBe(true);
    expect(errors).toEqual([]);
  });
});
