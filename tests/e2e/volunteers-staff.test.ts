/**
 * The staff Volunteers page (Reports → Volunteers, issue #17) in the served build (Chromium) at
 * 1024 px: who served where and when, background checks with those expiring within 30 days
 * highlighted, and recording a check makes the volunteer eligible to serve.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, dateInTimezone } from '../../contracts/rules';
import { buildSite } from '../support/factories';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { bearer, startTestApp, type TestApp } from '../support/harness';

const TOKEN_KEY = 'kc.staff.token';
let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
async function open(token: string, route: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 } });
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
// the page counts days on the campus's date (its time zone), so the expiry is set from that date too:
// between 00:00 and ~06:00 UTC the UTC date is already tomorrow in Chicago
const inDays = (n: number, timezone: string) => addDays(dateInTimezone(new Date(), timezone), n);

describeBrowser('staff volunteers page (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  test('the report shows a served shift; an expiring check is highlighted; recording a check makes the volunteer eligible', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 }] });
    // the admin served (and left) Toddlers today; their check runs out in 10 days
    await t
      .db('users')
      .where({ id: site.userIds.admin })
      .update({ background_check_status: 'cleared', background_check_expires_on: inDays(10, site.timezone) });
    const served = await t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/volunteers`).set(bearer(site.tokens.admin)).send({});
    expect(served.status).toBe(201);
    expect((await t.api().post(`/api/volunteer-shifts/${served.body.shift.id}/checkout`).set(bearer(site.tokens.admin))).status).toBe(200);

    const page = await open(site.tokens.staff, '/reports');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Volunteers' }).click();
    await page.getByRole('heading', { name: 'Volunteers', level: 1 }).waitFor();
    // the top nav is still one row at 1024 px, Reports marked as the current section
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const tops = new Set<number>();
    for (const l of await links.all()) tops.add(Math.round((await l.boundingBox())!.y));
    expect(tops.size).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).getAttribute('class')).toContain('nav-link--active');

    // who served
    const servedRow = page.getByTestId('served-table').locator('tbody tr');
    await servedRow.first().waitFor();
    expect(await servedRow.count()).toBe(1);
    expect(await servedRow.first().innerText()).toMatch(/Test Service\s+Toddlers\s+Test admin/);

    // the expiring check is highlighted; the volunteer has none
    const checks = page.getByTestId('checks-table');
    const adminRow = checks.locator(`tr[data-user-id="${site.userIds.admin}"]`);
    expect(await adminRow.getAttribute('class')).toContain('row--expiring');
    expect(await adminRow.innerText()).toMatch(/Expires in 10 days/);
    await page.getByText('1 check expires within 30 days.').waitFor();
    const volRow = checks.locator(`tr[data-user-id="${site.userIds.volunteer}"]`);
    expect(await volRow.innerText()).toMatch(/None/);
    expect(await volRow.getAttribute('class')).not.toContain('row--expiring');
    // staff do not record their own check
    expect(await checks.locator(`tr[data-user-id="${site.userIds.staff}"]`).getByRole('button').count()).toBe(0);

    // not yet eligible
    const refused = await t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/volunteers`).set(bearer(site.tokens.volunteer)).send({});
    expect(refused.body.error.code).toBe('background_check_required');

    await page.getByRole('button', { name: 'Record check for Test volunteer' }).click();
    const form = page.getByRole('group', { name: 'Background check of Test volunteer' });
    await form.getByLabel('Status').selectOption('cleared');
    await form.getByLabel('Expires on').fill(inDays(200, site.timezone));
    await form.getByLabel('Phone (kiosk check-in)').fill('312 555 0171');
    await page.screenshot({ path: screenshotPath('staff-volunteers-record-1024'), fullPage: true });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await volRow.innerText()).toMatch(/Cleared/);
    expect(await volRow.innerText()).toMatch(/\(312\) 555-0171/);
    await page.screenshot({ path: screenshotPath('staff-volunteers-1024'), fullPage: true });

    // recorded for real: audited, and now the volunteer may serve
    expect(await t.db('audit_log').where({ action: 'person.background_check', entity_id: site.userIds.volunteer }).count('* as n').first()).toEqual({ n: 1 });
    const ok = await t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/volunteers`).set(bearer(site.tokens.volunteer)).send({});
    expect(ok.status).toBe(201);
  });

  test('a volunteer checked in from the dashboard gets a name tag this browser prints (name, room, service; no code)', async () => {
    const site = await buildSite(t.db, { rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 }] });
    await t
      .db('users')
      .where({ id: site.userIds.volunteer })
      .update({ background_check_status: 'cleared', background_check_expires_on: inDays(100, site.timezone) });
    const page = await open(site.tokens.staff, '/dashboard');
    await page.evaluate(() => {
      const w = globalThis as unknown as { print: () => void; __prints: number };
      w.__prints = 0;
      w.print = () => {
        w.__prints += 1;
      };
    });
    const toddlers = page.locator(`[data-room-id="${site.rooms.Toddlers}"]`);
    await toddlers.getByLabel('Volunteer to check in to Toddlers').selectOption(site.userIds.volunteer);
    await toddlers.getByRole('button', { name: 'Check in', exact: true }).click();
    await toddlers.getByTestId('name-tag').or(toddlers.getByRole('alert')).first().waitFor({ timeout: 15_000 });
    await toddlers.getByTestId('name-tag').waitFor();
    expect(await page.getByTestId('name-tag-sheet').textContent()).toMatch(/^VOLUNTEERTest volunteerToddlers.+Test Service$/);
    await toddlers.getByRole('button', { name: 'Print tag' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { __prints: number }).__prints)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: screenshotPath('staff-volunteer-tag-print') });
    await page.emulateMedia({ media: 'screen' });
  });
});
