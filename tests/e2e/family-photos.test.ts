/**
 * The family's photo form on its pickup pass, in a real Chromium (DESIGN §16): the served script
 * runs under the page's CSP (no inline script), shows the form, and a photo chosen in the file
 * input with the consent ticked is uploaded and stored re-encoded under the named guardian.
 */
import sharp from 'sharp';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(120_000);
declare const document: { documentElement: { scrollWidth: number } };

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

describeBrowser('family photos on the pickup pass (Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  test("a parent takes a child's photo on the pass with the consent ticked; it is stored re-encoded", async () => {
    const site = await buildSite(t.db, { name: 'Grace North' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Juno', months: 24 }], { lastName: 'Early' });
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(ci.status).toBe(201);

    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(ctx);
    const phone = await ctx.newPage();
    const csp: string[] = [];
    phone.on('pageerror', (e) => pageErrors.push(e.message));
    phone.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    await phone.goto(`${t.baseUrl}${new URL(ci.body.pickupUrl as string).pathname}`);
    // the script ran (same origin, allowed by script-src 'self'): the section is shown
    await phone.getByRole('heading', { name: 'Photos for pickup' }).waitFor();
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);

    const form = phone.locator(`form[data-action$="/photos/child/${fam.childIds[0]}"]`);
    const jpeg = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 200, g: 150, b: 120 } } })
      .jpeg()
      .toBuffer();
    await form.locator('input[type=file]').setInputFiles({ name: 'juno.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await form.getByRole('checkbox').check();
    await expect(form.locator('select[name=consentBy]').inputValue()).resolves.toBe(fam.guardianId);
    await form.getByRole('button', { name: 'Upload photo', exact: true }).tap();
    await form.getByText('Saved ✓').waitFor();
    await form.getByText('photo on file').waitFor();
    await phone.screenshot({ path: screenshotPath('pass-family-photo-390x844'), fullPage: true });

    const row = await t.db('photos').where({ child_id: fam.childIds[0] }).first();
    expect(row).toMatchObject({ consent_guardian_id: fam.guardianId });
    expect(Math.max(row.width, row.height)).toBeLessThanOrEqual(512);
    expect(csp).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
