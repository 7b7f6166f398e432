/**
 * Admin → Services in the served staff UI (Chromium): an admin adds a weekly service, sees the
 * services it made on the campus's clock, skips a date and takes the skip back.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, openStaffPage, screenshotPath } from '../support/browser';
import { buildSite } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

describeBrowser('weekly services in Admin → Services (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  test('add "Sunday 9:00" every Sunday: its services appear at 09:00 campus time; skip one, then undo', async () => {
    const site = await buildSite(t.db, { timezone: 'America/Chicago' });
    const page = await openStaffPage(browser, t.baseUrl, site.tokens.admin, '/admin/services', { contexts });
    const weekly = page.getByRole('region', { name: 'Weekly services' });
    await weekly.getByRole('button', { name: 'Add a weekly service' }).click();
    await weekly.getByLabel('Name').fill('Sunday 9:00');
    await weekly.getByLabel('Starts at (campus time)').fill('09:00');
    await weekly.getByRole('button', { name: 'Add' }).click();
    const row = weekly.locator('.schedule').filter({ hasText: 'Sunday 9:00' });
    await row.getByText('Sundays 09:00').waitFor();
    const made = await t.db('services').where({ site_id: site.siteId }).whereNotNull('schedule_id').orderBy('starts_at');
    expect(made.length).toBeGreaterThanOrEqual(7);
    await row.getByText(`${made.length} services made`).waitFor();
    // the services list shows them at 09:00 on the campus's clock
    const listed = page.locator('.services-admin > .card-list li').filter({ hasText: 'Sunday 9:00' });
    await listed.first().waitFor();
    expect(await listed.count()).toBe(made.length);
    expect(await listed.first().textContent()).toMatch(/9:00/);

    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date(made[1].starts_at));
    await row.getByLabel('Date to skip of Sunday 9:00').selectOption(day);
    await row.getByRole('button', { name: 'Skip' }).click();
    await row.locator(`[data-skip="${day}"]`).waitFor();
    await row.getByText(`${made.length - 1} services made`).waitFor();
    expect(await listed.count()).toBe(made.length - 1);
    await page.screenshot({ path: screenshotPath('schedules-admin'), fullPage: true });

    await row.locator(`[data-skip="${day}"]`).getByRole('button', { name: 'Undo' }).click();
    await row.getByText(`${made.length} services made`).waitFor();
    expect(await row.locator('[data-skip]').count()).toBe(0);
  });
});
