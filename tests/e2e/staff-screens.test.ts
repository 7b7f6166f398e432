/**
 * The staff app in a real Chromium against the served build (staff-ui/dist), the real server,
 * real Socket.IO and Postgres: the desk, families, reports and admin screens, and what a volunteer cannot reach.
 * Screens are saved under tests/artifacts/staff-*.png: desk screens at 1366 × 768, the pickup station at 390 × 844.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite, givePrinter } from '../support/factories';
import { checkIn, open, ROOMS, shot, startStaffBrowser, t, TOKEN_KEY } from './staff-harness';

jest.setTimeout(120_000);

// page.evaluate bodies run in the browser; the project compiles without the DOM lib.
declare const window: any, getComputedStyle: any;

describeBrowser('staff UI (served build, Chromium): screens', () => {
  startStaffBrowser();

  test('a volunteer cannot reach admin or staff pages, nor their APIs', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const page = await open(site.tokens.volunteer, '/admin/kiosks');
    await page.getByTestId('not-allowed').waitFor();
    expect(await page.getByTestId('not-allowed').textContent()).toContain('for admins only');
    await shot(page, 'volunteer-not-allowed');
    for (const route of ['/admin/rooms', '/admin/services', '/admin/settings', '/dashboard', '/families', '/reports']) {
      await page.goto(`${t.baseUrl}/staff${route}`);
      await page.getByTestId('not-allowed').waitFor();
    }
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Pickup', 'Rosters', 'Emergency']);
    const statuses = await page.evaluate(
      async ([k, siteId]) => {
        const h = { Authorization: `Bearer ${window.sessionStorage.getItem(k)}`, 'Content-Type': 'application/json' };
        const call = async (method: string, url: string, body?: unknown) =>
          (await window.fetch(url, { method, headers: h, body: body ? JSON.stringify(body) : undefined })).status;
        return [
          await call('GET', '/api/kiosks'),
          await call('POST', '/api/kiosks', { name: 'Sneaky', siteId, mode: 'checkin' }),
          await call('GET', '/api/rooms'),
          await call('POST', '/api/rooms', { name: 'Sneaky' }),
          await call('GET', '/api/site/settings'),
          await call('PATCH', '/api/site/settings', { strategy: 'balance' }),
          await call('POST', '/api/services', { name: 'X', startsAt: new Date().toISOString() }),
          await call('GET', '/api/households/search?q=ab'),
          await call('GET', '/api/reports/attendance?from=2026-01-01&to=2026-01-02'),
        ];
      },
      [TOKEN_KEY, site.siteId],
    );
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403]);
    expect(await t.db('kiosks').where({ site_id: site.siteId, name: 'Sneaky' }).count('* as n')).toEqual([{ n: 0 }]);
  });

  test('the welcome desk checks a family in (3 taps after the search), reprints its labels (1 tap) and undoes a mistaken check-in (3 taps); a guest child is added; printers show their last job', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    await givePrinter(t.db, site.kioskId, '127.0.0.1:9');
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Lena', months: 24, allergies: 'Peanuts' },
        { firstName: 'Milo', months: 48 },
      ],
      { phone: '+13125550931', lastName: 'Deskner' },
    );
    const page = await open(site.tokens.staff, '/desk');
    await page.getByRole('heading', { name: 'Welcome desk' }).waitFor();
    let taps = 0;
    const tap = async (l: ReturnType<Page['locator']>) => {
      taps += 1;
      await l.click();
    };

    await page.getByLabel('Find a family: name, parent, child or phone digits').fill('Deskner');
    await tap(page.getByRole('button', { name: /^Deskner/ }));
    const panel = page.getByRole('region', { name: 'Family Deskner' });
    await panel.getByText('Who is here today?').waitFor();
    await tap(panel.getByRole('checkbox', { name: /Milo/ })); // only Lena today
    await tap(panel.getByRole('button', { name: 'Check in 1 child' }));
    await panel.getByText('Lena → Toddlers').waitFor();
    expect(taps).toBe(3);
    const rows = await t.db('checkins').where({ household_id: fam.householdId });
    expect(rows).toHaveLength(1);
    expect(rows[0].user_id).toBe(site.userIds.staff); // checked in by the staff member, under the same rules
    await shot(page, 'desk-checked-in');

    taps = 0;
    await tap(panel.getByRole('button', { name: 'Reprint labels' }));
    await panel.getByText(/Labels ready for the family: 2 labels/).waitFor();
    expect(taps).toBe(1);
    expect(await t.db('audit_log').where({ action: 'labels.reprint', site_id: site.siteId })).toHaveLength(1);

    taps = 0;
    await tap(panel.getByRole('button', { name: 'Undo check-in' }));
    await panel.getByLabel('Why undo?').fill('checked in the wrong child');
    await tap(panel.getByRole('button', { name: 'Confirm undo' }));
    await panel.getByText('Lena’s check-in was undone.').waitFor();
    taps += 1; // typing the reason
    expect(taps).toBe(3);
    expect((await t.db('checkins').where({ id: rows[0].id }).first()).status).toBe('cancelled');
    expect((await t.db('audit_log').where({ entity_id: rows[0].id, action: 'checkin.cancel' }).first()).details.reason).toBe('checked in the wrong child');
    await panel.getByRole('button', { name: 'Check in 2 children' }).waitFor();

    // a guest child, then checked in with the family
    await panel.getByLabel('First name').fill('Guest');
    await panel.getByLabel('Birthdate').fill(new Date(Date.now() - 3 * 365 * 86400_000).toISOString().slice(0, 10));
    await panel.getByRole('button', { name: 'Add child' }).click();
    await panel.getByRole('checkbox', { name: /Guest/ }).waitFor();
    expect(await t.db('children').where({ household_id: fam.householdId, first_name: 'Guest' })).toHaveLength(1);

    // the kiosk printer: nothing sent yet, then a failed test print shows
    const printers = page.getByTestId('printer-table');
    await printers.getByText('Nothing sent yet').waitFor();
    await printers.getByRole('button', { name: 'Test print' }).click();
    await printers.getByText(/^Failed/).waitFor();
    await shot(page, 'desk-undone-guest-printers');
  });

  test('families, reports and admin screens work against the API', async () => {
    const site = await buildSite(t.db, { rooms: ROOMS, name: 'Grace North' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zora', months: 24, allergies: 'Eggs', medicalNotes: 'EpiPen in the front pocket' }], {
      lastName: 'Quill',
      phone: '+13125550142',
    });
    const other = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Milo', months: 50 },
        { firstName: 'Ivy', grade: 1 },
      ],
      { lastName: 'Park' },
    );
    await checkIn(site, fam.householdId, fam.childIds);
    await checkIn(site, other.householdId, other.childIds);

    // families: register a new family
    const page = await open(site.tokens.admin, '/families');
    await page.getByRole('link', { name: 'New family' }).click();
    const guardian = page.locator('section', { has: page.getByRole('heading', { name: 'Parent or guardian' }) });
    await guardian.getByLabel('First name').fill('Noor');
    await guardian.getByLabel('Last name').fill('Haddad');
    await guardian.getByLabel('Mobile').fill('312 555 0177');
    const child = page.locator('section', { has: page.getByRole('heading', { name: 'Child 1' }) });
    await child.getByLabel('First name').fill('Sami');
    await child.getByLabel('Birthdate').fill('2022-03-14');
    await child.getByLabel('Allergies').fill('Sesame');
    await page.getByRole('button', { name: 'Register family' }).click();
    await page.getByRole('heading', { name: /Haddad family/ }).waitFor();
    const created = await t.db('households').where({ site_id: site.siteId, name: 'Haddad family' }).first();
    expect(await t.db('children').where({ household_id: created.id }).select('first_name', 'last_name', 'birthdate', 'allergies')).toEqual([
      { first_name: 'Sami', last_name: 'Haddad', birthdate: '2022-03-14', allergies: 'Sesame' },
    ]);
    expect(await t.db('guardians').where({ household_id: created.id }).pluck('phone')).toEqual(['+13125550177']);

    // families: search by phone digits, open, add a custody alert
    await page.goto(`${t.baseUrl}/staff/families`);
    await page.getByLabel(/Search by family/).fill('0142');
    await page.getByRole('link', { name: /Quill family/ }).click();
    await page.getByRole('heading', { name: /Quill family/ }).waitFor();
    await page.getByText('Medical: EpiPen in the front pocket').waitFor();
    const custody = page.locator('section', { has: page.getByRole('heading', { name: /Custody alerts/ }) });
    await custody.getByRole('button', { name: 'Add' }).click();
    await custody.getByLabel('Person who may NOT pick up').fill('Rex Quill');
    await custody.getByLabel(/^Note/).fill('No contact order');
    await custody.getByRole('button', { name: 'Add custody alert' }).click();
    await page.getByRole('alert').filter({ hasText: 'do NOT release all children to Rex Quill' }).waitFor();
    expect(await t.db('custody_alerts').where({ household_id: fam.householdId }).pluck('name')).toEqual(['Rex Quill']);
    // a bad phone for a new guardian: the API's 400 is shown and the field marked
    const guardians = page.locator('section', { has: page.getByRole('heading', { name: 'Parents and guardians' }) });
    await guardians.getByRole('button', { name: 'Add' }).click();
    await guardians.getByLabel('First name').fill('Lee');
    await guardians.getByLabel('Mobile').fill('555-1234');
    await guardians.getByRole('button', { name: 'Add guardian' }).click();
    const phoneError = guardians.getByRole('alert').filter({ hasText: 'phone' });
    await phoneError.waitFor();
    // in plain words: "Phone: …", not the API's "phone: …"
    const said = (await phoneError.first().textContent()) ?? '';
    expect(said).toMatch(/^Phone[: ]/);
    expect(said).not.toMatch(/\bphone:/);
    expect(await guardians.getByLabel('Mobile').getAttribute('aria-invalid')).toBe('true');
    await guardians.getByLabel('Mobile').fill('(312) 555-0199');
    await guardians.getByRole('button', { name: 'Add guardian' }).click();
    await guardians.getByText('(312) 555-0199').waitFor();
    await shot(page, 'family');

    // reports: the service with its rooms, the chart, first-time families
    await page.goto(`${t.baseUrl}/staff/reports`);
    await page.getByTestId('timeline-chart').waitFor();
    expect(await page.getByTestId('service-report').textContent()).toContain('Quill family — Zora');
    expect(await page.getByTestId('attendance-table').locator('tbody tr').first().textContent()).toMatch(/Test Service.*3.*2.*2/);
    expect(await page.getByTestId('timeline-chart').locator('rect.bar').count()).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV (rooms)' }).click();
    const csv = fs.readFileSync(await (await download).path(), 'utf8');
    expect(csv).toContain('service_date,service,starts_at,room,children');
    expect(csv).toMatch(/Test Service,[^,]+,Toddlers,1,1,0,3,2,2/);
    await shot(page, 'reports');

    // admin: pair a kiosk, the code shown big
    await page.goto(`${t.baseUrl}/staff/admin/kiosks`);
    await page.getByRole('button', { name: 'Pair a new kiosk' }).click();
    await page.getByLabel('Name').fill('Door 3 tablet');
    await page.getByRole('button', { name: 'Create and show pairing code' }).click();
    const codeText = (await page.getByTestId('pairing-code').textContent())!.replace(/\s/g, '');
    expect(codeText).toMatch(/^[A-Z0-9]{8}$/);
    expect(await page.getByTestId('pairing-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    const paired = await t.api().post('/api/kiosks/pair').send({ pairingCode: codeText });
    expect(paired.status).toBe(200);
    expect(paired.body.kiosk.name).toBe('Door 3 tablet');
    await shot(page, 'admin-kiosks');

    // admin: add a room; it joins the current service closed
    await page.goto(`${t.baseUrl}/staff/admin/rooms`);
    await page.getByRole('button', { name: 'Add a room' }).click();
    await page.getByLabel(/^Name/).fill('Toddlers B');
    await page.getByLabel(/^Age group/).fill('Toddlers');
    await page.getByLabel(/^From age/).fill('12');
    await page.getByLabel(/^To age/).fill('35');
    await page.getByLabel(/^Where it is/).fill('Upstairs, second door on the left'); // shown at the kiosk (#30)
    await page.getByRole('button', { name: 'Add room' }).click();
    await page.getByText('Toddlers B').waitFor();
    const room = await t.db('rooms').where({ site_id: site.siteId, name: 'Toddlers B' }).first();
    expect(room).toEqual(
      expect.objectContaining({ age_group: 'Toddlers', min_age_months: 12, max_age_months: 35, location: 'Upstairs, second door on the left' }),
    );
    expect((await t.db('service_rooms').where({ service_id: site.serviceId, room_id: room.id }).first()).open).toBe(false);
    await shot(page, 'admin-rooms');

    // admin: schedule a service (site timezone), with its rooms from the defaults
    await page.goto(`${t.baseUrl}/staff/admin/services`);
    await page.getByRole('button', { name: 'Schedule a service' }).click();
    await page.getByLabel(/^Name/).fill('Sunday 9:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByText('Sunday 9:00').waitFor();
    const svc = await t.db('services').where({ site_id: site.siteId, name: 'Sunday 9:00' }).first();
    expect(new Intl.DateTimeFormat('en-US', { timeZone: site.timezone, hour: 'numeric', minute: '2-digit', weekday: 'long' }).format(svc.starts_at)).toBe(
      'Sunday 9:00 AM',
    );
    expect(await t.db('service_rooms').where({ service_id: svc.id }).count('* as n')).toEqual([{ n: ROOMS.length + 1 }]);
    await shot(page, 'admin-services');

    // admin: settings; only the changed key is stored
    await page.goto(`${t.baseUrl}/staff/admin/settings`);
    await page.getByLabel(/Nearly full/).fill('70');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await t.db('sites').where({ id: site.siteId }).first()).settings).toEqual({ softThresholdPct: 70 });
    await shot(page, 'admin-settings');
  });

  test("family search shows only the current term's answer: a slow answer to an older term never replaces it (Families and the desk)", async () => {
    const site = await buildSite(t.db, { rooms: ROOMS });
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Jay', months: 24 }], { lastName: 'Johnson' });
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Kim', months: 24 }], { lastName: 'Jordan' });
    for (const [route, label] of [
      ['/families', /Search by family/],
      ['/desk', /Find a family/],
    ] as const) {
      const page = await open(site.tokens.staff, route);
      // the answer to "Jo" is held back until after "Johnson" has been answered
      let releaseJo!: () => void;
      const joHeld = new Promise<void>((resolve) => (releaseJo = resolve));
      await page.route(/\/api\/households\/search\?q=Jo$/, async (r) => {
        await joHeld;
        await r.continue();
      });
      const box = page.getByLabel(label);
      const joAsked = page.waitForRequest(/search\?q=Jo$/);
      await box.fill('Jo');
      await joAsked;
      await box.fill('Johnson');
      await page
        .getByText(/Johnson/)
        .first()
        .waitFor();
      const joAnswered = page.waitForResponse(/search\?q=Jo$/);
      releaseJo();
      await joAnswered;
      await page.evaluate(() => new Promise((r) => window.requestAnimationFrame(() => window.requestAnimationFrame(r))));
      expect(await page.getByText(/Jordan/).count()).toBe(0);
      expect(await page.getByText(/Johnson/).count()).toBeGreaterThan(0);
      // going back to the shorter term shows its own answer, both families
      await box.fill('Jo');
      await page
        .getByText(/Jordan/)
        .first()
        .waitFor();
    }
  });
});
