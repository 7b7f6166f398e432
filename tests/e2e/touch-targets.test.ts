/**
 * Touch targets on the pickup station and the rosters (DESIGN §21), in a real Chromium against
 * the served build at a phone's width (390 px) and an iPad's (1024 px): every button, checkbox,
 * select and room chip of the staff Pickup page, the pickup kiosk and the roster rows measures at
 * least 44 × 44 px. Checkout takes a second tap that names who goes home with whom.
 * Build first: npm run build:ui
 */
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { bearer } from '../support/harness';
import { buildHousehold, buildSite, kioskToken, type BuiltSite } from '../support/factories';

jest.setTimeout(180_000);

// the measuring runs in the page (the test's tsconfig has no DOM library)
interface Box {
  width: number;
  height: number;
}
interface El {
  tagName: string;
  textContent: string | null;
  getAttribute(n: string): string | null;
  getBoundingClientRect(): Box;
  querySelectorAll(s: string): Iterable<El>;
}
declare const document: { querySelectorAll(s: string): Iterable<El> };
declare function getComputedStyle(el: El): { visibility: string };

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1024, height: 768 },
];

/** Every visible target under `root` smaller than 44 × 44 CSS px (half a pixel of rounding allowed). */
async function smallTargets(page: Page, root: string) {
  await page.locator(root).first().waitFor();
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const r of document.querySelectorAll(sel)) {
      for (const el of r.querySelectorAll("button, input[type='checkbox'], select, a.chip")) {
        const b = el.getBoundingClientRect();
        if (b.width === 0 || b.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (b.width + 0.5 < 44 || b.height + 0.5 < 44) {
          const what = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().replace(/\s+/g, ' ').slice(0, 40);
          out.push(`${el.tagName.toLowerCase()} "${what}" ${Math.round(b.width)}×${Math.round(b.height)}`);
        }
      }
    }
    return out;
  }, root);
}

describeBrowser('touch targets ≥ 44 px on the pickup station and rosters (served build, Chromium)', () => {
  let site: BuiltSite;
  const suite = staffBrowserSuite();
  const { open } = suite;
  const codes: string[] = [];
  beforeAll(async () => {
    site = await buildSite(suite.t.db);
    const kiosk = await kioskToken(suite.t.db, site.siteId);
    // one family per pickup run (a released family cannot be released again)
    for (let i = 0; i < 4; i++) {
      const fam = await buildHousehold(suite.t.db, site.siteId, [{ months: 24 }, { months: 30 }], { lastName: `Reach${i}` });
      const ci = await suite.t
        .api()
        .post('/api/checkins')
        .set(bearer(kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: crypto.randomUUID() });
      expect(ci.status).toBe(201);
      codes.push(ci.body.securityCode);
    }
  });

  test('roster rows: every button, checkbox and room chip at 390 and 1024 px', async () => {
    for (const viewport of WIDTHS) {
      const page = await open(site.tokens.staff, '/rosters', viewport);
      await page.locator('.roster-line').first().waitFor();
      await page.getByRole('button', { name: 'Page parent' }).first().waitFor();
      expect({ width: viewport.width, small: await smallTargets(page, '.rosters') }).toEqual({ width: viewport.width, small: [] });
      await page.screenshot({ path: screenshotPath(`targets-rosters-${viewport.width}`), fullPage: true });
    }
  });

  test('staff pickup: chips, checkboxes and buttons at 390 and 1024 px; checkout asks once more, naming who takes whom', async () => {
    for (const [i, viewport] of WIDTHS.entries()) {
      const page = await open(site.tokens.volunteer, '/pickup', viewport);
      expect(await smallTargets(page, '.pickup')).toEqual([]);
      await page.getByRole('tab', { name: 'Type code' }).click();
      await page.getByLabel(/Security code/).fill(codes[i]!);
      await page.getByRole('button', { name: 'Find children' }).click();
      await page.getByRole('heading', { name: `Reach${i} family` }).waitFor();
      const person = page.getByRole('group', { name: "The family's list" }).getByRole('button').first();
      const who = (await person.textContent())!.trim();
      await person.click();
      expect({ width: viewport.width, small: await smallTargets(page, '.pickup') }).toEqual({ width: viewport.width, small: [] });
      await page.getByRole('button', { name: 'Check out 2 children' }).click();
      const ask = page.getByTestId('confirm-release');
      await ask.waitFor();
      expect(await ask.textContent()).toContain(`to ${who}?`);
      expect(await smallTargets(page, '.pickup')).toEqual([]);
      await page.screenshot({ path: screenshotPath(`targets-pickup-confirm-${viewport.width}`), fullPage: true });
      // nothing is released before the second tap; Back returns to the choice
      const out = await suite.t.db('checkins').where({ site_id: site.siteId, status: 'checked_out' }).count('* as n');
      expect(Number(out[0]!.n)).toBe(i * 2);
      await ask.getByRole('button', { name: 'Back' }).click();
      await page.getByRole('button', { name: 'Check out 2 children' }).click();
      await page.getByTestId('confirm-release').getByRole('button', { name: 'Yes, release 2 children' }).click();
      await page.getByTestId('checkout-done').waitFor();
    }
  });

  test('pickup kiosk: checkboxes and buttons at 390 and 1024 px; checkout asks once more', async () => {
    for (const [j, viewport] of WIDTHS.entries()) {
      const i = j + 2;
      const r = await suite.t
        .api()
        .post('/api/kiosks')
        .set(bearer(site.tokens.admin))
        .send({ name: `Door ${j}`, siteId: site.siteId, mode: 'pickup' });
      const context = await suite.browser.newContext({ viewport, hasTouch: true });
      try {
        const page = await context.newPage();
        await page.goto(`${suite.t.baseUrl}/kiosk/`);
        await page.getByLabel('Pairing code').fill(r.body.pairingCode);
        await page.getByRole('button', { name: 'Pair this kiosk' }).click();
        await page.getByRole('heading', { name: 'Pickup' }).waitFor();
        await page.getByRole('tab', { name: 'Type code' }).click();
        await page.getByLabel('Security code').fill(codes[i]!);
        await page.getByRole('button', { name: 'Find children' }).click();
        await page.getByRole('heading', { name: `Reach${i} family` }).waitFor();
        await page.getByRole('group', { name: "The family's list" }).getByRole('button').first().click();
        expect({ width: viewport.width, small: await smallTargets(page, '.pickup-screen') }).toEqual({ width: viewport.width, small: [] });
        await page.getByRole('button', { name: 'Check out 2' }).click();
        await page.getByTestId('confirm-release').waitFor();
        expect(await smallTargets(page, '.pickup-screen')).toEqual([]);
        await page.screenshot({ path: screenshotPath(`targets-kiosk-pickup-confirm-${viewport.width}`), fullPage: true });
        await page.getByTestId('confirm-release').getByRole('button', { name: 'Yes, release 2 children' }).click();
        await page.getByTestId('kiosk-checkout-done').waitFor();
      } finally {
        await context.close();
      }
    }
  });
});
