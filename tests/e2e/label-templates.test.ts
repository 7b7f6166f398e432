/**
 * Admin → Labels in the served staff UI (Chromium, #29): the live preview of every stock at its
 * real aspect ratio (screenshots in tests/artifacts, looked at), a campus admin saves an override
 * and resets it, and the print CSS gives Chromium's print exactly the stock's page size.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, openStaffPage, screenshotPath } from '../support/browser';
import { buildSite } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { LABEL_STOCKS } from '../../contracts/rules/label-stocks';
import { defaultTemplate, labelHeightMm, LABEL_TEMPLATE_KINDS, renderLabelsDocument, SAMPLE_LABEL_DATA } from '../../contracts/labels';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

jest.setTimeout(180_000);

describeBrowser('label templates in Admin → Labels (served build, Chromium)', () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { SERVE_UI: 'true' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.stop();
  });

  test('every stock previews at its aspect ratio; a campus admin saves an override and resets it', async () => {
    const site = await buildSite(t.db);
    const page = await openStaffPage(browser, t.baseUrl, site.tokens.admin, '/admin/labels', { contexts });
    await page.getByTestId('label-source').getByText('the default template').waitFor();
    const preview = page.getByTestId('label-preview');
    for (const kind of LABEL_TEMPLATE_KINDS) {
      await page
        .getByRole('button', { name: { child: 'Child label', parent: 'Parent pickup tag', volunteer: 'Volunteer badge', keytag: 'Family key tag' }[kind] })
        .click();
      for (const stock of LABEL_STOCKS) {
        await page.getByTestId('label-stock').selectOption(stock.id);
        await page.locator(`[data-testid="label-preview"][data-stock="${stock.id}"] .kcl-label`).waitFor();
        const frame = await preview.locator('.label-preview-frame').boundingBox();
        const h = labelHeightMm(defaultTemplate(kind, stock.id));
        // the frame keeps the stock's aspect ratio
        expect(Math.abs(frame!.width / frame!.height - stock.widthMm / h)).toBeLessThan(0.03);
        // nothing of the label spills out of it
        const spill = await preview.locator('.kcl-label > *').evaluateAll((els) => {
          const label = els[0]!.parentElement!.getBoundingClientRect();
          return els
            .map((e) => e.getBoundingClientRect())
            .filter((r) => r.right > label.right + 1 || r.bottom > label.bottom + 1)
            .map((r) => [r.right - label.right, r.bottom - label.bottom]);
        });
        expect({ kind, stock: stock.id, spill }).toEqual({ kind, stock: stock.id, spill: [] });
        await preview.screenshot({ path: screenshotPath(`label-${kind}-${stock.id}`) });
      }
    }

    // the child label on DYMO 30256, its first text made a fixed welcome, saved for this campus
    await page.getByRole('button', { name: 'Child label' }).click();
    await page.getByTestId('label-stock').selectOption('dymo-30256');
    const first = page.getByTestId('label-element').first();
    await first.getByLabel('Field').selectOption('text');
    await first.getByLabel('Words').fill('Welcome, friend');
    await preview.getByText('Welcome, friend').waitFor();
    await page.screenshot({ path: screenshotPath('label-editor'), fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved for this campus.').waitFor();
    await page.getByTestId('label-source').getByText("this campus's own template").waitFor();
    const row = await t.db('label_templates').where({ site_id: site.siteId, kind: 'child' }).first();
    expect(row.stock.id).toBe('dymo-30256');
    expect(row.elements[0]).toMatchObject({ type: 'text', field: 'text', text: 'Welcome, friend' });

    // an element moved off the label: the server's 400 names it (shown as the row's number and property), nothing changes
    await first.getByLabel('x mm').fill('500');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Element 1 \(x\): /)
      .waitFor();
    expect((await t.db('label_templates').where({ site_id: site.siteId, kind: 'child' }).first()).elements[0].x).toBe(row.elements[0].x);
    // the preview is the server's render: it says why it could not follow, and keeps the last good one
    await preview
      .getByTestId('label-preview-problem')
      .getByText(/Element 1 \(x\): /)
      .waitFor();
    await preview.getByText('Welcome, friend').waitFor();

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: "Reset to the organisation's" }).click();
    await page.getByTestId('label-source').getByText('the default template').waitFor();
    expect(await t.db('label_templates').where({ site_id: site.siteId })).toEqual([]);
  });

  test('print CSS: Chromium prints each stock on a page of exactly its size', async () => {
    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    for (const stock of LABEL_STOCKS) {
      const template = defaultTemplate('child', stock.id);
      await page.setContent(
        renderLabelsDocument([
          { template, data: SAMPLE_LABEL_DATA },
          { template: defaultTemplate('parent', stock.id), data: SAMPLE_LABEL_DATA },
        ]),
      );
      const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
      // one page per label, each the stock's size (PDF points: 72 a inch)
      expect(boxes).toHaveLength(2);
      const pt = (mm: number) => (mm * 72) / 25.4;
      for (const [w, h] of boxes) {
        expect(Math.abs(w! - pt(stock.widthMm))).toBeLessThan(1.5);
        expect(Math.abs(h! - pt(labelHeightMm(template)))).toBeLessThan(1.5);
      }
    }
  });
});
