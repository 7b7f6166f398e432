/**
 * The staff app in a real Chromium against the served build (staff-ui/dist), the real server,
 * real Socket.IO and Postgres: pickup: by the QR through a fake camera, by typed code, after check-in closed.
 * Screens are saved under tests/artifacts/staff-*.png: desk screens at 1366 × 768, the pickup station at 390 × 844.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { bearer } from '../support/harness';
import { fakeCamera, y4m } from '../support/camera';
import { checkIn, open, PHONE, ROOMS, shot, startStaffBrowser, t } from './staff-harness';

jest.setTimeout(120_000);

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const document: any, getComputedStyle: any;

describeBrowser('staff UI (served build, Chromium): pickup', () => {
  startStaffBrowser();

  test("pickup station (390 × 844): the parent's QR, shown by the pass page, is scanned through the fake camera and the child is checked out", async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24, allergies: 'Peanuts' }], { lastName: 'Lovelace' });
    await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Grandma Joy', relationship: 'grandmother' });
    await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan Lovelace', note: 'Court order on file — call the campus pastor' });
    const ci = await checkIn(site, fam.householdId, fam.childIds);

    // the parent's phone shows the pass with the QR (a second page)
    const pass = await open(null, '', { viewport: PHONE });
    await pass.goto(ci.pickupUrl);
    await pass.getByText(ci.securityCode).first().waitFor();
    await pass.screenshot({ path: screenshotPath('staff-parent-pass') });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-staff-cam-'));
    // first a camera that sees no code: the scanning screen
    y4m(path.join(dir, 'blank.y4m'), null);
    const blankBrowser = await launchBrowser(fakeCamera(path.join(dir, 'blank.y4m')));
    try {
      const scanning = await open(site.tokens.volunteer, '/pickup', { viewport: PHONE, b: blankBrowser, mobile: true });
      await scanning.getByTestId('scanner-video').waitFor();
      await scanning.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0, undefined, { timeout: 10_000 });
      await scanning.waitForTimeout(300);
      await shot(scanning, 'pickup-scanning');
      await scanning.context().close();
    } finally {
      await blankBrowser.close();
    }

    // then the camera sees the QR of the real pickup URL, and jsQR decodes it for real
    y4m(path.join(dir, 'qr.y4m'), ci.pickupUrl);
    const camBrowser = await launchBrowser(fakeCamera(path.join(dir, 'qr.y4m')));
    try {
      const page = await open(site.tokens.volunteer, '/pickup', { viewport: PHONE, b: camBrowser, mobile: true });
      await page.getByRole('heading', { name: 'Lovelace family' }).waitFor({ timeout: 15_000 });
      await page.getByText('Ada Lovelace').waitFor();
      await page.getByText('Allergy: Peanuts').waitFor();
      const custody = page.getByTestId('custody-alert');
      expect(await custody.textContent()).toContain('Do NOT release to Jordan Lovelace');
      expect(await custody.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(192, 38, 45)');
      expect(await page.getByText('Authorised: Grandma Joy (grandmother)').count()).toBe(1);
      expect(await page.locator('.pick').textContent()).toContain('Toddlers');
      await shot(page, 'pickup-verified');
      // the custody-alert person cannot be chosen
      await page.getByPlaceholder('Full name').fill('jordan lovelace');
      expect(await page.getByRole('button', { name: /^Check out/ }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Pat Lovelace' }).click();
      await page.getByRole('button', { name: 'Check out 1 child' }).click();
      await page
        .getByTestId('confirm-release')
        .getByRole('button', { name: /^Yes, release/ })
        .click();
      await page.getByTestId('checkout-done').waitFor();
      await shot(page, 'pickup-done');
      const row = await t.db('checkins').where({ id: ci.checkins[0]!.id }).first();
      expect(row).toEqual(expect.objectContaining({ status: 'checked_out', picked_up_by: 'Pat Lovelace', checked_out_by: site.userIds.volunteer }));
      const audit = await t.db('audit_log').where({ site_id: site.siteId, action: 'pickup.verify' }).first();
      expect(audit.details).toEqual({ by: 'token' });
    } finally {
      await camBrowser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pickup by typed code on a phone: some of the children; volunteers see pickup and rosters only', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ada', months: 24 },
        { firstName: 'Ben', months: 48, allergies: 'Tree nuts' },
      ],
      { lastName: 'Byron' },
    );
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    const page = await open(site.tokens.volunteer, '/pickup', { viewport: PHONE, mobile: true });
    await page.getByRole('tab', { name: 'Type code' }).click();
    const code = page.getByLabel('Security code from the parent’s tag');
    await code.fill(`${ci.securityCode.toLowerCase().slice(0, 2)}-o${ci.securityCode.toLowerCase().slice(2)}`); // typos are filtered out
    expect(await code.inputValue()).toBe(ci.securityCode);
    await shot(page, 'pickup-code');
    await page.getByRole('button', { name: 'Find children' }).click();
    await page.getByRole('heading', { name: 'Byron family' }).waitFor();
    await page.getByLabel('Pick up Ben').uncheck();
    await page.getByPlaceholder('Full name').fill('Pat Byron');
    await page.getByRole('button', { name: 'Check out 1 child' }).click();
    await page
      .getByTestId('confirm-release')
      .getByRole('button', { name: /^Yes, release/ })
      .click();
    await page.getByTestId('checkout-done').waitFor();
    const rows = await t.db('checkins').where({ batch_id: (await t.db('checkins').where({ id: ci.checkins[0]!.id }).first()).batch_id });
    const byChild = Object.fromEntries(rows.map((r) => [r.child_id, r.status]));
    expect(byChild).toEqual({ [fam.childIds[0]!]: 'checked_out', [fam.childIds[1]!]: 'checked_in' });

    // the menu on a phone: pickup, rosters and the emergency roll call only
    await page.getByRole('button', { name: 'Menu' }).click();
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(links).toEqual(['Pickup', 'Rosters', 'Emergency']);
    await shot(page, 'phone-menu');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rosters' }).click();
    await page.locator('[data-checkin-id]').first().waitFor();
    // the roster shows Ben (still in) with his allergy flag; a volunteer never gets the family's code
    const ben = page.locator(`[data-checkin-id="${ci.checkins.find((c) => c.childId === fam.childIds[1])!.id}"]`);
    await ben.getByTestId('allergy').waitFor();
    expect(await ben.getByTestId('code').count()).toBe(0);
    expect(await ben.getByRole('button', { name: 'Show code' }).count()).toBe(0);
    expect(await page.content()).not.toContain(ci.securityCode);
    expect(await ben.getByRole('button', { name: 'Move' }).count()).toBe(0); // moving is for staff
    await shot(page, 'roster-phone');
  });

  test('pickup after check-in closed (390 × 844): typed code, a stranger needs an override, a listed adult is tapped; the used code says who, when, verified by whom', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ada', months: 24 },
        { firstName: 'Ben', months: 48 },
      ],
      { lastName: 'Closed' },
    );
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    // the check-in window closes with the children still in the rooms
    await t
      .db('services')
      .where({ id: site.serviceId })
      .update({ checkin_opens_at: new Date(Date.now() - 3 * 3600_000), checkin_closes_at: new Date(Date.now() - 60_000) });
    expect((await t.api().get('/api/services/current').set(bearer(site.tokens.volunteer))).body.services).toEqual([]);
    // a phone whose own clock is in Tokyo: times still read on the campus's (Chicago's) clock
    const page = await open(site.tokens.volunteer, '/pickup', { viewport: PHONE, mobile: true, timezoneId: 'Asia/Tokyo' });
    await page.getByRole('tab', { name: 'Type code' }).click();
    await page.getByLabel('Security code from the parent’s tag').fill(ci.securityCode);
    await page.getByRole('button', { name: 'Find children' }).click();
    await page.getByRole('heading', { name: 'Closed family' }).waitFor();
    // a typed stranger: not on the list, needs a staff PIN and a reason
    await page.getByPlaceholder('Full name').fill('Sam Stranger');
    await page.getByTestId('not-on-list').waitFor();
    await page.getByTestId('override').waitFor();
    expect(await page.getByRole('button', { name: 'Check out 2 children' }).isDisabled()).toBe(true);
    await shot(page, 'pickup-override');
    // the listed guardian, tapped
    await page.getByRole('button', { name: 'Pat Closed' }).click();
    expect(await page.getByTestId('override').count()).toBe(0);
    await page.getByRole('button', { name: 'Check out 2 children' }).click();
    await page
      .getByTestId('confirm-release')
      .getByRole('button', { name: /^Yes, release/ })
      .click();
    await page.getByTestId('checkout-done').waitFor();
    const rows = await t.db('checkins').whereIn(
      'id',
      ci.checkins.map((c) => c.id),
    );
    expect(rows.every((r) => r.status === 'checked_out' && r.picked_up_by === 'Pat Closed' && r.picked_up_kind === 'guardian')).toBe(true);
    // the same code again: who picked up, when, and who verified
    await page.getByRole('button', { name: 'Next pickup' }).click();
    await page.getByRole('tab', { name: 'Type code' }).click();
    await page.getByLabel('Security code from the parent’s tag').fill(ci.securityCode);
    await page.getByRole('button', { name: 'Find children' }).click();
    await page.getByTestId('already-picked-up').waitFor();
    const lines = await page.getByTestId('picked-up-by').allTextContents();
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^Picked up by Pat Closed at \d{1,2}:\d{2}.*, verified by Test volunteer$/);
    const campusTime = new Intl.DateTimeFormat('en-US', { timeZone: site.timezone, hour: 'numeric', minute: '2-digit' }).format(rows[0].checked_out_at);
    const spaces = (s: string) => s.replace(/\s/g, ' ');
    expect(spaces(lines[0]!)).toContain(spaces(` at ${campusTime},`));
    await shot(page, 'pickup-already');
  });
});
