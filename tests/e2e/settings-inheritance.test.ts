/**
 * Organisation defaults in the staff UI (DESIGN §10), in a real Chromium against the served build:
 * a campus's Settings page says per rule whether it is the organisation's default or changed
 * here, and "Use organisation default" puts it back; an organisation admin edits the defaults on
 * the Organisation page and a campus that follows them shows the new value.
 * Build first: npm run build:ui
 */
import type { Page } from 'playwright-core';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, key, sessionFor, type BuiltSite } from '../support/factories';

jest.setTimeout(120_000);

const origin = (page: Page, k: string) => page.locator(`[data-setting="${k}"]`);

describeBrowser('staff UI: organisation defaults and campus overrides (served build, Chromium)', () => {
  let a1: BuiltSite;
  let a2: BuiltSite;
  let orgAdmin: string;
  const suite = staffBrowserSuite();
  const { open } = suite;
  beforeAll(async () => {
    a1 = await buildSite(suite.t.db);
    a2 = await buildSite(suite.t.db, { organizationId: a1.organizationId, settings: { softThresholdPct: 90, smsTemplates: { page: 'A2 page {{child}}' } } });
    const [u] = await suite.t
      .db('users')
      .insert({ site_id: a1.siteId, email: `org-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
      .returning('id');
    orgAdmin = await sessionFor(suite.t.db, u.id);
  });

  test('a campus sees which rules it changed, and puts one back on the organisation default', async () => {
    const page = await open(a2.tokens.admin, '/admin/settings');
    await origin(page, 'softThresholdPct').waitFor();
    expect(await origin(page, 'softThresholdPct').getAttribute('data-origin')).toBe('campus');
    expect(await origin(page, 'softThresholdPct').textContent()).toContain('Changed here');
    expect(await origin(page, 'softThresholdPct').textContent()).toContain('organisation: 80');
    expect(await origin(page, 'smsTemplates.page').getAttribute('data-origin')).toBe('campus');
    expect(await origin(page, 'strategy').textContent()).toContain('Organisation default');
    expect(await page.getByLabel(/Nearly full/).inputValue()).toBe('90');
    // a campus admin has no Organisation tab
    expect(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Organisation' }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('settings-campus-overrides'), fullPage: true });

    await origin(page, 'softThresholdPct').getByRole('button', { name: 'Use organisation default' }).click();
    await page.locator('[data-setting="softThresholdPct"][data-origin="organization"]').waitFor();
    expect(await page.getByLabel(/Nearly full/).inputValue()).toBe('80');
    expect((await suite.t.db('sites').where({ id: a2.siteId }).first()).settings).toEqual({ smsTemplates: { page: 'A2 page {{child}}' } });
  });

  test('an organisation admin changes a default on the Organisation page; a following campus shows it, one that changed it keeps its own', async () => {
    const page = await open(orgAdmin, '/admin/settings');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: /Organisation defaults/ }).waitFor();
    await page.getByLabel(/Nearly full/).fill('55');
    await page.getByLabel(/Page a parent/).fill('ORG page {{child}} {{room}}');
    await page.getByRole('button', { name: 'Save organisation defaults' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const org = await suite.t.db('organizations').where({ id: a1.organizationId }).first();
    expect(org.settings).toEqual(expect.objectContaining({ softThresholdPct: 55, smsTemplates: { page: 'ORG page {{child}} {{room}}' } }));
    await page.screenshot({ path: screenshotPath('settings-organisation-defaults'), fullPage: true });

    const campus = await open(a2.tokens.admin, '/admin/settings');
    await origin(campus, 'softThresholdPct').waitFor();
    expect(await campus.getByLabel(/Nearly full/).inputValue()).toBe('55');
    expect(await origin(campus, 'softThresholdPct').getAttribute('data-origin')).toBe('organization');
    expect(await campus.getByLabel(/Page a parent/).inputValue()).toBe('A2 page {{child}}');
    expect(await origin(campus, 'smsTemplates.page').getAttribute('data-origin')).toBe('campus');
  });
});
