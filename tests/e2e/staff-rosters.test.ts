/**
 * The staff app in a real Chromium against the served build (staff-ui/dist), the real server,
 * real Socket.IO and Postgres: rosters: medical notes, moves, mending mistakes, paging a parent with live delivery status.
 * Screens are saved under tests/artifacts/staff-*.png: desk screens at 1366 × 768, the pickup station at 390 × 844.
 */
import type { Page } from 'playwright-core';
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
import { fakePrinter } from '../support/printer';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { startFakeTwilio, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { browser, card, checkIn, contexts, ensureBuild, open, pageErrors, ROOMS, shot, startBrowser, startStaffBrowser, t } from './staff-harness';

jest.setTimeout(120_000);

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const window: any, document: any, MutationObserver: any;

describeBrowser('staff UI (served build, Chromium): rosters', () => {
  startStaffBrowser();

  test('rosters on the desk: medical notes for staff, moving a child updates both rooms live', async () => {
    const site = await buildSite(t.db, {
      rooms: [
        ...ROOMS,
        { name: 'Toddlers B', ageGroup: 'Toddlers', minAgeMonths: 12, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 1, sortOrder: 2 },
      ],
    });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 30, allergies: 'Peanuts', medicalNotes: 'Inhaler in bag' }], {
      lastName: 'King',
    });
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    const page = await open(site.tokens.staff, `/rosters/${site.rooms.Toddlers}`);
    const line = page.locator(`[data-checkin-id="${ci.checkins[0]!.id}"]`);
    // the note is a tap away (a touch screen has no hover): a button that expands it
    await line.getByRole('button', { name: /^Medical/ }).click();
    await expect(line.getByTestId('medical-note').textContent()).resolves.toBe('Inhaler in bag');
    await shot(page, 'roster');
    // a volunteer not checked in to the room never gets the note
    const vol = await open(site.tokens.volunteer, `/rosters/${site.rooms.Toddlers}`);
    await vol.locator(`[data-checkin-id="${ci.checkins[0]!.id}"]`).getByText('Medical').waitFor();
    expect(await vol.content()).not.toContain('Inhaler');
    const dash = await open(site.tokens.admin, '/dashboard');
    await card(dash, site.rooms.Toddlers!).getByTestId('headcount').filter({ hasText: '1' }).waitFor();

    await line.getByRole('button', { name: 'Move' }).click();
    // only rooms the child may use are offered
    const select = line.getByLabel('Move Ada to');
    expect(await select.locator(`option[value="${site.rooms.Preschool}"]`).isDisabled()).toBe(true);
    await select.selectOption(site.rooms['Toddlers B']!);
    await line.locator('form').getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByText('No children checked in here yet.').waitFor(); // the roster refetched: Ada left Toddlers
    await card(dash, site.rooms['Toddlers B']!).getByTestId('headcount').filter({ hasText: '1' }).waitFor({ timeout: 2000 });
    expect(await card(dash, site.rooms.Toddlers!).getByTestId('headcount').textContent()).toBe('0');
    expect((await t.db('checkins').where({ id: ci.checkins[0]!.id }).first()).room_id).toBe(site.rooms['Toddlers B']);
  });

  test("mistakes mended from the roster: staff undo a checkout (the child is back in the count) and reprint the family's labels on a kiosk printer", async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ona', months: 30 }], { lastName: 'Reyes' });
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    const printer = await fakePrinter();
    const jobs = printer.jobs;
    try {
      await givePrinter(t.db, site.kioskId, printer.address);
      const page = await open(site.tokens.staff, `/rosters/${site.rooms.Toddlers}`);
      const line = page.locator(`[data-checkin-id="${ci.checkins[0]!.id}"]`);
      await line.getByRole('button', { name: 'Reprint labels' }).click();
      await line.getByRole('button', { name: 'Print', exact: true }).click();
      await line.getByText(/2 labels sent to/).waitFor();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toContain('Ona');
      expect(jobs[0]).toContain(ci.securityCode);

      // checked out by mistake, then undone from the roster
      const out = await t
        .api()
        .post('/api/checkouts')
        .set(bearer(site.tokens.staff))
        .send({ checkinIds: [ci.checkins[0]!.id], securityCode: ci.securityCode, pickedUpBy: 'Pat Reyes' });
      expect(out.status).toBe(200);
      await page.getByLabel('Show picked up').check();
      await line.getByRole('button', { name: 'Undo checkout' }).click();
      await line.getByLabel(/Why is Ona back/).fill('wrong child checked out');
      await line.locator('form').getByRole('button', { name: 'Undo checkout' }).click();
      await line.getByText('Ona is back in Toddlers').waitFor();
      // the roster refetched: Ona is in again (no "picked up" badge, the room's actions back)
      await line.getByText(/Picked up by/).waitFor({ state: 'detached' });
      await line.getByRole('button', { name: 'Page parent' }).waitFor();
      expect((await t.db('checkins').where({ id: ci.checkins[0]!.id }).first()).status).toBe('checked_in');
      const audit = await t.db('audit_log').where({ entity_id: ci.checkins[0]!.id, action: 'checkout.undo' });
      expect(audit).toHaveLength(1);
      await shot(page, 'roster-mended');
    } finally {
      await printer.close();
    }
  });
});

// Written last: it needs the SMS dispatcher and the local Twilio-compatible server.
describeBrowser('staff UI: paging a parent, delivery status live from the local Twilio-compatible server', () => {
  let app: TestApp;
  let fake: FakeTwilio;
  beforeAll(async () => {
    ensureBuild();
    fake = await startFakeTwilio({ callbackDelayMs: 300 });
    app = await startTestApp({ dispatcher: true, env: { ...fake.env(), SERVE_UI: 'true' } });
    await startBrowser();
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    await browser?.close();
    await app?.stop();
    await fake?.close();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const pageFamily = async (site: BuiltSite, phone: string, lastName: string) => {
    const fam = await buildHousehold(app.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { phone, lastName });
    const r = await app
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    return r.body.checkins[0].id as string;
  };
  /** Records every delivery status the page shows, in order. */
  const watchStatuses = (page: Page) =>
    page.evaluate(() => {
      window.__seen = [];
      const look = () => {
        for (const el of document.querySelectorAll('[data-sms-status]')) {
          const s = el.getAttribute('data-sms-status');
          if (window.__seen[window.__seen.length - 1] !== s) window.__seen.push(s);
        }
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });

  test('staff page a guardian from the roster: the text goes out and its status runs to Delivered on screen; a bad number shows Failed', async () => {
    const site = await buildSite(app.db, { rooms: ROOMS, name: 'Grace East' });
    const good = await pageFamily(site, '+13125550147', 'Page');
    const bad = await pageFamily(site, '+13125550000', 'Nobody'); // the fake refuses numbers ending 0000
    const page = await open(site.tokens.volunteer, `/rosters/${site.rooms.Toddlers}`, { base: app.baseUrl });
    const line = page.locator(`[data-checkin-id="${good}"]`);
    await line.waitFor();
    await page.locator('[data-live-status="live"]').waitFor();
    await watchStatuses(page);

    await line.getByRole('button', { name: 'Page parent' }).click();
    await line.getByLabel(/Message to the guardians/).fill('Ada needs a change of clothes');
    await line.getByRole('button', { name: 'Send page' }).click();
    await line.locator('[data-sms-status="delivered"]').waitFor({ timeout: 10_000 });
    const seen: string[] = await page.evaluate(() => window.__seen);
    expect(seen[0]).not.toBe('delivered'); // it was shown before it was delivered…
    expect(seen[seen.length - 1]).toBe('delivered'); // …and changed on screen, without a reload
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const sent = fake.messages.filter((m) => m.to === '+13125550147' && m.body.includes('Ada needs a change of clothes'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toContain('Toddlers');
    expect((await app.db('notifications').where({ checkin_id: good, kind: 'page' }).first()).status).toBe('delivered');
    await line.getByText(/Page queued/).waitFor();
    await shot(page, 'roster-page-delivered');

    const badLine = page.locator(`[data-checkin-id="${bad}"]`);
    await badLine.getByRole('button', { name: 'Page parent' }).click();
    await badLine.getByRole('button', { name: 'Send page' }).click();
    await badLine.locator('[data-sms-status="failed"]').waitFor({ timeout: 10_000 });
    expect(await badLine.getByTestId('page-status').textContent()).toMatch(/Failed/);
    await shot(page, 'roster-page-failed');
  });
});

describeBrowser('staff UI without an SMS provider: honest status', () => {
  let app: TestApp;
  beforeAll(async () => {
    ensureBuild();
    // no TWILIO_* settings: the dispatcher writes texts to the log
    app = await startTestApp({ dispatcher: true, env: { SERVE_UI: 'true' } });
    await startBrowser();
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
    await browser?.close();
    await app?.stop();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test('staff see a banner that texts are not sent, and a page shows "Logged, not sent", never "Sent"', async () => {
    const site = await buildSite(app.db, { rooms: ROOMS, name: 'Grace Quiet' });
    const fam = await buildHousehold(app.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { phone: '+13125550148', lastName: 'Quiet' });
    const r = await app
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(r.status).toBe(201);
    const checkinId = r.body.checkins[0].id as string;

    const page = await open(site.tokens.staff, `/rosters/${site.rooms.Toddlers}`, { base: app.baseUrl });
    const banner = page.getByTestId('sms-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Text messages are not being sent: no SMS provider is configured/);
    const line = page.locator(`[data-checkin-id="${checkinId}"]`);
    await line.waitFor();
    await page.locator('[data-live-status="live"]').waitFor();
    await line.getByRole('button', { name: 'Page parent' }).click();
    await line.getByLabel(/Message to the guardians/).fill('Ada needs a nap');
    await line.getByRole('button', { name: 'Send page' }).click();
    // the status arrives by event after the dispatcher "sent" it to the log
    await line.locator('[data-sms-status="logged"]').waitFor({ timeout: 10_000 });
    const status = await line.getByTestId('page-status').textContent();
    expect(status).toMatch(/Logged, not sent/);
    expect(status).not.toMatch(/\bSent\b/);
    // the family's check-in receipt was logged the same way, not marked sent
    const receipt = await app.db('notifications').where({ site_id: site.siteId, kind: 'checkin_receipt' }).first();
    expect(receipt.status).toBe('logged');
    await shot(page, 'sms-not-configured');

    // a volunteer's screen carries no staff banner
    const vol = await open(site.tokens.volunteer, `/rosters/${site.rooms.Toddlers}`, { base: app.baseUrl });
    await vol.locator(`[data-checkin-id="${checkinId}"]`).waitFor();
    expect(await vol.getByTestId('sms-banner').count()).toBe(0);
  });
});
