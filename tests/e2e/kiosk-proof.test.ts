/**
 * Joining the day's code needs proof (DESIGN §16), in a real Chromium against the served build:
 * the stranger who knows a parent's last 4 digits finds the family whose first child is already in
 * a room, and is asked for the tag; a wrong code is refused, the right one (typed as a parent
 * reads it off the tag) checks the sibling in. Build first: npm run build:ui
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(90_000);

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
let t: TestApp;
let browser: Browser;

describeBrowser('kiosk: proof before a second check-in of the day (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npm run build:ui');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await t?.stop();
  });

  async function pairedTablet(site: BuiltSite): Promise<Page> {
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId });
    expect(r.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true });
    // window.print counted instead of opening a dialog
    await context.addInitScript('window.__prints = 0; window.print = () => { window.__prints += 1; };');
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }

  test('last 4 digits find the family but show no way to check the sibling in without the tag; the typed code does it', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Remy', months: 30 },
      { firstName: 'Sol', months: 34 },
    ]);
    const first = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: [fam.childIds[0]], idempotencyKey: key() });
    expect(first.status).toBe(201);
    const code = first.body.securityCode as string;

    const page = await pairedTablet(site);
    await page.keyboard.type(fam.phone.slice(-4));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await page.getByText('You already checked in today').waitFor();
    // no plain "Check in" button: only the proof form
    expect(await page.getByRole('button', { name: /^Check in \d/ }).count()).toBe(0);
    expect(await page.content()).not.toContain(code);
    await page.screenshot({ path: screenshotPath('kiosk-proof-asked-1024x768'), animations: 'disabled' });

    // a guess: refused, still nothing checked in
    const wrong = code === 'BCDF' ? 'GHJK' : 'BCDF';
    await page.getByLabel('Code on your tag').fill(wrong);
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'doesn’t match this family' }).waitFor();
    expect(await t.db('checkins').where({ child_id: fam.childIds[1] }).count('* as n')).toEqual([{ n: 0 }]);
    await page.screenshot({ path: screenshotPath('kiosk-proof-wrong-1024x768'), animations: 'disabled' });

    // the parent reads the code off the tag (lower case, with a space)
    await page.getByLabel('Code on your tag').fill(`${code.slice(0, 2).toLowerCase()} ${code.slice(2)}`);
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect(await t.db('checkins').where({ child_id: fam.childIds[1], status: 'checked_in' }).count('* as n')).toEqual([{ n: 1 }]);
    // a printerless kiosk: "Print labels" is the one primary action
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.getByRole('button', { name: 'Done' }).click();

    // later the parent comes back without labels: everyone is in, and the family reprints with the code off the tag
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await page.keyboard.type(fam.phone.slice(-4));
    await page.keyboard.press('Enter');
    await page.getByText('Everyone in this family is already checked in.').waitFor();
    await page.getByRole('button', { name: 'Reprint our labels' }).click();
    await page.getByLabel('Code on your tag').fill(code);
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your labels' }).waitFor();
    expect(await page.locator('.code-value').count()).toBe(0); // the code is on the labels, not on the lobby screen
    const before = Number(await page.evaluate('window.__prints'));
    await page.getByRole('button', { name: 'Print labels' }).click();
    expect(Number(await page.evaluate('window.__prints'))).toBe(before + 1);
    await page.screenshot({ path: screenshotPath('kiosk-reprint-1024x768'), animations: 'disabled' });
    const batch = await t.db('checkin_batches').where({ household_id: fam.householdId }).first('id');
    expect(await t.db('audit_log').where({ action: 'labels.family_reprint', entity_id: batch.id }).count('* as n')).toEqual([{ n: 1 }]);
  });
});
