/**
 * Volunteers in the room, in the served staff UI (Chromium): staff check a volunteer in from the
 * room card, "over ratio" looks different from "full", lowering volunteers below what the
 * children need asks first, and a room volunteer taps a medical badge to read the note.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHousehold, buildSite, key } from '../support/factories';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { bearer, startTestApp, type TestApp } from '../support/harness';

const TOKEN_KEY = 'kc.staff.token';
let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
async function open(token: string, route: string, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 },
    ...(mobile ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(ctx);
  await ctx.addInitScript(
    ([k, v]) => {
      (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(k!, v!);
    },
    [TOKEN_KEY, token],
  );
  const page = await ctx.newPage();
  await page.goto(`${t.baseUrl}/staff${route}`);
  return page;
}

describeBrowser('volunteers in the room (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  test('check a volunteer in from the dashboard, over ratio vs full, confirm before going short, tap to read a medical note', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 },
        { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 2, ratio: 8, volunteers: 1 },
      ],
      // ratios that bind (DESIGN §15), one adult enough: this test is about the ratio itself
      settings: { ratioEnforcement: 'enforce', twoAdultRule: false },
    });
    const expiresOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await t.db('users').where({ id: site.userIds.volunteer }).update({ background_check_status: 'cleared', background_check_expires_on: expiresOn });
    const page = await open(site.tokens.staff, '/dashboard');
    const toddlers = page.locator(`[data-room-id="${site.rooms.Toddlers}"]`);
    await toddlers.getByLabel('Volunteer to check in to Toddlers').selectOption(site.userIds.volunteer);
    await toddlers.getByRole('button', { name: 'Check in', exact: true }).click();
    // the name tag, or (on a failure) the room's error says what went wrong
    await toddlers.getByTestId('name-tag').or(toddlers.getByRole('alert')).first().waitFor({ timeout: 15_000 });
    expect((await toddlers.getByRole('alert').count()) ? await toddlers.getByRole('alert').first().textContent() : '').toBe('');
    await toddlers.getByTestId('name-tag').waitFor();
    await expect(toddlers.getByTestId('volunteers').textContent()).resolves.toBe('1');
    // 5 toddlers with 1 volunteer, then staff add one more on paper, and 2 preschoolers: full
    await t.db('service_rooms').where({ service_id: site.serviceId, room_id: site.rooms.Toddlers }).update({ volunteers: 2 });
    for (let i = 0; i < 7; i++) {
      const fam = await buildHousehold(t.db, site.siteId, [{ months: 24, medicalNotes: i === 0 ? 'Inhaler in the red pouch' : '' }]);
      await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    }
    for (let i = 0; i < 2; i++) {
      const fam = await buildHousehold(t.db, site.siteId, [{ months: 48 }]);
      await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    }
    await page.reload();
    await toddlers.getByTestId('headcount').filter({ hasText: '7' }).waitFor();
    // lowering to 1 volunteer asks first: dismissed, nothing changes; accepted, the room is over ratio
    // the confirmation is dismissed as soon as it shows so the click can finish
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      });
    });
    // staff correct the volunteers present: the number and why (DESIGN §15)
    await toddlers.getByRole('button', { name: 'Correct the volunteers present in Toddlers' }).click();
    await toddlers.getByLabel('Volunteers present in Toddlers', { exact: true }).fill('1');
    await toddlers.getByLabel('Why', { exact: true }).fill('Robin went home');
    await toddlers.getByRole('button', { name: 'Save', exact: true }).click();
    const message = await Promise.race([asked, new Promise<string>((resolve) => setTimeout(() => resolve('(no confirmation within 10 s)'), 10_000))]);
    expect(message).toContain('need 2 volunteers');
    await expect(toddlers.getByTestId('volunteers').textContent()).resolves.toBe('2');
    page.once('dialog', (d) => {
      void d.accept();
    });
    await toddlers.getByRole('button', { name: 'Save', exact: true }).click();
    await toddlers.getByTestId('volunteer-correction').filter({ hasText: 'Robin went home' }).waitFor();
    await page.locator(`[data-room-id="${site.rooms.Toddlers}"][data-status="over_ratio"]`).waitFor();
    await expect(toddlers.locator('.status-chip').textContent()).resolves.toBe('Over ratio');
    const preschool = page.locator(`[data-room-id="${site.rooms.Preschool}"]`);
    await expect(preschool.getAttribute('data-status')).resolves.toBe('full');
    await page.locator('.alert-list').getByText('Toddlers is below ratio').waitFor();
    await page.screenshot({ path: screenshotPath('volunteers-dashboard'), fullPage: true });

    // the volunteer in Toddlers, on a phone: taps Medical to read the note
    const phone = await open(site.tokens.volunteer, `/rosters/${site.rooms.Toddlers}`, true);
    const line = phone.locator('.roster-line').filter({ has: phone.locator('.medical-toggle') });
    await line.locator('.medical-toggle').tap();
    await expect(line.getByTestId('medical-note').textContent()).resolves.toBe('Inhaler in the red pouch');
    await phone
      .getByTestId('roll-call')
      .getByText('0 present')
      .waitFor()
      .catch(() => undefined);
    await line.getByRole('button', { name: 'Mark present' }).tap();
    await line.getByRole('button', { name: 'Present ✓' }).waitFor();
    await phone.screenshot({ path: screenshotPath('volunteers-roster-phone'), fullPage: true });
  }, 90_000);
});
