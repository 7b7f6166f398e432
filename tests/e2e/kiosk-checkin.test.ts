/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: a returning family checks in: by last 4 digits, several services, shared digits, a full room, a retried request.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';
import { describeBrowser, screenshotPath } from '../support/browser';
import { addService, buildHousehold, buildSite } from '../support/factories';
import { bearer, TEST_SECRET } from '../support/harness';
import { pickupToken, pickupUrl } from '../../server/src/checkin/pickup-token';
import { LANDSCAPE, pairedTablet, prints, shoot, startKioskBrowser, t, typeOnKeypad } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const window: any, document: any;

describeBrowser('kiosk UI (served build, Chromium): checkin', () => {
  startKioskBrowser();

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
});
