/**
 * The family screen's "Express code" section (issue #16, DESIGN §12) in a real Chromium against the
 * served staff build: issue a code (shown once, with its QR and a printable key tag), re-issue it
 * (the old tag stops working at the kiosk), revoke it. Build first: npm run build:ui
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { normalizeExpressCode } from '../../contracts/rules';
import { describeBrowser, launchBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { decodeCode128Row } from '../support/code128';

// pngjs comes with qrcode; it has no type declarations of its own
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

jest.setTimeout(90_000);
declare const window: any;
const DIST = path.resolve(__dirname, '../../staff-ui/dist/index.html');
const TOKEN_KEY = 'kc.staff.token';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(token: string, route: string, deviceScaleFactor = 1, timezoneId?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, deviceScaleFactor, locale: 'en-US', ...(timezoneId ? { timezoneId } : {}) });
  contexts.push(ctx);
  await ctx.addInitScript(
    ([k, v]) => {
      window.sessionStorage.setItem(k, v);
      window.__prints = 0;
      window.print = () => {
        window.__prints += 1;
      };
    },
    [TOKEN_KEY, token],
  );
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${route}: ${e.message}`));
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${t.baseUrl}/staff${route}`);
  return page;
}

describeBrowser('staff UI: a family express code (served build, Chromium)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(DIST)) throw new Error('staff-ui is not built: npm run build:ui');
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.stop();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test('issue (code and QR shown once, key tag prints), re-issue (the old code stops working), revoke', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Iris', months: 50 }], { lastName: 'Tagwell' });
    const resolve = (code: string) => t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code });
    // 4 device pixels a CSS pixel: the printed barcode's bars (under 1 px a module at 96 dpi) can be read back
    // a desk whose own clock is in Kiritimati (UTC+14): the code's date still reads on the campus's calendar
    const page = await open(site.tokens.staff, `/families/${fam.householdId}`, 4, 'Pacific/Kiritimati');
    const panel = page.locator('section.express-code');
    await panel.getByText('None').waitFor();
    await panel.getByRole('button', { name: 'Issue code' }).click();
    const shown = panel.locator('.express-code-text');
    await shown.waitFor();
    const first = normalizeExpressCode(await shown.innerText());
    expect(first).not.toBeNull();
    await panel.getByRole('img', { name: /QR code for KC-/ }).waitFor();
    await panel.getByText('Active').waitFor();
    const issued = await t.db('household_express_codes').where({ household_id: fam.householdId }).whereNull('revoked_at').first();
    expect(await panel.getByTestId('express-status').innerText()).toContain(
      `since ${new Date(issued.created_at).toLocaleDateString('en-US', { timeZone: site.timezone })}`,
    );
    // the key tag: the QR and the raw code, printed alone
    expect(await page.getByTestId('express-tag-sheet').innerText()).toContain(first!);
    await panel.getByRole('button', { name: 'Print key tag' }).click();
    expect(await page.evaluate(() => window.__prints)).toBe(1);
    expect((await resolve(first!)).status).toBe(200);
    // as printed: only the tag (4 × 2 in) is on the page
    await page.emulateMedia({ media: 'print' });
    await page.getByTestId('express-tag-sheet').locator('img').waitFor({ state: 'visible' });
    expect(await page.locator('#root').isVisible()).toBe(false);
    await page.getByTestId('express-tag-sheet').screenshot({ path: screenshotPath('staff-express-key-tag-print'), animations: 'disabled' });
    // the Code 128 barcode beside the QR, as printed, reads back as the code (a scanline through its middle)
    const png = PNG.sync.read(await page.getByTestId('express-tag-sheet').locator('svg.express-tag-barcode').screenshot({ animations: 'disabled' }));
    const y = Math.floor(png.height / 2);
    const scanline = Array.from({ length: png.width }, (_, x) => {
      const i = (y * png.width + x) * 4;
      return 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]! < 128;
    });
    expect(decodeCode128Row(scanline)).toBe(first);
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: screenshotPath('staff-express-code-1366x900'), animations: 'disabled', fullPage: true });

    await panel.getByRole('button', { name: 'Re-issue code' }).click();
    await page.waitForFunction((old) => {
      const el = window.document.querySelector('.express-code-text');
      return el && el.textContent.replace(/-/g, '') !== old;
    }, first);
    const second = normalizeExpressCode(await shown.innerText());
    expect(second).not.toBe(first);
    expect((await resolve(first!)).status).toBe(404);
    expect((await resolve(second!)).status).toBe(200);

    await panel.getByRole('button', { name: 'Revoke' }).click();
    await panel.getByText('None').waitFor();
    await shown.waitFor({ state: 'detached' });
    expect((await resolve(second!)).status).toBe(404);
    // reloaded, the code is not shown again (the server keeps only its hash)
    await page.reload();
    await panel.getByRole('button', { name: 'Issue code' }).waitFor();
    expect(await shown.count()).toBe(0);
  });
});
