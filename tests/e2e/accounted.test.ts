/**
 * Every child accounted for (DESIGN §15), in the served staff UI (Chromium): a roll call one short
 * turns the roster red, beeps and puts the alarm in the title, on the dashboard too; an emergency
 * roll call on a volunteer's phone (390 px) updates the staff screen and the wall display live.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

jest.setTimeout(120_000);

declare const window: any;

const ROOMS = [
  { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 },
  { name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2, sortOrder: 2 },
];
let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(
  token: string,
  route: string,
  opts: { mobile?: boolean; tokenKey?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: opts.viewport ?? (opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 }),
    ...(opts.mobile ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(ctx);
  await ctx.addInitScript(
    ([k, v]) => {
      window.localStorage.setItem(k, v);
    },
    [opts.tokenKey ?? 'kc.staff.token', token],
  );
  // counts WebAudio oscillators: the alert beep
  await ctx.addInitScript(() => {
    window.__beeps = 0;
    const orig = window.AudioContext.prototype.createOscillator;
    window.AudioContext.prototype.createOscillator = function (this: unknown) {
      window.__beeps++;
      return orig.call(this);
    };
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${route}: ${e.message}`));
  await page.goto(`${t.baseUrl}/staff${route}`);
  return page;
}
async function checkIn(site: BuiltSite, children: { firstName: string; months: number }[]) {
  const fam = await buildHousehold(t.db, site.siteId, children);
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return Object.fromEntries((r.body.checkins as any[]).map((c) => [c.firstName, c.id])) as Record<string, string>;
}

describeBrowser('every child accounted for (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test('a roll call one short turns the roster red, names the child, beeps and shows in the title and on the dashboard; a matching count clears it', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const ids = await checkIn(site, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Ben', months: 26 },
      { firstName: 'Cy', months: 28 },
    ]);
    const dashboard = await open(site.tokens.staff, '/dashboard');
    await dashboard.locator('[data-live-status="live"]').waitFor();
    const roster = await open(site.tokens.staff, `/rosters/${site.rooms.Toddlers}`);
    await roster.locator('[data-live-status="live"]').waitFor();
    for (const name of ['Ada', 'Ben']) await t.api().put(`/api/checkins/${ids[name]}/present`).set(bearer(site.tokens.staff)).send({ present: true });
    await roster.reload();
    await roster.getByTestId('roll-call').getByText('2 present').first().waitFor();
    expect(await roster.locator('.rosters--alarm').count()).toBe(0);
    await roster.getByTestId('submit-roll-call').click();
    const banner = roster.getByTestId('mismatch-banner');
    await banner.waitFor();
    expect(await banner.locator('.mismatch-msg').textContent()).toMatch(/^Toddlers: roll call 2, system 3 \(1 short\) — not marked present: Cy /);
    await roster.locator('.rosters--alarm').waitFor();
    expect(await roster.evaluate(() => window.__beeps)).toBeGreaterThanOrEqual(1);
    expect(await roster.title()).toMatch(/^\(1\) ⚠ Alert — /);
    // the other staff screen: the alarm in the list, a beep, the title
    await dashboard.locator('.alert-item--headcount_mismatch').waitFor();
    await dashboard.locator(`.room-card--alarm[data-room-id="${site.rooms.Toddlers}"]`).waitFor();
    expect(await dashboard.evaluate(() => window.__beeps)).toBeGreaterThanOrEqual(1);
    expect(await dashboard.title()).toMatch(/^\(1\) ⚠ Alert — /);
    await roster.screenshot({ path: screenshotPath('accounted-roster-alarm'), fullPage: true });
    await dashboard.screenshot({ path: screenshotPath('accounted-dashboard-alarm') });
    // Cy found: a headcount of 3 clears it everywhere
    await roster.getByLabel('Manual headcount').fill('3');
    await roster.getByRole('button', { name: 'Record' }).click();
    await banner.waitFor({ state: 'detached' });
    await dashboard.locator('.alert-item--headcount_mismatch').waitFor({ state: 'detached' });
    expect(await roster.locator('.rosters--alarm').count()).toBe(0);
  });

  test('an emergency roll call: the room volunteer taps "Accounted for" on a 390 px phone; staff and the wall display follow live', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    await checkIn(site, [{ firstName: 'Nia', months: 6 }]);
    await checkIn(site, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Ben', months: 26 },
    ]);
    await t.db('volunteer_shifts').insert({
      organization_id: site.organizationId,
      site_id: site.siteId,
      service_id: site.serviceId,
      room_id: site.rooms.Toddlers,
      user_id: site.userIds.volunteer,
    });
    const displayToken = newToken('d');
    await t.db('displays').insert({ site_id: site.siteId, name: 'Lobby TV', token_hash: sha256(displayToken) });

    const staff = await open(site.tokens.staff, '/emergency');
    const wall = await open(displayToken, '/display', { tokenKey: 'kc.display.token', viewport: { width: 1920, height: 1080 } });
    const phone = await open(site.tokens.volunteer, '/emergency', { mobile: true });
    await phone.getByTestId('no-emergency').waitFor();
    await wall.locator('[data-live-status="live"]').waitFor();

    staff.once('dialog', (d) => void d.accept());
    await staff.getByLabel('Message (optional)').fill('Fire alarm — meet in the car park');
    await staff.getByTestId('emergency-start').click();
    await staff.getByTestId('emergency-head').waitFor();
    expect(await staff.getByTestId('emergency-total').textContent()).toBe('3');

    // the phone and the wall hear it without a refresh
    await phone.getByTestId('emergency-missing').waitFor();
    expect(await phone.locator('.emergency-child .emergency-name strong').allTextContents()).toEqual([
      expect.stringMatching(/^Ada /),
      expect.stringMatching(/^Ben /),
    ]);
    await wall.getByTestId('wall-emergency').waitFor();
    expect(await wall.title()).toMatch(/^🚨 Emergency roll call/);
    expect(await wall.getByTestId('wall-emergency').textContent()).not.toMatch(/Ada|Ben|Nia/);
    // the phone's list fits 390 px: nothing wider than the screen
    expect(await phone.evaluate(() => window.document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('accounted-emergency-phone'), fullPage: true });

    await phone.locator('.emergency-child').filter({ hasText: 'Ada' }).getByRole('button', { name: 'Accounted for' }).tap();
    await phone.getByTestId('emergency-done').getByText('Ada').waitFor();
    await staff.getByTestId('emergency-accounted').filter({ hasText: '1' }).waitFor();
    await wall.getByTestId('wall-emergency-accounted').filter({ hasText: '1' }).waitFor();
    await phone.locator('.emergency-child').filter({ hasText: 'Ben' }).getByRole('button', { name: 'Accounted for' }).tap();
    await staff.getByTestId('emergency-accounted').filter({ hasText: '2' }).waitFor();
    await phone.screenshot({ path: screenshotPath('accounted-emergency-phone-done'), fullPage: true });
    await staff.screenshot({ path: screenshotPath('accounted-emergency-staff'), fullPage: true });
    await wall.screenshot({ path: screenshotPath('accounted-emergency-wall') });

    // staff end it: every screen goes back
    staff.once('dialog', (d) => void d.accept());
    await staff.getByTestId('emergency-end').click();
    await staff.getByTestId('emergency-start').waitFor();
    await phone.getByTestId('no-emergency').waitFor();
    await wall.getByTestId('wall-emergency').waitFor({ state: 'detached' });
  });

  test('broadcast from the staff page at 1024 px (the top nav still one row): the list shows its recipients and delivery', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    await checkIn(site, [{ firstName: 'Ada', months: 24 }]);
    await checkIn(site, [{ firstName: 'Nia', months: 6 }]);
    const page = await open(site.tokens.staff, '/broadcasts', { viewport: { width: 1024, height: 768 } });
    await page.getByLabel('Message').waitFor();
    const tops = await page.locator('.nav-link').evaluateAll((els: any[]) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    await page.getByLabel('Room').selectOption({ label: 'Toddlers (1)' });
    await page.getByLabel('Message').fill('Pickup is at the side door today');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Send text' }).click();
    await page.getByText('Sending to 1 guardian').waitFor();
    const row = page.getByTestId('broadcasts').locator('tbody tr');
    await row.filter({ hasText: 'Pickup is at the side door today' }).waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('Toddlers');
    expect(await row.locator('td').nth(3).textContent()).toBe('1');
    await page.screenshot({ path: screenshotPath('accounted-broadcast-1024'), fullPage: true });
  });
});
