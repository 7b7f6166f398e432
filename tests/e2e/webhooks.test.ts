/**
 * The Webhooks page (DESIGN §20), in a real Chromium against the served build: an organisation
 * admin subscribes a local receiver to check-ins, sees and copies the secret once, sends a test
 * ping that the receiver verifies, reads the delivery log (a failing receiver shows its retry
 * state), rotates the secret and deletes the endpoint. A campus admin has no tab.
 * Build first: npm run build:ui
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { startWebhooks, type WebhooksRuntime } from '../../server/src/webhooks/webhooks-runtime';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);

describeBrowser('staff UI: webhooks for organisation admins (served build, Chromium)', () => {
  let a: BuiltSite;
  let orgAdmin: string;
  let rx: Receiver;
  let wh: WebhooksRuntime;
  const suite = staffBrowserSuite({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '60000' } });
  const { open } = suite;
  beforeAll(async () => {
    a = await buildSite(suite.t.db, { name: `Main ${key().slice(0, 6)}` });
    const [u] = await suite.t
      .db('users')
      .insert({ site_id: a.siteId, email: `org-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
      .returning('id');
    orgAdmin = await sessionFor(suite.t.db, u.id);
    rx = await startReceiver();
    wh = startWebhooks(suite.t.ctx, { pollMs: 50 });
  });
  afterAll(async () => {
    await wh?.stop();
    await rx?.close();
  });

  test('create, copy the secret once, send a test the receiver verifies, see a failure retried, rotate, delete', async () => {
    const page = await open(orgAdmin, '/admin/kiosks');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.t.baseUrl });
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    const create = page.getByRole('button', { name: 'Create webhook' });
    expect(await create.isDisabled()).toBe(true);

    // a refused target names the field
    await page.getByRole('textbox', { name: /^URL/ }).fill('ftp://example.org/hook');
    await page.getByRole('checkbox', { name: /checkin\.created/ }).check();
    await create.click();
    await page.getByText(/must be an http:\/\/ or https:\/\/ URL/).waitFor();

    await page.getByRole('textbox', { name: /^URL/ }).fill(rx.url);
    await page.getByRole('checkbox', { name: /checkin\.checkedOut/ }).check();
    await create.click();
    const shown = page.getByTestId('webhook-secret');
    await shown.waitFor();
    const secret = (await shown.textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
    ).toBe(secret);
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    await shown.waitFor({ state: 'detached' });

    const row = page.getByTestId('webhook-row').filter({ hasText: rx.url });
    await row.getByText('checkin.created, checkin.checkedOut · Every campus').waitFor();
    await row.getByRole('button', { name: 'Send test' }).click();
    const [ping] = await rx.waitFor(1);
    expect((new Verifier(secret).verify(ping!.body, ping!.headers as Record<string, string>) as { type: string }).type).toBe('webhook.test');
    const log = row.getByTestId('webhook-delivery');
    await log.filter({ hasText: 'delivered' }).first().waitFor();

    // a receiver answering 503: the log shows the failure and when the next attempt is due
    rx.answer(() => ({ status: 503 }));
    await row.getByRole('button', { name: 'Send test' }).click();
    await log.filter({ hasText: 'answered 503' }).first().waitFor();
    await log.filter({ hasText: 'pending' }).first().waitFor();
    await page.screenshot({ path: screenshotPath('webhooks-deliveries'), fullPage: true });

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Rotate secret' }).click();
    await shown.waitFor();
    const fresh = (await shown.textContent())!.trim();
    expect(fresh).not.toBe(secret);
    await page.getByText(/previous secret keeps signing too/).waitFor();
    await page.screenshot({ path: screenshotPath('webhooks-rotated'), fullPage: true });
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(fresh.slice(6));

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No webhooks yet.').waitFor();
  });

  test('a campus admin has no tab and is refused the page', async () => {
    const campusAdmin = await open(a.tokens.admin, '/admin/kiosks');
    await campusAdmin.getByRole('navigation', { name: 'Admin' }).waitFor();
    expect(await campusAdmin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    const refused = await open(a.tokens.admin, '/admin/webhooks');
    await refused.getByTestId('not-allowed').waitFor();
  });
});
