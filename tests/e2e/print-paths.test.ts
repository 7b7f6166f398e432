/**
 * #29's print paths in a real Chromium against the served builds: a dead label printer on a day
 * without a service shows on the staff dashboard, in the alert strip of another page and on the
 * wall display; the desk prints a family's key tag from the family page (to a kiosk's printer,
 * captured on the local test printer, and through the browser's print dialog).
 * Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, givePrinter } from '../support/factories';
import { printerBrowserSuite } from '../support/printer-suite';
import { pollPrinters } from '../../server/src/printers/printer-health';
import { newToken, sha256 } from '../../server/src/auth/crypto';

jest.setTimeout(90_000);

describeBrowser('print paths: campus printer alerts and key tags (served builds, Chromium)', () => {
  const suite = printerBrowserSuite({ ui: ['staff-ui'] });
  const { open, newPrinter } = suite;

  test('a printer with its head open on a setup day (no service): dashboard, alert strip and wall show it; it clears when closed', async () => {
    const { t } = suite;
    const site = await buildSite(t.db);
    await t.db('services').where({ site_id: site.siteId }).delete();
    const printer = await newPrinter();
    await givePrinter(t.db, site.kioskId, printer.address, 'Lobby printer');
    const displayToken = newToken('d');
    await t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(displayToken) });

    const dashboard = await open(site.tokens.staff, '/dashboard');
    await dashboard.getByRole('heading', { name: 'No service is open for check-in right now' }).waitFor();
    const families = await open(site.tokens.staff, '/families');
    const wall = await open(displayToken, '/display', { tokenKey: 'kc.display.token', viewport: { width: 1920, height: 1080 } });
    await wall.locator('[data-live-status="live"]').waitFor();
    await wall.locator('[data-alerts="0"]').waitFor();

    await printer.setState('head_open');
    await pollPrinters(t.ctx);
    const message = /Lobby printer \(kiosk .+\) has its head open/;
    await dashboard.getByTestId('campus-alerts').getByText(message).waitFor();
    await families.getByTestId('alert-strip').getByText(message).waitFor();
    await wall.locator('[data-alerts="1"]').waitFor();
    await wall.getByText(message).waitFor();
    await dashboard.screenshot({ path: screenshotPath('printers-campus-alert-dashboard-1366x768'), animations: 'disabled' });
    await wall.screenshot({ path: screenshotPath('printers-campus-alert-wall-1920x1080'), animations: 'disabled' });

    await printer.setState('normal');
    await pollPrinters(t.ctx);
    await wall.locator('[data-alerts="0"]').waitFor();
    await dashboard.getByTestId('campus-alerts').waitFor({ state: 'detached' });
    await families.getByTestId('alert-strip').waitFor({ state: 'detached' });
  });

  test('the desk prints a family’s key tag: to the kiosk’s printer, and through this browser', async () => {
    const { t } = suite;
    const site = await buildSite(t.db);
    const printer = await newPrinter();
    await givePrinter(t.db, site.kioskId, printer.address, 'Desk printer');
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Lovelace' });
    const page = await open(site.tokens.staff, `/families/${fam.householdId}`);
    const panel = page.getByTestId('key-tag-print');
    await panel.waitFor();

    await panel.locator(`option[value="${site.kioskId}"]`).waitFor({ state: 'attached' });
    await panel.getByTestId('key-tag-where').selectOption(site.kioskId);
    const job = printer.nextJob(10_000);
    await panel.getByRole('button', { name: 'Print key tag' }).click();
    await panel
      .getByTestId('key-tag-done')
      .getByText(/sent to Desk printer/)
      .waitFor();
    const zpl = await job;
    expect(zpl).toContain('^FDLovelace family^FS');
    expect(zpl).toContain('^BCN');
    expect(await page.evaluate('window.__prints')).toBe(0);

    await panel.getByTestId('key-tag-where').selectOption('');
    await panel.getByRole('button', { name: 'Print key tag' }).click();
    await panel
      .getByTestId('key-tag-done')
      .getByText(/this browser/)
      .waitFor();
    await page.waitForFunction('window.__prints === 1');
    const sheet = page.getByTestId('key-tag-sheet');
    expect(await sheet.locator('.kcl-keytag').count()).toBe(1);
    expect(await sheet.textContent()).toContain('Lovelace family');
    await page.screenshot({ path: screenshotPath('printers-key-tag-desk-1366x768'), animations: 'disabled' });
  });
});
