/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres. Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { KIOSK_DONE_SCREEN_MS, KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS } from '../../contracts';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { addService, buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';
import { fakePrinter } from '../support/printer';
import { pickupToken, pickupUrl } from '../../server/src/checkin/pickup-token';
import { forgetCachedTokens } from '../../server/src/auth/auth.middleware';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib, so the few
// browser globals they use are declared here, for this file only.

declare const window: any, document: any, localStorage: any, getComputedStyle: any, NodeFilter: any, requestAnimationFrame: any;
type Element = any;

const DIST = path.resolve(__dirname, '../../kiosk-ui/dist');
const LANDSCAPE = { width: 1024, height: 768 };
const PORTRAIT = { width: 768, height: 1024 };

/** Marker instead of a sleep: the fonts are in and two frames were painted, so the layout has settled. */
const painted = (page: Page) =>
  page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))));

/** Polls until the condition holds (or fails the test after `ms`). */
async function until(cond: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms: ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

describeBrowser('kiosk UI (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('kiosk-ui is not built: npx vite build --config kiosk-ui/vite.config.mts');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });

  /** A fresh tablet: its own storage, window.print counted instead of opening a dialog. */
  async function tablet(): Promise<Page> {
    const context = await browser.newContext({ viewport: LANDSCAPE, deviceScaleFactor: 1, hasTouch: true });
    contexts.push(context);
    await context.addInitScript(() => {
      window.__prints = 0;
      window.print = () => {
        window.__prints += 1;
      };
    });
    return context.newPage();
  }
  const prints = (page: Page) => page.evaluate(() => window.__prints);

  /** Saves the current screen at both tablet orientations. */
  async function shoot(page: Page, name: string) {
    await painted(page);
    await page.screenshot({ path: screenshotPath(`kiosk-${name}-1024x768`), animations: 'disabled' });
    await page.setViewportSize(PORTRAIT);
    await painted(page);
    await page.screenshot({ path: screenshotPath(`kiosk-${name}-768x1024`), animations: 'disabled' });
    await page.setViewportSize(LANDSCAPE);
  }

  async function newKiosk(site: BuiltSite, printerHost?: string) {
    const r = await t
      .api()
      .post('/api/kiosks')
      .set(bearer(site.tokens.admin))
      .send({ name: 'Lobby', siteId: site.siteId, ...(printerHost ? { printerHost } : {}) });
    expect(r.status).toBe(201);
    return r.body as { kiosk: { id: string }; pairingCode: string };
  }

  async function pairedTablet(site: BuiltSite, printerHost?: string) {
    const { kiosk, pairingCode } = await newKiosk(site, printerHost);
    const page = await tablet();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    return { page, kioskId: kiosk.id };
  }

  async function typeOnKeypad(page: Page, digits: string) {
    for (const d of digits) await page.getByRole('button', { name: d, exact: true }).click();
  }

  const siteName = async (site: BuiltSite) => (await t.db('sites').where({ id: site.siteId }).first()).name as string;

  test('pairing: a fresh tablet pairs with a code, remembers it, and shows the site and the open service', async () => {
    const site = await buildSite(t.db);
    const { pairingCode } = await newKiosk(site);
    const page = await tablet();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor();
    await shoot(page, '01-pairing');

    await page.getByLabel('Pairing code').fill('BBBBBBBB');
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByText('That code is wrong, already used or expired').waitFor();
    await shoot(page, '02-pairing-wrong-code');

    await page.getByLabel('Pairing code').fill(pairingCode.toLowerCase());
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await expect(page.locator('.site-name').textContent()).resolves.toBe(await siteName(site));
    await expect(page.locator('.service-name').textContent()).resolves.toBe('Test Service');
    await shoot(page, '03-start');

    // remembered across a reload; the code was single-use
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('kidsclub.kiosk') ?? 'null'));
    expect(stored.site.id).toBe(site.siteId);
    expect(stored.token).toMatch(/^k_/);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect((await t.api().post('/api/kiosks/pair').send({ pairingCode })).status).toBe(400);

    // Spanish on the start screen, from the one catalogue
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await page.getByRole('heading', { name: '¡Bienvenidos! Vamos a registrarlos.' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect(page.getByRole('button', { name: 'Buscar mi familia' }).isDisabled()).resolves.toBe(true);
    await shoot(page, '04-start-spanish');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Find my family' }).waitFor();
  });

  test('no service open: the kiosk says so plainly', async () => {
    const site = await buildSite(t.db, { opensInMinutes: 90, closesInMinutes: 180 });
    const { page } = await (async () => {
      const { pairingCode } = await newKiosk(site);
      const p = await tablet();
      await p.goto(`${t.baseUrl}/kiosk/`);
      await p.getByLabel('Pairing code').fill(pairingCode);
      await p.getByRole('button', { name: 'Pair this kiosk' }).click();
      return { page: p };
    })();
    await page.getByRole('heading', { name: 'Check-in is not open right now' }).waitFor();
    expect(await page.getByRole('button', { name: 'Find my family' }).count()).toBe(0);
    await shoot(page, '05-closed');
  });

  test('a returning family of three checks in by last 4 digits in 4 taps after the phone (Find, Check in, Print labels, Done); labels print; the QR decodes to the pickup URL', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ada', months: 24, allergies: 'Peanuts' },
        { firstName: 'Ben', months: 48 },
        { firstName: 'Cleo', grade: 1 },
      ],
      { phone: '+13125550188', lastName: 'Lovelace' },
    );
    // a room with directions for a family new here (#30): shown beside the child's room
    const where = await t
      .api()
      .patch(`/api/rooms/${site.rooms.Toddlers}`)
      .set(bearer(site.tokens.admin))
      .send({ location: 'Upstairs, second door on the left' });
    expect(where.status).toBe(200);
    const { page } = await pairedTablet(site);

    await typeOnKeypad(page, '0188');
    await expect(page.locator('.phone-digits').textContent()).resolves.toBe('0188');
    let taps = 0;
    const tap = async (l: Locator) => {
      taps += 1;
      await l.click();
    };

    await tap(page.getByRole('button', { name: 'Find my family' }));
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    const kids = page.locator('.kid');
    await expect(kids.count()).resolves.toBe(3);
    for (const name of ['Ada', 'Ben', 'Cleo']) {
      await expect(page.getByRole('button', { name: new RegExp(`^${name}`) }).getAttribute('aria-pressed')).resolves.toBe('true');
    }
    await expect(page.getByRole('button', { name: /^Ada/ }).textContent()).resolves.toContain('Allergy');
    await expect(page.getByRole('button', { name: /^Cleo/ }).textContent()).resolves.toContain('Grade 1');
    await shoot(page, '06-children');

    await tap(page.getByRole('button', { name: 'Check in 3 children' }));
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    await page.locator('.tag-preview img.label-qr').waitFor();
    // no Zebra: one clear print step, and no dialog before the parent asks for it
    await page.getByText('Tap “Print labels” to print the name labels and your parent tag.').waitFor();
    await expect(page.getByText('Your labels are printing.').count()).resolves.toBe(0);
    expect(await prints(page)).toBe(0);
    await shoot(page, '07-done');
    await tap(page.getByRole('button', { name: 'Print labels' }));
    await page.waitForFunction(() => window.__prints > 0);

    const rows = await t.db('checkins').where({ household_id: fam.householdId });
    expect(rows).toHaveLength(3);
    const batch = await t.db('checkin_batches').where({ household_id: fam.householdId }).first();
    await expect(page.locator('.code-value').textContent()).resolves.toBe(batch.security_code);
    const rooms = await page.locator('.rooms li').allTextContents();
    // the allergy the label carries, said beside the child's room, and where the room is when it has a location (#30)
    expect(rooms.sort()).toEqual(['Ada goes to ToddlersAllergy: PeanutsWhere: Upstairs, second door on the left', 'Ben goes to Preschool', 'Cleo goes to K-2']);
    await expect(page.locator('.rooms .room-where').count()).resolves.toBe(1);
    // no Zebra printer configured: the browser's print dialog, exactly once
    expect(await prints(page)).toBe(1);

    // the parent tag's QR, read from the page's pixels, is the pickup URL
    const img = await page.evaluate(async () => {
      const el = document.querySelector('.tag-preview img.label-qr');
      await el.decode();
      const c = document.createElement('canvas');
      c.width = el.naturalWidth;
      c.height = el.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(el, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height);
      let bin = '';
      for (let i = 0; i < d.data.length; i++) bin += String.fromCharCode(d.data[i]);
      return { w: c.width, h: c.height, b64: btoa(bin) };
    });
    const qr = jsQR(new Uint8ClampedArray(Buffer.from(img.b64, 'base64')), img.w, img.h);
    const pass = await t.db('pickup_passes').where({ batch_id: batch.id }).first();
    expect(qr?.data).toBe(pickupUrl(t.baseUrl, pickupToken(Buffer.from(TEST_SECRET), pass.id)));

    // the print sheet: one 4 × 2 in page per child plus the parent tag
    await expect(page.locator('.print-sheet .label-child').count()).resolves.toBe(3);
    await expect(page.locator('.print-sheet .label-child').filter({ hasText: 'Ada' }).textContent()).resolves.toContain('ALLERGY: Peanuts');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString('latin1');
    expect(text.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(4);
    expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 288 144\s*\]/); // 4 × 2 in at 72 pt/in
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 384, height: 192 * 4 });
    await page.screenshot({ path: screenshotPath('kiosk-08-labels-print'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(LANDSCAPE);

    await tap(page.getByRole('button', { name: 'Done' }));
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect(taps).toBeLessThanOrEqual(4);
    expect(await page.locator('.phone-digits').count()).toBe(0); // the family is forgotten

    // the same family again: everyone shows as already checked in, nothing selectable
    await typeOnKeypad(page, '0188');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByText('Everyone in this family is already checked in.').waitFor();
    await expect(page.getByRole('button', { name: /^Ada/ }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /^Check in/ }).count()).resolves.toBe(0);
    await shoot(page, '09-all-checked-in');
  });

  test('two services open: the next one is chosen, a tap adds the other, and one pass checks a child in to both with one label naming both rooms and times', async () => {
    const site = await buildSite(t.db);
    await t.db('services').where({ id: site.serviceId }).update({ name: 'First Service' });
    const second = await addService(t.db, site, { name: 'Second Service', startsInMinutes: 100 });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ivy', months: 24 }], { phone: '+13125550166', lastName: 'Stone' });
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '0166');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    const first = page.getByRole('button', { name: /^First Service/ });
    const other = page.getByRole('button', { name: /^Second Service/ });
    // the first service starts in 30 min, the second in 100: the next one to start is chosen
    await expect(first.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(other.getAttribute('aria-pressed')).resolves.toBe('false');
    await other.click();
    await shoot(page, '06b-two-services');
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.waitForFunction(() => window.__prints > 0);
    const rows = await t.db('checkins').where({ household_id: fam.householdId });
    expect(new Set(rows.map((r) => r.service_id))).toEqual(new Set([site.serviceId, second]));
    expect(new Set(rows.map((r) => r.security_code)).size).toBe(1);
    // one child label, naming both rooms with their times
    await expect(page.locator('.print-sheet .label-child').count()).resolves.toBe(1);
    const label = await page.locator('.print-sheet .label-child .label-room').textContent();
    expect(label).toMatch(/^Toddlers \d{1,2}:\d\d\s?[AP]M \/ Toddlers \d{1,2}:\d\d\s?[AP]M$/);
    await expect(page.locator('.rooms li').count()).resolves.toBe(1);
    await shoot(page, '07b-done-two-services');
  });

  test('labels that fit: the longest names shrink (no ellipsis), allergies wrap whole onto two lines, a MEDICAL marker and the campus text print', async () => {
    const site = await buildSite(t.db, { settings: { labelFooter: 'North Campus · Kids’ Club' } });
    await buildHousehold(
      t.db,
      site.siteId,
      [
        {
          firstName: 'Christopher',
          months: 24,
          allergies: 'Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen',
          medicalNotes: 'Asthma: inhaler in bag',
        },
        { firstName: 'Maximiliano', months: 48 },
        { firstName: 'Bartholomew-Maximilian Alexander', months: 52 },
      ],
      { phone: '+13125550177', lastName: 'Montgomery-Castellanos de la Vega' },
    );
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '0177');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 3 children' }).click();
    await page.getByRole('button', { name: 'Print labels' }).waitFor();
    await page.locator('.print-sheet .label-footer').first().waitFor({ state: 'attached' });
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll('.print-sheet [data-fit]')].map((el: Element) => ({
        cls: el.className,
        text: el.textContent,
        sw: el.scrollWidth,
        cw: el.clientWidth,
        size: parseFloat(getComputedStyle(el).fontSize),
        overflow: getComputedStyle(el).textOverflow,
      })),
    );
    const first = boxes.filter((b: { cls: string }) => b.cls === 'label-first');
    expect(first.map((b: { text: string }) => b.text).sort()).toEqual(['Bartholomew-Maximilian Alexander', 'Christopher', 'Maximiliano']);
    for (const b of boxes) {
      expect(`${b.text}: ${b.sw} <= ${b.cw}`).toBe(`${b.text}: ${Math.min(b.sw, b.cw)} <= ${b.cw}`);
      expect(b.text).not.toContain('…');
      expect(b.overflow).not.toBe('ellipsis');
    }
    // the longest name uses a smaller font than the CSS 30pt (40px)
    expect(first.find((b: { text: string }) => b.text.startsWith('Bartholomew'))!.size).toBeLessThan(40);
    const allergy = boxes.find((b: { cls: string }) => b.cls === 'label-allergy');
    expect(allergy!.text).toBe('ALLERGY: Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen');
    // two lines at most, inside the band
    const lines = await page.evaluate(() => {
      const el = document.querySelector('.print-sheet .label-allergy');
      const cs = getComputedStyle(el);
      return (el.scrollHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / parseFloat(cs.lineHeight);
    });
    expect(lines).toBeLessThanOrEqual(2.05);
    await expect(page.locator('.print-sheet .label-medical').allTextContents()).resolves.toEqual(['MEDICAL']);
    await expect(page.locator('.print-sheet').textContent()).resolves.not.toContain('inhaler');
    await expect(page.locator('.print-sheet .label-footer').count()).resolves.toBe(4);
    // nothing spills out of a 4 × 2 in label
    const spill = await page.evaluate(() => [...document.querySelectorAll('.print-sheet .label')].map((l: Element) => l.scrollHeight - l.clientHeight));
    expect(spill.every((d: number) => d <= 1)).toBe(true);
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 384, height: 192 * 4 });
    await page.screenshot({ path: screenshotPath('kiosk-08c-labels-long-names'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(LANDSCAPE);
  });

  test('a kiosk paired as a pickup door station: typed code, a listed adult, the child released; a stranger needs a staff PIN', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Zoe', months: 24 },
        { firstName: 'Yan', months: 48 },
      ],
      { lastName: 'Park' },
    );
    await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Grandma Park', relationship: 'grandmother' });
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: crypto.randomUUID() });
    expect(ci.status).toBe(201);
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Door', siteId: site.siteId, mode: 'pickup' });
    const page = await tablet();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Pickup' }).waitFor();
    await page.getByRole('tab', { name: 'Type code' }).click();
    await page.getByLabel('Security code').fill(ci.body.securityCode);
    await page.getByRole('button', { name: 'Find children' }).click();
    await page.getByRole('heading', { name: /Park family/ }).waitFor();
    // a stranger's typed name is a hard stop without a staff PIN: the button stays off until PIN and reason are there
    await page.getByPlaceholder('Full name').fill('Random Stranger');
    await page.getByLabel('Staff PIN').waitFor();
    await expect(page.getByRole('button', { name: /^Check out/ }).isDisabled()).resolves.toBe(true);
    await page.getByPlaceholder('Full name').fill('');
    // one child, to the grandmother on the family's list
    await page.getByLabel('Pick up Yan').uncheck();
    await page.getByRole('button', { name: 'Grandma Park' }).click();
    await page.getByRole('button', { name: 'Check out 1' }).click();
    await page
      .getByTestId('confirm-release')
      .getByRole('button', { name: /^Yes, release/ })
      .click();
    await page.getByTestId('kiosk-checkout-done').waitFor();
    await shoot(page, '12-pickup-door');
    const rows = await t.db('checkins').whereIn(
      'id',
      ci.body.checkins.map((c: { id: string }) => c.id),
    );
    const zoe = rows.find((x) => x.child_id === fam.childIds[0])!;
    const yan = rows.find((x) => x.child_id === fam.childIds[1])!;
    expect([zoe.status, zoe.picked_up_by]).toEqual(['checked_out', 'Grandma Park']);
    expect(yan.status).toBe('checked_in');
    // the door station can do nothing else
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.includes('kiosk'))!)).token);
    expect(
      (
        await t
          .api()
          .get(`/api/households?phone=${fam.phone.slice(-4)}`)
          .set(bearer(token))
      ).status,
    ).toBe(403);
  });

  test('several households share the last 4 digits: the parent chooses by surname; phones are masked', async () => {
    const site = await buildSite(t.db);
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 30 }], { phone: '+13125551234', lastName: 'Garcia' });
    const nguyen = await buildHousehold(t.db, site.siteId, [{ firstName: 'Tam', months: 50 }], { phone: '+17735551234', lastName: 'Nguyen' });
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '1234');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Which family are you?' }).waitFor();
    const body = await page.locator('main').textContent();
    expect(body).toContain('Garcia family');
    expect(body).toContain('Nguyen family');
    expect(body).not.toContain('312555');
    expect(body).not.toContain('773555');
    await shoot(page, '10-choose-household');
    await page.getByRole('button', { name: /Nguyen family/ }).click();
    await page.getByRole('button', { name: /^Tam/ }).waitFor();
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect(await t.db('checkins').where({ household_id: nguyen.householdId })).toHaveLength(1);
  });

  test('a new family registers at the kiosk and goes straight into check-in', async () => {
    const site = await buildSite(t.db);
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '3125559876');
    await expect(page.locator('.phone-digits').textContent()).resolves.toBe('312-555-9876');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'We couldn’t find that number' }).waitFor();
    await shoot(page, '11-not-found');
    await page.getByRole('button', { name: 'New here? Register your family' }).click();
    await page.getByRole('heading', { name: 'Welcome! First, about you' }).waitFor();
    await expect(page.getByLabel('Mobile number').inputValue()).resolves.toBe('3125559876');

    // nothing filled in: each field says what is missing, and focus goes to the first
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Please fill this in.').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-first');
    await shoot(page, '12-register-guardian-errors');

    await page.getByLabel('First name').fill('María José');
    await page.getByLabel('Last name').fill('Núñez');
    await shoot(page, '13-register-guardian');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Now, your children' }).waitFor();
    const child1 = page.getByRole('group', { name: 'Child 1' });
    await expect(child1.getByLabel('Last name').inputValue()).resolves.toBe('Núñez');
    await child1.getByLabel('First name').fill('Lucía');
    const twoYearsAgo = new Date(Date.now() - 2 * 365.25 * 86400_000 - 40 * 86400_000).toISOString().slice(0, 10);
    await child1.getByLabel('Birthdate').fill(twoYearsAgo);
    await page.getByRole('button', { name: '+ Add another child' }).click();
    const child2 = page.getByRole('group', { name: 'Child 2' });
    await child2.getByLabel('First name').fill('Mateo');
    await child2.getByLabel('Or school grade').selectOption({ label: 'Grade 1' });
    await child2.getByLabel('Allergies').fill('Dairy');
    await shoot(page, '14-register-children');
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect((await page.locator('.rooms li').allTextContents()).sort()).toEqual(['Lucía goes to Toddlers', 'Mateo goes to K-2Allergy: Dairy']);

    const g = await t.db('guardians').where({ phone: '+13125559876' });
    expect(g).toHaveLength(1);
    const h = await t.db('households').where({ id: g[0].household_id }).first();
    expect(h.site_id).toBe(site.siteId);
    const kids = await t.db('children').where({ household_id: h.id }).orderBy('first_name');
    expect(kids.map((k) => [k.first_name, k.last_name, k.grade, k.allergies])).toEqual([
      ['Lucía', 'Núñez', null, ''],
      ['Mateo', 'Núñez', 1, 'Dairy'],
    ]);
    expect(await t.db('checkins').where({ household_id: h.id })).toHaveLength(2);
    expect(h.language).toBe('en'); // registered in English
  });

  test('a family checking in while the kiosk shows Spanish becomes a Spanish family (its receipt is Spanish); registering in English stores English', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Inés', months: 24 }], { phone: '+13125550177', lastName: 'Ortega' });
    expect((await t.db('households').where({ id: fam.householdId }).first()).language).toBeNull();
    const { page } = await pairedTablet(site);
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await typeOnKeypad(page, '0177');
    await page.getByRole('button', { name: 'Buscar mi familia' }).click();
    await page.getByRole('heading', { name: '¿Quién viene hoy?' }).waitFor();
    await page.getByRole('button', { name: 'Registrar 1 niño' }).click();
    await page.getByRole('heading', { name: '¡Listo!' }).waitFor();
    expect((await t.db('households').where({ id: fam.householdId }).first()).language).toBe('es');
    const receipt = await t.db('notifications').where({ kind: 'checkin_receipt' }).whereIn('guardian_id', [fam.guardianId]).first();
    expect(receipt.body).toMatch(/^.+: entrada registrada para Inés \(Toddlers\)\. Clave de recogida [A-Z0-9]+\. Pase de recogida: \{\{pickupUrl\}\}$/);
  });

  test('a full room: that child is refused in plain words, the sibling is still checked in', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 0 },
        { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10 },
      ],
    });
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Tod', months: 24 },
        { firstName: 'Pia', months: 48 },
      ],
      { phone: '+13125554321' },
    );
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '4321');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 2 children' }).click();
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    await expect(page.locator('.refusals').textContent()).resolves.toBe('Tod’s room is full right now. Please see a volunteer.');
    await expect(page.locator('.rooms').textContent()).resolves.toMatch(/Pia.*Preschool/);
    await expect(page.locator('.print-sheet .label-child').count()).resolves.toBe(1);
    await shoot(page, '15-refused-room-full');
    const rows = await t.db('checkins').where({ household_id: fam.householdId });
    expect(rows.map((r) => r.child_id)).toEqual([fam.childIds[1]]);
  });

  test('a dropped connection: the retry reuses the idempotency key, so nothing is checked in twice', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ada', months: 24 },
        { firstName: 'Ben', months: 48 },
      ],
      { phone: '+13125557777' },
    );
    const { page } = await pairedTablet(site);
    const bodies: { idempotencyKey: string }[] = [];
    let reachedServer = 0;
    await page.route('**/api/checkins', async (route) => {
      bodies.push(route.request().postDataJSON());
      if (bodies.length === 1) {
        const response = await route.fetch(); // the server checks them in…
        reachedServer = response.status();
        await route.abort('connectionreset'); // …and the answer is lost on the way back
      } else {
        await route.continue();
      }
    });
    await typeOnKeypad(page, '7777');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 2 children' }).click();
    await page.getByText('The connection dropped').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Can’t reach the server' }).waitFor();
    expect(reachedServer).toBe(201);
    await shoot(page, '16-retrying');
    await page.getByRole('button', { name: 'Try again now' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();

    expect(bodies).toHaveLength(2);
    expect(bodies[1]!.idempotencyKey).toBe(bodies[0]!.idempotencyKey);
    expect(bodies[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.db('checkin_batches').where({ household_id: fam.householdId })).toHaveLength(1);
    expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(2);
    const batch = await t.db('checkin_batches').where({ household_id: fam.householdId }).first();
    await expect(page.locator('.code-value').textContent()).resolves.toBe(batch.security_code);
    // the banner clears once the server answers again
    await page.getByRole('alert').filter({ hasText: 'Can’t reach the server' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('with a Zebra printer configured, the server sends ZPL to it; when it is down the kiosk says so and can print here', async () => {
    // the local Zebra-like printer: answers ~HS, collects jobs
    const printer = await fakePrinter();
    const jobs = printer.jobs;
    const port = Number(printer.address.split(':')[1]);
    try {
      const site = await buildSite(t.db);
      await buildHousehold(t.db, site.siteId, [{ firstName: 'Zoë', months: 24, allergies: 'Bees' }], { phone: '+13125552468', lastName: 'Zebra' });
      await buildHousehold(t.db, site.siteId, [{ firstName: 'Omar', months: 48 }], { phone: '+13125551357' });
      const { page } = await pairedTablet(site, `127.0.0.1:${port}`);
      await typeOnKeypad(page, '2468');
      await page.getByRole('button', { name: 'Find my family' }).click();
      await page.getByRole('button', { name: 'Check in 1 child' }).click();
      await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
      await page.getByText('Your labels are printing.').waitFor();
      await until(() => jobs.length === 1);
      const code = await page.locator('.code-value').textContent();
      expect(jobs[0]).toContain('^XA');
      expect(jobs[0]).toContain('^FDZoë^FS');
      expect(jobs[0]).toContain(`^FD${code}^FS`);
      expect(jobs[0]).toContain('ALLERGY: Bees');
      expect(jobs[0]).toMatch(/\^BQN,2,\d+\^FH\^FDMA,http/);
      expect(await prints(page)).toBe(0); // the Zebra printed: no browser dialog

      await page.getByRole('button', { name: 'Reprint labels' }).click();
      await until(() => jobs.length === 2);
      await page.getByRole('button', { name: 'Done' }).click();

      await printer.setState('unreachable');
      await typeOnKeypad(page, '1357');
      await page.getByRole('button', { name: 'Find my family' }).click();
      await page.getByRole('button', { name: 'Check in 1 child' }).click();
      await page.getByText('The label printer isn’t answering. Please ask a volunteer.').waitFor();
      await shoot(page, '17-printer-down');
      await expect(page.getByText('Your labels are printing.').count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Print here instead' }).click();
      await page.getByRole('button', { name: 'Print labels' }).click();
      await until(async () => (await prints(page)) === 1);
    } finally {
      await printer.close();
    }
  });

  test('a revoked kiosk returns to the pairing screen at once', async () => {
    const site = await buildSite(t.db);
    const { page, kioskId } = await pairedTablet(site);
    await page.locator('[data-live-status="live"]').waitFor(); // the socket connected
    expect((await t.api().delete(`/api/kiosks/${kioskId}`).set(bearer(site.tokens.admin))).status).toBe(204);
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor({ timeout: 5000 });
    await page.getByText('This kiosk was unpaired').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('kidsclub.kiosk'))).toBeNull();
    await shoot(page, '18-unpaired');
  });

  test('a revoked token is noticed on the next API call too (401 → pairing)', async () => {
    const site = await buildSite(t.db);
    const { kiosk, pairingCode } = await newKiosk(site);
    const page = await tablet();
    // no socket at all (it would be ended by the server's sweep within seconds and say so):
    // only the API call can notice here
    await page.routeWebSocket(/\/socket\.io\//, () => {});
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    // revoked behind this process's back (as by another instance); this process's token cache is
    // emptied by hand rather than waited out (AUTH_CACHE_MS): the test is about the tablet noticing the 401
    await t.db('kiosks').where({ id: kiosk.id }).update({ token_hash: null, revoked_at: new Date() });
    forgetCachedTokens(t.db);
    await typeOnKeypad(page, '0000');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor({ timeout: 5000 });
    await page.getByText('This kiosk was unpaired').waitFor();
  });

  test(`after ${KIOSK_IDLE_RESET_MS / 1000} s idle the kiosk asks "Still there?" for ${KIOSK_IDLE_WARNING_MS / 1000} s, then starts over and forgets the family`, async () => {
    const site = await buildSite(t.db);
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Ida', months: 24 }], { phone: '+13125553690' });
    const page = await tablet();
    await page.clock.install();
    const { pairingCode } = await newKiosk(site);
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await typeOnKeypad(page, '3690');
    await page.getByRole('button', { name: 'Buscar mi familia' }).click();
    await page.getByRole('button', { name: /^Ida/ }).waitFor();
    const prompt = page.getByRole('alertdialog', { name: '¿Sigue ahí?' });
    const quietFor = KIOSK_IDLE_RESET_MS - KIOSK_IDLE_WARNING_MS;
    await page.clock.runFor(quietFor - 1000);
    expect(await prompt.count()).toBe(0); // not yet
    await page.clock.runFor(1500);
    // in the family's language, counting down, the screen still there behind it
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toContain('Esta pantalla empieza de nuevo en 10 segundos.');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Sigo aquí');
    await shoot(page, '10-still-there');
    await page.clock.runFor(3000);
    await expect(prompt.textContent()).resolves.toMatch(/en [67] segundos/);
    expect(await page.getByRole('button', { name: /^Ida/ }).count()).toBe(1);

    // "I'm still here" keeps the half-filled screen and starts the wait again
    await prompt.getByRole('button', { name: 'Sigo aquí' }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.clock.runFor(quietFor - 1000);
    expect(await prompt.count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Ida/ }).count()).toBe(1);

    // nobody answers: wiped after the countdown, back in English
    await page.clock.runFor(1500);
    await prompt.waitFor();
    await page.clock.runFor(KIOSK_IDLE_WARNING_MS);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect(await page.locator('.phone-digits').count()).toBe(0);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
  });

  test(`the done screen stops showing the code and pickup QR ${KIOSK_DONE_SCREEN_MS / 1000} s after the check-in, never before the labels were printed`, async () => {
    const site = await buildSite(t.db);
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Dot', months: 30 }], { phone: '+13125554471' });
    const page = await tablet();
    await page.clock.install();
    const { pairingCode } = await newKiosk(site);
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await typeOnKeypad(page, '4471');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    await page.locator('.tag-preview img.label-qr').waitFor();
    // a printerless kiosk: the screen waits for "Print labels" (no reset before the print started)
    await page.clock.runFor(KIOSK_DONE_SCREEN_MS + 2000);
    expect(await page.locator('.code-value').count()).toBe(1);
    // "Done" before printing asks first; "Print labels" is the primary action
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your labels haven’t printed yet' }).waitFor();
    expect(await page.getByRole('button', { name: 'Print labels' }).getAttribute('class')).toContain('btn-primary');
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.clock.runFor(KIOSK_DONE_SCREEN_MS / 2 - 2000);
    expect(await page.locator('.code-value').count()).toBe(1); // still there for the parent
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.clock.runFor(2500);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect(await page.locator('.code-value').count()).toBe(0);
    expect(await page.locator('img.label-qr').count()).toBe(0);
    expect(await page.locator('.print-sheet').count()).toBe(0);
  });

  test('keyboard only, screen-reader names, focus on each new screen, reduced motion, AA contrast', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Kai', months: 30 }], { phone: '+13125558642' });
    const { page } = await pairedTablet(site);
    await page.emulateMedia({ reducedMotion: 'reduce' });

    const audit = () =>
      page.evaluate(() => {
        const problems: string[] = [];
        for (const b of document.querySelectorAll('.app button, .app input, .app select')) {
          const name = b.getAttribute('aria-label') ?? (b.id ? document.querySelector(`label[for="${b.id}"]`)?.textContent : null) ?? b.textContent;
          if (!name?.trim()) problems.push(`unnamed ${b.tagName} ${b.className}`);
        }
        // WCAG AA: text contrast against the first opaque background behind it
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          };
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bg = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c[3] ?? 0) > 0.9) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const walker = document.createTreeWalker(document.querySelector('.app'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!n.textContent?.trim() || el.closest('[disabled]') || el.closest('svg')) continue;
          const s = getComputedStyle(el);
          if (s.visibility === 'hidden' || s.display === 'none') continue;
          const l1 = lum(rgb(s.color)),
            l2 = lum(bg(el));
          const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
          const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5)) problems.push(`${n.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
        }
        return problems;
      });
    const focusedHeading = () => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));

    expect(await audit()).toEqual([]);
    expect(await focusedHeading()).toBe('Welcome! Let’s check you in.');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.key')).transitionDuration)).toBe('0s');

    await page.keyboard.type('8642');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    expect(await focusedHeading()).toBe('Who is here today?');
    expect(await audit()).toEqual([]);
    // Tab reaches the child toggle, then Back, then Check in
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Kai');
    await page.keyboard.press('Space'); // leave Kai out…
    await expect(page.getByRole('button', { name: /^Kai/ }).getAttribute('aria-pressed')).resolves.toBe('false');
    await page.keyboard.press('Space'); // …and back in
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check in 1 child');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect(await focusedHeading()).toBe('You’re all set!');
    expect(await audit()).toEqual([]);
    expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(1);
  });

  test(`the kiosk's JavaScript is under 250 kB gzipped`, () => {
    const assets = path.join(DIST, 'assets');
    const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const total = js.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(assets, f))).length, 0);
    expect(total).toBeLessThan(250 * 1024);
  });
});
