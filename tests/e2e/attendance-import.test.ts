/**
 * The attendance history upload (DESIGN §17, issue #28 point 2), in a real Chromium against the
 * served build: an admin chooses the file, runs a dry run (nothing written, the bad rows listed by
 * row and column), then imports with a progress bar; the Import button waits for a dry run of that
 * file. Build first: npm run build:ui
 */
import path from 'node:path';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, type BuiltSite } from '../support/factories';

jest.setTimeout(120_000);

describeBrowser('staff UI: attendance history import (served build, Chromium)', () => {
  let site: BuiltSite;
  const suite = staffBrowserSuite();
  const { open } = suite;
  beforeAll(async () => {
    site = await buildSite(suite.t.db);
  });

  test('dry run lists the bad rows and writes nothing; the import then writes the good rows with progress', async () => {
    const page = await open(site.tokens.admin, '/admin/kiosks');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Attendance history' }).click();
    await page.getByRole('heading', { name: 'Attendance history', level: 2 }).waitFor();
    const siteName = (await suite.t.db('sites').where({ id: site.siteId }).first()).name as string;
    expect(await page.getByRole('combobox', { name: /^Campus/ }).inputValue()).toBe(site.siteId);
    await page
      .getByRole('combobox', { name: /^Campus/ })
      .getByRole('option', { name: siteName })
      .waitFor({ state: 'attached' });
    await page.getByLabel('CSV file').setInputFiles(path.join(__dirname, '..', 'fixtures', 'attendance', 'bad-rows.csv'));
    const importButton = page.getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Dry run' }).click();
    const summary = page.getByTestId('attendance-import-summary');
    await summary.getByText('would import 1 arrivals (0 already imported, 0 matched to a child), 6 rows skipped').waitFor();
    const problems = page.locator('table.import-problems tbody tr');
    expect(await problems.count()).toBe(6);
    await problems.filter({ hasText: 'room "Gymnasium" is not a room of this campus' }).getByRole('cell', { name: '4', exact: true }).waitFor();
    expect(Number((await suite.t.db('attendance_history').where({ site_id: site.siteId }).count('* as n'))[0]!.n)).toBe(0);
    await page.screenshot({ path: screenshotPath('attendance-import-dry-run'), fullPage: true });

    expect(await importButton.isDisabled()).toBe(false);
    await importButton.click();
    await summary.getByText('imported 1 arrivals (0 already imported, 0 matched to a child), 6 rows skipped').waitFor();
    expect(await page.locator('progress.import-progress').getAttribute('value')).toBe('100');
    expect(Number((await suite.t.db('attendance_history').where({ site_id: site.siteId }).count('* as n'))[0]!.n)).toBe(1);
    await page.screenshot({ path: screenshotPath('attendance-import-done'), fullPage: true });
  });
});
