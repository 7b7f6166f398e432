/**
 * Express check-in at a kiosk (issue #16, DESIGN §12) in a real Chromium against the served build:
 * a family's key-tag code, shown to the camera (Chromium's fake camera playing a Y4M of the QR)
 * or typed by a keyboard-wedge scanner (fast keystrokes ending in Enter), goes straight to
 * "Who is here today?". Build first: npx vite build --config kiosk-ui/vite.config.mts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { fakeCamera, y4m } from '../support/camera';

jest.setTimeout(90_000);

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
const ROOMS = [{ name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: 8, volunteers: 2, sortOrder: 1 }];

let t: TestApp;
const browsers: Browser[] = [];

describeBrowser('kiosk express check-in (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npx vite build --config kiosk-ui/vite.config.mts');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
  });
  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => {});
    await t?.stop();
  });

  async function familyWithCode(site: BuiltSite) {
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Juno', months: 48 }], { lastName: 'Keytag' });
    const r = await t.api().post(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff));
    expect(r.status).toBe(201);
    return r.body.code as string;
  }
  async function pairedTablet(browser: Browser, site: BuiltSite): Promise<Page> {
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId });
    expect(r.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }

  test('a family QR through the camera reaches "Who is here today?" in 1 tap (Scan family code)', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const code = await familyWithCode(site);
    const video = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-express-')), 'family.y4m');
    y4m(video, code);
    const browser = await launchBrowser(fakeCamera(video));
    browsers.push(browser);
    const page = await pairedTablet(browser, site);
    let taps = 0;
    const tap = async (l: Locator) => {
      taps += 1;
      await l.click();
    };
    await tap(page.getByRole('button', { name: 'Scan family code' }));
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor({ timeout: 20_000 });
    await page.getByText('Juno').first().waitFor();
    expect(taps).toBe(1);
    await page.screenshot({ path: screenshotPath('kiosk-express-scanned-1024x768'), animations: 'disabled' });
  });

  test('a keyboard-wedge scanner typing the code + Enter reaches "Who is here today?" in 0 taps; a revoked code says so and stays on the start screen', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const code = await familyWithCode(site);
    const browser = await launchBrowser();
    browsers.push(browser);
    const page = await pairedTablet(browser, site);
    // stray keys typed before: the digits go to the phone number, a letter that starts no code is dropped
    await page.keyboard.type('7q8');
    await page.getByRole('status', { name: 'Phone number: 7 8' }).waitFor();
    await page.keyboard.type(code, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await page.getByText('Juno').first().waitFor();

    // staff revoke the tag: scanning it again is refused with one plain message
    expect(
      (
        await t
          .api()
          .delete(
            `/api/households/${(await t.db('household_express_codes').first('household_id').where({ organization_id: site.organizationId })).household_id}/express-code`,
          )
          .set(bearer(site.tokens.staff))
      ).status,
    ).toBe(200);
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await page.keyboard.type(code, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'We could not find that family code' }).waitFor();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
  });
});
