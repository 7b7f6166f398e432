/**
 * SMS consent at kiosk registration (issue #31, DESIGN §19), in a real Chromium against the served
 * build: the Register screen asks in plain words, unticked; a parent who leaves it gets no texts,
 * one who ticks it is opted in. Build first: npm run build:ui
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { birthdateForMonths, buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';

jest.setTimeout(90_000);
const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

describeBrowser('kiosk: SMS consent at registration (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npm run build:ui');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  async function pairedTablet(site: BuiltSite): Promise<Page> {
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    contexts.push(context);
    await context.addInitScript(() => {
      (globalThis as any).print = () => {};
    });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }

  async function register(page: Page, last: string, phone: string, consent: boolean) {
    await page.getByRole('button', { name: 'New here? Register your family' }).click();
    await page.getByRole('heading', { name: 'Welcome! First, about you' }).waitFor();
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill(last);
    await page.getByLabel('Mobile number').fill(phone);
    const box = page.getByRole('checkbox', { name: /Yes, text me at this number/ });
    expect(await box.isChecked()).toBe(false); // asked, never assumed
    expect(await page.getByText('Reply STOP at any time to stop.').count()).toBe(1);
    if (consent) await box.check();
    await page.screenshot({ path: screenshotPath(`kiosk-sms-consent-${consent ? 'yes' : 'no'}-1024x768`) });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Now, your children' }).waitFor();
    const c = page.getByRole('group', { name: 'Child 1' });
    await c.getByLabel('First name').fill('Kit');
    await c.getByLabel('Birthdate').fill(birthdateForMonths(26, dateInTimezone(new Date(), 'America/Chicago')));
    await page.getByRole('button', { name: 'Register and check in' }).click();
  }

  test('unticked: no texts; ticked: opted in', async () => {
    const site = await buildSite(t.db);
    for (const [last, phone, consent] of [
      ['Nocontact', '(312) 555-0191', false],
      ['Texting', '(312) 555-0192', true],
    ] as const) {
      const page = await pairedTablet(site);
      await register(page, last, phone, consent);
      await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
      const g = await t.db('guardians').where({ last_name: last }).first();
      expect({ last, optIn: g?.sms_opt_in }).toEqual({ last, optIn: consent });
    }
  });
});
