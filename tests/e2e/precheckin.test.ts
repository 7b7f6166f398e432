/**
 * Pre-check-in end to end (DESIGN §12) in a real Chromium against the served build: a parent opens
 * the texted link on a phone-sized page, leaves one child out, chooses the service, submits; at
 * the kiosk a keyboard-wedge scanner types the family code from the phone page (1 scan), the
 * chosen child is already selected, one tap checks in, and the labels go to the (fake) Zebra printer.
 * Build first: npm run build:ui
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator } from 'playwright-core';
import { normalizeExpressCode } from '../../contracts/rules';
import { precheckToken } from '../../server/src/precheckin/precheck-token';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';
import { fakePrinter, type FakePrinter } from '../support/printer';
import { fakeCamera, y4m } from '../support/camera';

jest.setTimeout(120_000);
declare const document: { documentElement: { scrollWidth: number } };
const DIST = path.resolve(__dirname, '../../kiosk-ui/dist/index.html');
const ROOMS = [{ name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 }];

let t: TestApp;
let browser: Browser;
let printer: FakePrinter;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

describeBrowser('pre-check-in: phone page, then the kiosk (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(DIST)) throw new Error('kiosk-ui is not built: npm run build:ui');
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
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test('pre-checked-in family: 1 scan + 1 tap at the kiosk prints the labels of exactly the children chosen on the phone', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS, name: 'Grace South' });
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Juno', months: 48 },
        { firstName: 'Milo', months: 52 },
      ],
      { lastName: 'Early' },
    );
    // staff text the link; the test derives the token the SMS would carry
    expect((await t.api().post(`/api/households/${fam.householdId}/precheckin-link`).set(bearer(site.tokens.staff))).status).toBe(202);
    const link = await t.db('precheckin_links').where({ household_id: fam.householdId }).first();
    const url = `${t.baseUrl}/precheck/${precheckToken(Buffer.from(TEST_SECRET), link.id)}`;

    // ---- the parent's phone
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(phoneCtx);
    const phone = await phoneCtx.newPage();
    phone.on('pageerror', (e) => pageErrors.push(`phone: ${e.message}`));
    await phone.goto(url);
    await phone.getByRole('heading', { name: /Pre-check-in/ }).waitFor();
    // everyone starts ticked; the parent leaves Milo out; the service open today is ticked
    await expect(phone.getByRole('checkbox', { name: 'Juno' }).isChecked()).resolves.toBe(true);
    await phone.getByRole('checkbox', { name: 'Milo' }).uncheck();
    await expect(phone.getByRole('checkbox', { name: /Test Service/ }).isChecked()).resolves.toBe(true);
    // the page fits the phone: nothing wider than the screen
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('precheck-phone-choose-390x844'), fullPage: true });
    await phone.getByRole('button', { name: 'Pre-check in' }).tap();
    await phone.getByText('You are pre-checked in').waitFor();
    const codeText = await phone.locator('.code').textContent();
    const code = normalizeExpressCode(codeText ?? '');
    expect(code).not.toBeNull();
    await phone.getByRole('img', { name: 'Family check-in QR code' }).waitFor();
    await phone.screenshot({ path: screenshotPath('precheck-phone-done-390x844'), fullPage: true });
    // no seat was taken by the phone
    expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(0);

    // ---- the kiosk, with a Zebra printer
    const k = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Lobby', siteId: site.siteId, printerHost: printer.address });
    expect(k.status).toBe(201);
    const kioskCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true });
    contexts.push(kioskCtx);
    const kiosk = await kioskCtx.newPage();
    kiosk.on('pageerror', (e) => pageErrors.push(`kiosk: ${e.message}`));
    await kiosk.goto(`${t.baseUrl}/kiosk/`);
    await kiosk.getByLabel('Pairing code').fill(k.body.pairingCode);
    await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
    await kiosk.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();

    let scans = 0;
    let taps = 0;
    const tap = async (l: Locator) => {
      taps += 1;
      await l.click();
    };
    // 1 scan: the wedge scanner types the code from the phone and Enter
    scans += 1;
    await kiosk.keyboard.type(code!, { delay: 5 });
    await kiosk.keyboard.press('Enter');
    await kiosk.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await kiosk.getByText('Pre-checked in on your phone').waitFor();
    await expect(kiosk.getByRole('button', { name: /Juno/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(kiosk.getByRole('button', { name: /Milo/ }).getAttribute('aria-pressed')).resolves.toBe('false');
    await kiosk.screenshot({ path: screenshotPath('precheck-kiosk-chosen-1024x768'), animations: 'disabled' });

    // 1 tap: check in; the server sends the labels to the Zebra
    const job = printer.nextJob(10_000);
    await tap(kiosk.getByRole('button', { name: 'Check in 1 child' }));
    const zpl = await job;
    await kiosk.getByText('Your labels are printing.').waitFor();
    expect(zpl).toContain('Juno');
    expect(zpl).not.toContain('Milo');
    await kiosk.screenshot({ path: screenshotPath('precheck-kiosk-done-1024x768'), animations: 'disabled' });
    expect({ scans, taps }).toEqual({ scans: 1, taps: 1 });

    const rows = await t.db('checkins').where({ household_id: fam.householdId });
    expect(rows.map((r) => r.child_id)).toEqual([fam.childIds[0]]);
    expect((await t.db('precheckins').where({ household_id: fam.householdId }).first()).used_at).not.toBeNull();
  });
  test('the family’s phone page (pickup pass) shows the express code for next time and opens pre-check-in from there', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS, name: 'Grace Hill' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Wren', months: 48 }], { lastName: 'Pass' });
    await t.db('households').where({ id: fam.householdId }).update({ language: 'es' });
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(ci.status).toBe(201);
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    contexts.push(phoneCtx);
    const phone = await phoneCtx.newPage();
    phone.on('pageerror', (e) => pageErrors.push(`pass: ${e.message}`));
    await phone.goto(ci.body.pickupUrl);
    await phone.getByRole('heading', { name: 'La próxima vez: entrada rápida' }).waitFor();
    await phone.getByRole('img', { name: 'Código QR de la familia' }).waitFor();
    const code = normalizeExpressCode((await phone.locator('.family-code').textContent()) ?? '');
    expect(code).not.toBeNull();
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('precheck-pass-page-es-390x844'), fullPage: true });
    // the code on the phone is the one the kiosk knows
    expect((await t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code })).body.households[0].id).toBe(fam.householdId);
    await phone.getByRole('button', { name: 'Registro previo para la próxima vez' }).tap();
    await phone.getByRole('heading', { name: /Registro previo/ }).waitFor();
    await phone.getByRole('checkbox', { name: 'Wren' }).waitFor();
    expect(phone.url()).toMatch(/\/precheck\/[A-Za-z0-9_-]{43}$/);
  });
  test('pre-checked-in family through the camera: 1 scan + 2 taps (Scan family code, Check in); staff switch the weekly text on in site settings', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS, name: 'Grace Camera' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ivo', months: 48 }], { lastName: 'Lens' });
    expect((await t.api().post(`/api/households/${fam.householdId}/precheckin-link`).set(bearer(site.tokens.staff))).status).toBe(202);
    const link = await t.db('precheckin_links').where({ household_id: fam.householdId }).first();
    const token = precheckToken(Buffer.from(TEST_SECRET), link.id);
    const posted = await t.api().post(`/precheck/${token}`).type('form').send(`child=${fam.childIds[0]}&service=${site.serviceId}`);
    expect(posted.status).toBe(303);
    const code = normalizeExpressCode(/KC-[A-Z0-9-]{14}/.exec((await t.api().get(`/precheck/${token}`)).text)?.[0] ?? '')!;
    const video = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-precheck-')), 'phone.y4m');
    y4m(video, code); // the phone's QR held up to the kiosk camera
    const cam = await launchBrowser(fakeCamera(video));
    try {
      const k = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Door', siteId: site.siteId, printerHost: printer.address });
      const kiosk = await (await cam.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true })).newPage();
      kiosk.on('pageerror', (e) => pageErrors.push(`camera kiosk: ${e.message}`));
      await kiosk.goto(`${t.baseUrl}/kiosk/`);
      await kiosk.getByLabel('Pairing code').fill(k.body.pairingCode);
      await kiosk.getByRole('button', { name: 'Pair this kiosk' }).click();
      await kiosk.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
      let taps = 0;
      const tap = async (l: Locator) => {
        taps += 1;
        await l.click();
      };
      await tap(kiosk.getByRole('button', { name: 'Scan family code' }));
      await kiosk.getByText('Pre-checked in on your phone').waitFor({ timeout: 20_000 });
      const job = printer.nextJob(10_000);
      await tap(kiosk.getByRole('button', { name: 'Check in 1 child' }));
      expect(await job).toContain('Ivo');
      await kiosk.getByText('Your labels are printing.').waitFor();
      expect(taps).toBe(2);
    } finally {
      await cam.close();
    }

    // the campus's weekly text, switched on by an admin
    const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    contexts.push(adminCtx);
    await adminCtx.addInitScript(
      (tk) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('kc.staff.token', tk),
      site.tokens.admin,
    );
    const admin = await adminCtx.newPage();
    admin.on('pageerror', (e) => pageErrors.push(`settings: ${e.message}`));
    await admin.goto(`${t.baseUrl}/staff/admin/settings`);
    await admin.getByText('Text families who came in the last 8 weeks').click();
    await admin.getByLabel('Pre-check-in text day').selectOption({ label: 'Saturday' });
    await admin.getByLabel('Pre-check-in text time').fill('18:30');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await admin.getByText('Weekly pre-check-in text').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: screenshotPath('precheck-settings-1366x900'), animations: 'disabled' });
    const stored = (await t.db('sites').where({ id: site.siteId }).first()).settings;
    expect((typeof stored === 'string' ? JSON.parse(stored) : stored).preCheckinSms).toEqual({ weekday: 6, time: '18:30' });
  });
  test('the welcome desk texts a family a pre-check-in link and says to which (masked) number', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zed', months: 48 }], { lastName: 'Deskfold', phone: '+13125550977' });
    const staff = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    contexts.push(staff);
    await staff.addInitScript(
      (tk) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('kc.staff.token', tk),
      site.tokens.staff,
    );
    const page = await staff.newPage();
    page.on('pageerror', (e) => pageErrors.push(`desk: ${e.message}`));
    await page.goto(`${t.baseUrl}/staff/desk`);
    await page.getByLabel('Find a family: name, parent, child or phone digits').fill('Deskfold');
    await page.getByRole('button', { name: /^Deskfold/ }).click();
    await page.getByRole('button', { name: 'Text pre-check-in link' }).click();
    await page.getByRole('status').filter({ hasText: 'Pre-check-in link texted to •••-•••-0977.' }).waitFor();
    const rows = await t.db('notifications').where({ guardian_id: fam.guardianId, kind: 'precheckin_link' });
    expect(rows).toHaveLength(1);
    expect(rows[0].precheckin_link_id).not.toBeNull();
  });
});
