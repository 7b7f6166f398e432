/**
 * Who dropped off and the severe-allergy mark at the kiosk (DESIGN §16, issue #25.5–6), in a real
 * Chromium against the served build: a family with two adults is asked "Who is dropping off?",
 * the adult whose phone found the family chosen to begin with; the choice is stored with the
 * check-in; a life-threatening allergy prints on the browser label with its mark.
 * Build first: npm run build:ui
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(90_000);
declare const window: any;

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
const ROOMS = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 2, sortOrder: 1 }];

let t: TestApp;
let browser: Browser;

describeBrowser('kiosk: who is dropping off, severe allergy mark (served build, Chromium)', () => {
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
    await context.addInitScript(() => {
      window.print = () => {};
    });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return page;
  }

  test('two adults: the one whose phone was typed is chosen; the other is tapped and recorded; the severe allergy label carries its mark', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24, allergies: 'Peanuts' }], { lastName: 'Reyes', phone: '+13125550171' });
    await t.db('children').where({ id: fam.childIds[0] }).update({ allergy_severity: 'life-threatening' });
    const [sam] = await t
      .db('guardians')
      .insert({ household_id: fam.householdId, first_name: 'Sam', last_name: 'Reyes', phone: '+13125550172' })
      .returning('id');
    const page = await pairedTablet(site);
    await page.keyboard.type('0172');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    const chooser = page.getByRole('group', { name: 'Who is dropping off?' });
    await expect(chooser.getByRole('button', { name: 'Sam' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(chooser.getByRole('button', { name: 'Pat' }).getAttribute('aria-pressed')).resolves.toBe('false');
    await page.screenshot({ path: screenshotPath('kiosk-dropoff-chooser-1024x768'), animations: 'disabled' });
    await chooser.getByRole('button', { name: 'Pat' }).click();
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    const [req] = await t
      .db('checkin_requests as q')
      .join('checkin_batches as b', 'b.id', 'q.batch_id')
      .where('b.household_id', fam.householdId)
      .select('q.dropped_off_by');
    expect(req.dropped_off_by).toBe(fam.guardianId);
    expect(req.dropped_off_by).not.toBe(sam.id);
    const mark = page.locator('.print-sheet .label-allergy--severe');
    await mark.waitFor({ state: 'attached' });
    await expect(mark.textContent()).resolves.toBe('!! LIFE-THREATENING ALLERGY: Peanuts');
  });

  test('one adult: no question', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Bo', months: 24 }], { phone: '+13125550173' });
    const page = await pairedTablet(site);
    await page.keyboard.type('0173');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    expect(await page.getByRole('group', { name: 'Who is dropping off?' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    const [req] = await t
      .db('checkin_requests as q')
      .join('checkin_batches as b', 'b.id', 'q.batch_id')
      .where('b.household_id', fam.householdId)
      .select('q.dropped_off_by');
    expect(req.dropped_off_by).toBe(fam.guardianId);
  });
});
