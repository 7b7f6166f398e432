/**
 * Reports → All campuses in the served staff UI (Chromium): an organisation admin sees each
 * weekend's children by campus (chart and table, the same numbers the API gives); a campus admin
 * has no such tab.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, openStaffPage, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

const open = (token: string, route: string) => openStaffPage(browser, t.baseUrl, token, route, { contexts });
async function checkIn(site: BuiltSite, months: number) {
  const fam = await buildHousehold(t.db, site.siteId, [{ months }]);
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
}

describeBrowser('all campuses report (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  test('an organisation admin reads each campus by weekend and age group; a campus admin has no tab', async () => {
    const north = await buildSite(t.db);
    const south = await buildSite(t.db, { organizationId: north.organizationId });
    const [u] = await t
      .db('users')
      .insert({
        organization_id: north.organizationId,
        site_id: north.siteId,
        email: `oa-${Date.now()}@e2e.test`,
        name: 'Org Admin',
        password_hash: 'x',
        org_admin: true,
      })
      .returning('id');
    for (const m of [24, 24, 48]) await checkIn(north, m);
    await checkIn(south, 24);
    const page = await open(await sessionFor(t.db, u.id), '/reports');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'All campuses' }).click();
    const chart = page.getByRole('region', { name: 'Children per weekend' });
    await chart.getByText('Children per weekend (4)').waitFor();
    const api = await t
      .api()
      .get(`/api/org/reports/attendance?from=2026-06-01&to=2027-05-31`)
      .set(bearer(await sessionFor(t.db, u.id)));
    const weekend = api.body.weekends[0] as string;
    expect(await chart.locator(`[data-weekend="${weekend}"] [data-testid="weekend-total"]`).textContent()).toBe('4');
    const northName = (await t.db('sites').where({ id: north.siteId }).first()).name as string;
    const row = page.locator(`tr[data-row="${weekend}|${northName}"]`);
    const headers = await page.locator('.report-table thead th').allTextContents();
    const cells = await row.locator('td').allTextContents();
    expect(cells[headers.indexOf('Toddlers')]).toBe('2');
    expect(cells[headers.indexOf('Preschool')]).toBe('1');
    expect(cells[headers.indexOf('Total')]).toBe('3');
    await page.screenshot({ path: screenshotPath('rollup-all-campuses'), fullPage: true });

    const campusAdmin = await open(north.tokens.admin, '/reports');
    await campusAdmin.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Volunteers' }).waitFor();
    expect(await campusAdmin.getByRole('link', { name: 'All campuses' }).count()).toBe(0);
  });
});
