/**
 * A family's data out and away in the staff UI (issue #31, DESIGN §19), in a real Chromium against
 * the served build: an admin exports the family (a JSON download) and erases it with a reason and
 * the family's name typed to confirm; staff see neither button.
 * Build first: npm run build:ui
 */
import type { Page } from 'playwright-core';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';

jest.setTimeout(120_000);

const section = (page: Page, title: string) => page.locator('section').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

describeBrowser('staff UI: export and erase a family (served build, Chromium)', () => {
  const suite = staffBrowserSuite();
  const { open } = suite;

  test('an admin exports, then erases with a reason and the typed name; staff see no such buttons', async () => {
    const site = await buildSite(suite.t.db);
    const fam = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Wren', months: 40, medicalNotes: 'Asthma' }], { lastName: 'Pemberly' });

    const staffPage = await open(site.tokens.staff, `/families/${fam.householdId}`);
    await staffPage.getByRole('heading', { name: 'Pemberly family' }).waitFor();
    expect(await staffPage.getByRole('button', { name: 'Erase family…' }).count()).toBe(0);

    const page = await open(site.tokens.admin, `/families/${fam.householdId}`);
    await page.getByRole('heading', { name: 'Pemberly family' }).waitFor();
    const data = section(page, 'Family data');
    const [download] = await Promise.all([page.waitForEvent('download'), data.getByRole('button', { name: 'Export data' }).click()]);
    expect(download.suggestedFilename()).toBe(`family-${fam.householdId}.json`);

    await data.getByRole('button', { name: 'Erase family…' }).click();
    await data.getByLabel(/Why/).fill('the family asked on 3 March');
    const erase = data.getByRole('button', { name: 'Erase Pemberly family' });
    expect(await erase.isDisabled()).toBe(true); // the name is not typed yet
    await data.getByLabel('Family name to confirm').fill('Pemberly family');
    await page.screenshot({ path: screenshotPath('staff-family-erase-1280') });
    await erase.click();
    await page.getByRole('heading', { name: /^Erased family / }).waitFor();
    const h = await suite.t.db('households').where({ id: fam.householdId }).first();
    expect(h.erased_at).not.toBeNull();
    expect((await suite.t.db('children').where({ household_id: fam.householdId }).first()).medical_notes).toBe('');
    expect(await suite.t.db('audit_log').where({ action: 'household.export', entity_id: fam.householdId })).toHaveLength(1);
  });
});
