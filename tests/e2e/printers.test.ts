/**
 * Printers that never stop a line (DESIGN §18), in a real Chromium against the served builds: the
 * kiosk's own printer is out of paper, so the labels go to the Welcome Desk printer and the kiosk
 * tells the parent where; the staff dashboard shows the printer alert naming kiosk and printer,
 * live; staff see each printer's health, edit its address and send a test print.
 * Build first: npm run build:ui
 */
import type { Page } from 'playwright-core';
import { describeBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { bearer } from '../support/harness';
import { printerBrowserSuite } from '../support/printer-suite';

jest.setTimeout(90_000);

describeBrowser('printers: failover, alerts and the printers page (served builds, Chromium)', () => {
  const suite = printerBrowserSuite({ ui: ['kiosk-ui', 'staff-ui'], hasTouch: true });
  const { context, open, newPrinter } = suite;

  async function pairedTablet(site: BuiltSite, printerHost: string): Promise<Page> {
    const { t } = suite;
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'North Lobby', siteId: site.siteId, printerHost });
    expect(r.status).toBe(201);
    const page = await (await context({ width: 1024, height: 768 })).newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }

  test('paper out at the kiosk: the labels print at the Welcome Desk printer, the kiosk says so, the dashboard shows the alert', async () => {
    const { t } = suite;
    const site = await buildSite(t.db);
    const own = await newPrinter();
    const desk = await newPrinter();
    await t.db('printers').insert({ site_id: site.siteId, name: 'Welcome Desk printer', address: desk.address, type: 'zebra' });
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Zoë', months: 24 }], { phone: '+13125552468', lastName: 'Zebra' });
    const kiosk = await pairedTablet(site, own.address);
    const dashboard = await open(site.tokens.staff, '/dashboard');
    await dashboard.getByRole('heading', { name: 'Rooms' }).waitFor();

    await own.setState('paper_out');
    const landed = desk.nextJob(10_000);
    for (const d of '2468') await kiosk.getByRole('button', { name: d, exact: true }).click();
    await kiosk.getByRole('button', { name: 'Find my family' }).click();
    await kiosk.getByRole('button', { name: 'Check in 1 child' }).click();
    await kiosk.getByText('Your labels are printing at Welcome Desk printer. Please collect them there.').waitFor();
    const code = await kiosk.locator('.code-value').textContent();
    expect(await landed).toContain(`^FD${code}^FS`);
    expect(own.jobs).toEqual([]);
    expect(await kiosk.evaluate('window.__prints')).toBe(0);
    await kiosk.screenshot({ path: screenshotPath('printers-kiosk-failover-1024x768'), animations: 'disabled' });

    // live on the staff dashboard (and in the strip on every page): printer and kiosk named
    const alert = dashboard.getByText(/North Lobby printer \(kiosk North Lobby\) is out of labels/).first();
    await alert.waitFor();
    await dashboard.screenshot({ path: screenshotPath('printers-dashboard-alert-1366x768'), animations: 'disabled' });

    // the printers page: health, a test print, an address changed after the kiosk was made
    const admin = await open(site.tokens.admin, '/admin/printers');
    const table = admin.getByTestId('label-printer-table');
    await table.getByText('Out of labels').waitFor();
    await admin.screenshot({ path: screenshotPath('printers-admin-1366x768'), animations: 'disabled' });
    const deskRow = table.locator('tr', { hasText: 'Welcome Desk printer' });
    const test = desk.nextJob();
    await deskRow.getByRole('button', { name: 'Test print' }).click();
    await deskRow.getByText('Test label sent').waitFor();
    expect(await test).toContain('TEST PRINT');
    const ownRow = table.locator('tr', { hasText: 'North Lobby printer' });
    await ownRow.getByRole('button', { name: 'Edit' }).click();
    await admin.getByLabel('Address (host:port)').fill('not an address');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin
      .getByText(/host:port/)
      .first()
      .waitFor();
    await admin.getByLabel('Address (host:port)').fill(desk.address);
    await admin.getByRole('button', { name: 'Save' }).click();
    await table.locator('tr', { hasText: 'North Lobby printer' }).getByText(desk.address).waitFor();
  });
});
