/**
 * The family import panel on the Families page (DESIGN §11), in a real Chromium against the served
 * build: an admin opens the panel, a dry run of a Rock export lists the bad rows and writes nothing,
 * the import then writes the good household with its progress bar full. The panel shares its form
 * and job view with the attendance import (staff-ui/src/imports.tsx). Build first: npm run build:ui
 */
import path from 'node:path';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, type BuiltSite } from '../support/factories';

jest.setTimeout(120_000);

describeBrowser('staff UI: family import panel (served build, Chromium)', () => {
  let site: BuiltSite;
  const suite = staffBrowserSuite();
  const { open } = suite;
  beforeAll(async () => {
    site = await buildSite(suite.t.db, { timezone: 'America/Phoenix' });
  });
  const households = async () => Number((await suite.t.db('households').where({ site_id: site.siteId }).count('* as n'))[0]!.n);

  test('dry run lists the bad rows and writes nothing; the import writes the good household', async () => {
    const page = await open(site.tokens.admin, '/families');
    const before = await households();
    await page.getByRole('button', { name: 'Import families from a CSV file' }).click();
    await page.getByLabel('CSV file').setInputFiles(path.join(__dirname, '..', 'fixtures', 'import', 'rock.csv'));
    await page.getByRole('combobox', { name: /^Format/ }).selectOption({ label: 'Rock RMS' });
    await page.getByRole('button', { name: 'Dry run' }).click();
    const summary = page.locator('.import-summary');
    await summary.getByText('would import 1 households, 3 people, 2 rows skipped').waitFor();
    const problems = page.locator('table.import-problems tbody tr');
    expect(await problems.count()).toBe(2);
    await problems.filter({ hasText: 'mobile "+12345678"' }).getByRole('cell', { name: '5', exact: true }).waitFor();
    expect(await households()).toBe(before);
    await page.screenshot({ path: screenshotPath('family-import-dry-run'), fullPage: true });

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await summary.getByText('imported 1 households, 3 people, 2 rows skipped').waitFor();
    expect(await page.locator('progress.import-progress').getAttribute('value')).toBe('100');
    expect(await households()).toBe(before + 1);
  });

  test('a staff member below admin has no import panel', async () => {
    const page = await open(site.tokens.staff, '/families');
    await page.getByRole('link', { name: 'New family' }).waitFor();
    expect(await page.getByRole('button', { name: 'Import families from a CSV file' }).count()).toBe(0);
  });
});
