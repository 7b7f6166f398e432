/**
 * The staff app through an outage (DESIGN §21), in a real Chromium against the served build: its
 * shell is cached by the service worker, so a page reloaded while the network is gone says it is
 * reconnecting (keeping the sign-in) instead of the browser's error page, and the dashboard comes
 * back by itself. Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite } from '../support/factories';

jest.setTimeout(90_000);

describeBrowser('staff app through an outage (served build, Chromium)', () => {
  const s = staffBrowserSuite();

  test('reloaded with no network: "Reconnecting", still signed in; back online the dashboard returns without a tap', async () => {
    const site = await buildSite(s.t.db);
    const page = await s.open(site.tokens.staff, '/dashboard');
    await page.locator('[data-live-status="live"]').waitFor();
    await page.waitForFunction('navigator.serviceWorker.ready.then((r) => !!r.active && !!navigator.serviceWorker.controller)', null, { timeout: 30_000 });

    await page.context().setOffline(true);
    await page.reload();
    await page.getByText('Can’t reach the server. Reconnecting…').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath('staff-offline-reloaded-1366x900'), animations: 'disabled' });

    await page.context().setOffline(false);
    await page.locator('[data-live-status="live"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toContain('/staff/dashboard');
  });
});
