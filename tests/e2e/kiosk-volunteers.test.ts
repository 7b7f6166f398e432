/**
 * A volunteer at a check-in kiosk (issue #17) in a real Chromium against the served build: by
 * phone number, refused without a current check, in after staff record one — the name tag on the
 * kiosk's printer (a local TCP stand-in), or from the tablet's print dialog without one — and out.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { fakePrinter, type FakePrinter } from '../support/printer';

jest.setTimeout(90_000);
declare const window: any, document: any;

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
const ROOMS = [
  { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0, sortOrder: 1 },
  { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: 8, volunteers: 0, sortOrder: 2 },
];
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let t: TestApp;
let browser: Browser;
let printer: FakePrinter;
const contexts: BrowserContext[] = [];

describeBrowser('kiosk volunteer check-in (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npx vite build --config kiosk-ui/vite.config.mts');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
    printer = await fakePrinter();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await printer?.close();
    await t?.stop();
  });

  async function pairedTablet(site: BuiltSite, printerHost?: string): Promise<Page> {
    const r = await t
      .api()
      .post('/api/kiosks')
      .set(bearer(site.tokens.admin))
      .send({ name: 'Lobby', siteId: site.siteId, ...(printerHost ? { printerHost } : {}) });
    expect(r.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true });
    contexts.push(context);
    await context.addInitScript(() => {
      window.__prints = 0;
      window.print = () => {
        window.__prints += 1;
      };
    });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }
  const typeOnKeypad = async (page: Page, digits: string) => {
    for (const d of digits) await page.getByRole('button', { name: d, exact: true }).click();
  };
  const volunteersIn = async (site: BuiltSite, name: string) =>
    ((await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as any[]).find((r) => r.name === name).volunteers;
  async function findMe(page: Page, phone: string) {
    await page.getByRole('button', { name: 'I’m volunteering' }).click();
    await page.getByRole('heading', { name: 'Volunteer check-in' }).waitFor();
    await typeOnKeypad(page, phone);
    await page.getByRole('button', { name: 'Find me' }).click();
  }

  test('by phone: refused without a check; after staff record one, in (the tag reaches the printer, no code) and out', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    expect((await t.api().put(`/api/volunteers/${site.userIds.volunteer}/phone`).set(bearer(site.tokens.staff)).send({ phone: '3125550161' })).status).toBe(
      200,
    );
    const page = await pairedTablet(site, printer.address);

    // an unknown number: one plain answer
    await findMe(page, '3125550199');
    await page.getByRole('alert').filter({ hasText: 'We don’t know this number' }).waitFor();
    await page.getByRole('button', { name: 'Back' }).click();

    await findMe(page, '3125550161');
    await page.getByRole('heading', { name: 'Hi, Test volunteer!' }).waitFor();
    await page.getByRole('button', { name: 'Toddlers' }).click();
    await page.getByRole('alert').filter({ hasText: 'You can’t check in to a children’s room yet' }).waitFor();
    // the screen names no one else and no check status
    const text: string = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/@|cleared|expire|Test staff|Test admin/i);
    expect(await volunteersIn(site, 'Toddlers')).toBe(0);
    await page.screenshot({ path: screenshotPath('kiosk-volunteer-refused-1024x768'), animations: 'disabled' });

    // staff record the check; the same tap now checks in and the tag prints on the Zebra
    expect(
      (
        await t
          .api()
          .put(`/api/volunteers/${site.userIds.volunteer}/background-check`)
          .set(bearer(site.tokens.staff))
          .send({ status: 'cleared', expiresOn: inDays(100) })
      ).status,
    ).toBe(200);
    const job = printer.nextJob(10_000);
    await page.getByRole('button', { name: 'Toddlers' }).click();
    await page.getByRole('heading', { name: 'You’re checked in to Toddlers' }).waitFor();
    await page.getByText('Your name tag is printing.').waitFor();
    const zpl = await job;
    expect(zpl).toContain('^FDTest volunteer^FS');
    expect(zpl).toContain('^FDToddlers^FS');
    expect(zpl).not.toMatch(/\^BQ/);
    expect(await volunteersIn(site, 'Toddlers')).toBe(1);
    await page.screenshot({ path: screenshotPath('kiosk-volunteer-in-1024x768'), animations: 'disabled' });
    await page.getByRole('button', { name: 'Done' }).click();

    // later: the same number checks them out
    await findMe(page, '3125550161');
    await page.getByText('You’re checked in to Toddlers.').waitFor();
    await page.getByRole('button', { name: 'Check out of Toddlers' }).click();
    await page.getByRole('heading', { name: 'You’re checked out of Toddlers' }).waitFor();
    expect(await volunteersIn(site, 'Toddlers')).toBe(0);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
  });

  test('a kiosk without a printer prints the name tag from the browser', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    await t
      .db('users')
      .where({ id: site.userIds.volunteer })
      .update({ phone: '+13125550162', background_check_status: 'cleared', background_check_expires_on: inDays(100) });
    const page = await pairedTablet(site);
    await findMe(page, '3125550162');
    await page.getByRole('button', { name: 'Preschool' }).click();
    await page.getByRole('heading', { name: 'You’re checked in to Preschool' }).waitFor();
    const sheet = page.locator('.print-sheet .label-volunteer');
    expect(await sheet.textContent()).toMatch(/^VOLUNTEERTest volunteerPreschool.+Test Service$/);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: screenshotPath('kiosk-volunteer-tag-print'), animations: 'disabled' });
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Print my name tag' }).click();
    expect(await page.evaluate(() => window.__prints)).toBe(1);
    expect(await volunteersIn(site, 'Preschool')).toBe(1);
  });
});
