/**
 * The API keys page (DESIGN §20), in a real Chromium against the served build: an organisation
 * admin creates a key with two scopes for one campus, sees and copies its secret once, the key
 * works against the API, the list shows it without the secret, and revoking it stops it at once.
 * A campus admin has no tab and is refused the page. Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer } from '../support/harness';

jest.setTimeout(120_000);

describeBrowser('staff UI: API keys for organisation admins (served build, Chromium)', () => {
  let a: BuiltSite;
  let a2: BuiltSite;
  let orgAdmin: string;
  const suite = staffBrowserSuite();
  const { open } = suite;
  beforeAll(async () => {
    a = await buildSite(suite.t.db, { name: `Main ${key().slice(0, 6)}` });
    a2 = await buildSite(suite.t.db, { organizationId: a.organizationId, name: `North ${key().slice(0, 6)}` });
    const [u] = await suite.t
      .db('users')
      .insert({ site_id: a.siteId, email: `org-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
      .returning('id');
    orgAdmin = await sessionFor(suite.t.db, u.id);
  });

  test('create a campus-limited key, copy its secret once, use it, revoke it', async () => {
    const page = await open(orgAdmin, '/admin/kiosks');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.t.baseUrl });
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('No API keys yet.').waitFor();
    const create = page.getByRole('button', { name: 'Create key' });
    expect(await create.isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: /^Name/ }).fill('Security desk');
    await page.getByRole('checkbox', { name: /checkins:read/ }).check();
    await page.getByRole('checkbox', { name: /families:read/ }).check();
    const north = (await suite.t.db('sites').where({ id: a2.siteId }).first()).name as string;
    await page.getByRole('combobox', { name: /^Campus/ }).selectOption({ label: `Only ${north}` });
    await create.click();

    const shown = page.getByTestId('api-key-secret');
    await shown.waitFor();
    const secret = (await shown.textContent())!.trim();
    expect(secret).toMatch(/^kc_live_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
    ).toBe(secret);
    const row = page.getByTestId('api-key-row').filter({ hasText: 'Security desk' });
    await row.getByText(`checkins:read, families:read · ${north}`).waitFor();
    await page.screenshot({ path: screenshotPath('api-keys-created'), fullPage: true });

    // the key works, at its campus only
    const stored = await suite.t.db('api_keys').where({ organization_id: a.organizationId, name: 'Security desk' }).first();
    expect(stored).toMatchObject({ site_id: a2.siteId, scopes: ['checkins:read', 'families:read'] });
    const today = await suite.t.api().get('/api/services/today').set(bearer(secret));
    expect(today.status).toBe(200);
    expect(JSON.stringify(today.body)).toContain(a2.serviceId);
    expect((await suite.t.api().get(`/api/services/${a.serviceId}/rooms`).set(bearer(secret))).status).toBe(404);

    // hidden, the secret is gone from the page for good; the list never had it
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret.slice(12));
    // two requests: the campus's services and the refused other campus's rooms
    await row.getByText(/used 2 times/).waitFor();

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/Revoked/).waitFor();
    await page.screenshot({ path: screenshotPath('api-keys-revoked'), fullPage: true });
    expect((await suite.t.api().get('/api/services/today').set(bearer(secret))).status).toBe(401);
  });

  test('no key without a name and a scope; a campus admin has no tab and is refused the page', async () => {
    const page = await open(orgAdmin, '/admin/api-keys');
    await page.getByRole('textbox', { name: /^Name/ }).fill('   ');
    await page.getByRole('checkbox', { name: /reports:read/ }).check();
    expect(await page.getByRole('button', { name: 'Create key' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: /^Name/ }).fill('Signage');
    await page.getByRole('checkbox', { name: /reports:read/ }).uncheck();
    expect(await page.getByRole('button', { name: 'Create key' }).isDisabled()).toBe(true);

    const campusAdmin = await open(a.tokens.admin, '/admin/kiosks');
    await campusAdmin.getByRole('navigation', { name: 'Admin' }).waitFor();
    expect(await campusAdmin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API keys' }).count()).toBe(0);
    const refused = await open(a.tokens.admin, '/admin/api-keys');
    await refused.getByTestId('not-allowed').waitFor();
  });
});
