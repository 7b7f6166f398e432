/**
 * Campus pages (DESIGN §10, §21), in a real Chromium against the served build: an organisation
 * admin adds a campus as a copy of another (its rooms come along), renames it and sets its time
 * zone from the list of IANA zones; a campus admin has no Campuses tab and is refused the page.
 * Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, key, sessionFor, type BuiltSite } from '../support/factories';

jest.setTimeout(120_000);

describeBrowser('staff UI: campuses for organisation admins (served build, Chromium)', () => {
  let a: BuiltSite;
  let orgAdmin: string;
  const suite = staffBrowserSuite();
  const { open } = suite;
  beforeAll(async () => {
    a = await buildSite(suite.t.db, { timezone: 'America/Chicago' });
    const [u] = await suite.t
      .db('users')
      .insert({ site_id: a.siteId, email: `org-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
      .returning('id');
    orgAdmin = await sessionFor(suite.t.db, u.id);
  });

  test('an organisation admin adds a campus as a copy of another, renames it and sets its time zone', async () => {
    await suite.t
      .db('rooms')
      .insert({ site_id: a.siteId, name: 'Puppet Room', age_group: 'Puppets', default_capacity: 7, min_grade: 0, max_grade: 5, sort_order: 20 });
    const source = await suite.t.db('sites').where({ id: a.siteId }).first();
    const page = await open(orgAdmin, '/admin/kiosks');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Campuses' }).click();
    await page.getByRole('heading', { name: /Campuses/ }).waitFor();
    await page.getByRole('button', { name: 'Add a campus' }).click();
    await page.getByRole('textbox', { name: /^Name/ }).fill('East Campus');
    await page.getByRole('combobox', { name: /^Start from/ }).selectOption({ label: `A copy of ${source.name} (rooms, settings, wording)` });
    expect(await page.getByRole('combobox', { name: /^Time zone/ }).inputValue()).toBe('America/Chicago');
    await page.getByRole('button', { name: 'Add campus' }).click();
    await page.getByRole('status').filter({ hasText: 'East Campus added with' }).waitFor();

    const made = await suite.t.db('sites').where({ organization_id: a.organizationId, name: 'East Campus' }).first();
    expect(made.timezone).toBe('America/Chicago');
    const rooms = async (id: string) => await suite.t.db('rooms').where({ site_id: id, archived: false }).orderBy('name').pluck('name');
    expect(await rooms(made.id)).toEqual(await rooms(a.siteId));
    expect(await rooms(made.id)).toContain('Puppet Room');

    const row = page.locator(`[data-campus-id="${made.id}"]`);
    await row.getByRole('button', { name: 'Edit East Campus' }).click();
    await row.getByRole('textbox', { name: /^Name/ }).fill('Eastside Campus');
    const zones = await row
      .getByRole('combobox', { name: /^Time zone/ })
      .locator('option')
      .allTextContents();
    expect(zones.length).toBeGreaterThan(100);
    await row.getByRole('combobox', { name: /^Time zone/ }).selectOption('America/Los_Angeles');
    await page.screenshot({ path: screenshotPath('campuses-edit'), fullPage: true });
    await row.getByRole('button', { name: 'Save campus' }).click();
    await page.getByRole('status').filter({ hasText: 'Eastside Campus saved.' }).waitFor();
    await row.getByText('America/Los Angeles').waitFor();
    expect(await suite.t.db('sites').where({ id: made.id }).first()).toMatchObject({ name: 'Eastside Campus', timezone: 'America/Los_Angeles' });

    // a bad name is refused next to the form and nothing changes
    await row.getByRole('button', { name: 'Edit Eastside Campus' }).click();
    await row.getByRole('textbox', { name: /^Name/ }).fill('1234');
    await row.getByRole('button', { name: 'Save campus' }).click();
    await row.getByRole('alert').filter({ hasText: 'must contain a letter' }).waitFor();
    expect((await suite.t.db('sites').where({ id: made.id }).first()).name).toBe('Eastside Campus');
  });

  test('a campus admin has no Campuses tab and is refused the page', async () => {
    const page = await open(a.tokens.admin, '/admin/kiosks');
    await page.getByRole('navigation', { name: 'Admin' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Campuses' }).count()).toBe(0);
    const refused = await open(a.tokens.admin, '/admin/campuses');
    await refused.getByTestId('not-allowed').waitFor();
    expect(await refused.getByTestId('not-allowed').textContent()).toContain('organisation admins only');
  });
});
