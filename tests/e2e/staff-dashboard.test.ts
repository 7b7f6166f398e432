/**
 * The staff app in a real Chromium against the served build (staff-ui/dist), the real server,
 * real Socket.IO and Postgres: the live dashboard: sign-in, check-ins arriving live, room alerts, no reload flash.
 * Screens are saved under tests/artifacts/staff-*.png: desk screens at 1366 × 768, the pickup station at 390 × 844.
 */
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { hashPassword } from '../../server/src/auth/crypto';
import { card, checkIn, open, ROOMS, shot, startStaffBrowser, t, TOKEN_KEY } from './staff-harness';

jest.setTimeout(120_000);

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const window: any, document: any, getComputedStyle: any, MutationObserver: any;

describeBrowser('staff UI (served build, Chromium): dashboard', () => {
  startStaffBrowser();

  test('login form → live dashboard: a check-in appears within a second without reload; edits in place; lost/back connection', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const email = (await t.db('users').where({ id: site.userIds.staff }).first()).email as string;
    await t
      .db('users')
      .where({ id: site.userIds.staff })
      .update({ password_hash: await hashPassword('correct horse 42'), name: 'Sam Staff' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }]);

    const page = await open(null, '/');
    await page.waitForURL(/\/staff\/login/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is wrong').waitFor();
    await shot(page, 'login');
    await page.getByLabel('Password').fill('correct horse 42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff\/dashboard$/);
    const toddlers = card(page, site.rooms.Toddlers!);
    await toddlers.getByTestId('headcount').filter({ hasText: '0' }).waitFor();
    await page.locator('[data-live-status="live"]').waitFor();
    // staff see the dashboard and families, not the admin area
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Pickup', 'Rosters', 'Desk', 'Families', 'Reports', 'Broadcast', 'Emergency']);

    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    const started = Date.now();
    await checkIn(site, fam.householdId, fam.childIds);
    await page.waitForFunction((id) => document.querySelector(`[data-room-id="${id}"] [data-testid="headcount"]`)?.textContent === '1', site.rooms.Toddlers, {
      timeout: 1000,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
    expect(await page.getByTestId('total-children').textContent()).toBe('1');

    // volunteers and capacity in place; a capacity below the children present is refused (409) and shown
    await toddlers.getByRole('button', { name: 'Correct the volunteers present in Toddlers' }).click();
    await toddlers.getByLabel('Volunteers present in Toddlers', { exact: true }).fill('3');
    await toddlers.getByLabel('Why', { exact: true }).fill('Two helpers without phones');
    await toddlers.getByRole('button', { name: 'Save', exact: true }).click();
    await toddlers.getByTestId('volunteers').filter({ hasText: '3' }).waitFor();
    expect((await t.db('service_rooms').where({ service_id: site.serviceId, room_id: site.rooms.Toddlers }).first()).volunteers).toBe(3);
    const cap = toddlers.getByLabel('Capacity of Toddlers');
    await cap.fill('0');
    await cap.press('Enter');
    await toddlers.getByRole('alert').filter({ hasText: 'capacity cannot go below' }).waitFor();
    expect(await cap.inputValue()).toBe('10');
    await cap.fill('4');
    await cap.press('Enter');
    await toddlers.locator('.of').filter({ hasText: '/ 4' }).waitFor();
    // open the closed overflow room
    const overflow = card(page, site.rooms.Overflow!);
    expect(await overflow.getAttribute('data-status')).toBe('closed');
    await overflow.getByRole('button', { name: 'Open room' }).click();
    await page.waitForFunction((id) => document.querySelector(`[data-room-id="${id}"]`)?.getAttribute('data-status') === 'open', site.rooms.Overflow);
    await shot(page, 'dashboard');

    // the live connection drops (server-side) and comes back: the page says so, then refetches
    t.io.disconnectSockets(true);
    await page.locator('[data-live="lost"]').waitFor({ timeout: 3000 });
    await shot(page, 'dashboard-connection-lost');
    const other = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ben', months: 30 }]);
    await checkIn(site, other.householdId, other.childIds); // while disconnected
    await page.locator('[data-live="back"]').waitFor({ timeout: 5000 });
    await page.waitForFunction((id) => document.querySelector(`[data-room-id="${id}"] [data-testid="headcount"]`)?.textContent === '2', site.rooms.Toddlers, {
      timeout: 3000,
    });
    expect(await page.evaluate(() => window.__sameDocument)).toBe(true);

    // sign out revokes the session
    await page.locator('.topbar-end').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/staff\/login/);
    expect(await t.db('sessions').where({ user_id: site.userIds.staff }).whereNotNull('revoked_at').count('* as n')).toEqual([{ n: 1 }]);
    expect(await page.evaluate((k) => window.sessionStorage.getItem(k) ?? window.localStorage.getItem(k), TOKEN_KEY)).toBeNull();
  });

  test('filling a room raises the alert on two dashboards (beep + highlight, reduced motion respected); acknowledging it on one clears it on the other', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        { name: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 47, capacity: 2, ratio: null, volunteers: 1 },
        { name: 'K-2', minGrade: 0, maxGrade: 2, capacity: 10, ratio: null, volunteers: 1 },
      ],
    });
    const a = await open(site.tokens.staff, '/dashboard');
    const b = await open(site.tokens.admin, '/dashboard', { reducedMotion: 'reduce' });
    for (const p of [a, b]) {
      await p.getByTestId('no-alerts').waitFor();
      await p.locator('[data-live-status="live"]').waitFor();
    }
    await b.locator('h1').first().click(); // a user gesture lets the page play sound

    for (let i = 0; i < 2; i++) {
      const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
      await checkIn(site, fam.householdId, fam.childIds);
    }
    const alertA = a.locator('.alert-item[data-state="active"]');
    const alertB = b.locator('.alert-item[data-state="active"]');
    await alertA.waitFor({ timeout: 2000 });
    await alertB.waitFor({ timeout: 2000 });
    expect(await alertA.locator('.alert-msg').textContent()).toMatch(/^Open a new Toddlers room/);
    expect(await card(a, site.rooms.Toddlers!).getAttribute('data-status')).toBe('full');
    // the cue: highlighted, pulsing unless the user asked for less motion, and a beep
    expect(await alertA.getAttribute('class')).toContain('alert-item--new');
    expect(await alertA.evaluate((el) => getComputedStyle(el).animationName)).toBe('alert-pulse');
    expect(await alertB.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    expect(await alertB.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    expect(await b.evaluate(() => window.__beeps)).toBeGreaterThanOrEqual(1);
    await a.getByText('Full now').waitFor();
    await a.waitForTimeout(600); // let the fill bar finish its transition
    await shot(a, 'dashboard-alert');

    await alertA.getByRole('button', { name: 'Acknowledge' }).click();
    await b.getByTestId('no-alerts').waitFor({ timeout: 2000 });
    await a.getByTestId('no-alerts').waitFor();
    expect(await b.locator('.alert-item[data-state="active"]').count()).toBe(0);
    expect(await b.locator('.alert-item[data-state="acknowledged"]').count()).toBe(1);
    const row = await t.db('alerts').where({ service_id: site.serviceId }).first();
    expect(row.acknowledged_at).toBeTruthy();
    expect(row.acknowledged_by).toBe(site.userIds.staff);
  });

  test('no reload flash on navigation: a page visited before shows its data at once, then refreshes it', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Nia', months: 24 }], { lastName: 'Flash' });
    await checkIn(site, fam.householdId, fam.childIds);
    const page = await open(site.tokens.admin, '/reports');
    await page.getByTestId('attendance-table').waitFor();
    await page.getByTestId('service-report').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Families' }).click();
    await page.getByRole('heading', { name: 'Families' }).waitFor();
    // from here on, any "Loading…" put on screen is counted
    await page.evaluate(() => {
      window.__loadingShown = 0;
      new MutationObserver(() => {
        if (document.body.innerText.includes('Loading…')) window.__loadingShown++;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const refreshed = page.waitForResponse((r) => r.url().includes('/api/reports/attendance?'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByTestId('attendance-table').waitFor();
    expect(await page.getByTestId('attendance-table').getByText('Test Service').count()).toBeGreaterThan(0);
    await refreshed; // the cached report was shown and asked for again
    await page.getByTestId('service-report').waitFor();
    expect(await page.evaluate(() => window.__loadingShown)).toBe(0);
  });
});
