/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: labels: what fits on them, a Zebra printer and its outage.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import { describeBrowser, screenshotPath } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { fakePrinter } from '../support/printer';
import { LANDSCAPE, pairedTablet, prints, shoot, startKioskBrowser, t, typeOnKeypad, until } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const document: any, getComputedStyle: any;
type Element = any;

describeBrowser('kiosk UI (served build, Chromium): labels', () => {
  startKioskBrowser();

  test('labels that fit: the longest names shrink (no ellipsis), allergies wrap whole onto two lines, a MEDICAL marker and the campus text print', async () => {
    const site = await buildSite(t.db, { settings: { labelFooter: 'North Campus · Kids’ Club' } });
    await buildHousehold(
      t.db,
      site.siteId,
      [
        {
          firstName: 'Christopher',
          months: 24,
          allergies: 'Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen',
          medicalNotes: 'Asthma: inhaler in bag',
        },
        { firstName: 'Maximiliano', months: 48 },
        { firstName: 'Bartholomew-Maximilian Alexander', months: 52 },
      ],
      { phone: '+13125550177', lastName: 'Montgomery-Castellanos de la Vega' },
    );
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '0177');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 3 children' }).click();
    await page.getByRole('button', { name: 'Print labels' }).waitFor();
    await page.locator('.print-sheet .label-footer').first().waitFor({ state: 'attached' });
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll('.print-sheet [data-fit]')].map((el: Element) => ({
        cls: el.className,
        text: el.textContent,
        sw: el.scrollWidth,
        cw: el.clientWidth,
        size: parseFloat(getComputedStyle(el).fontSize),
        overflow: getComputedStyle(el).textOverflow,
      })),
    );
    const first = boxes.filter((b: { cls: string }) => b.cls === 'label-first');
    expect(first.map((b: { text: string }) => b.text).sort()).toEqual(['Bartholomew-Maximilian Alexander', 'Christopher', 'Maximiliano']);
    for (const b of boxes) {
      expect(`${b.text}: ${b.sw} <= ${b.cw}`).toBe(`${b.text}: ${Math.min(b.sw, b.cw)} <= ${b.cw}`);
      expect(b.text).not.toContain('…');
      expect(b.overflow).not.toBe('ellipsis');
    }
    // the longest name uses a smaller font than the CSS 30pt (40px)
    expect(first.find((b: { text: string }) => b.text.startsWith('Bartholomew'))!.size).toBeLessThan(40);
    const allergy = boxes.find((b: { cls: string }) => b.cls === 'label-allergy');
    expect(allergy!.text).toBe('ALLERGY: Tree nuts (cashew, pistachio), dairy, eggs — carries EpiPen');
    // two lines at most, inside the band
    const lines = await page.evaluate(() => {
      const el = document.querySelector('.print-sheet .label-allergy');
      const cs = getComputedStyle(el);
      return (el.scrollHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / parseFloat(cs.lineHeight);
    });
    expect(lines).toBeLessThanOrEqual(2.05);
    await expect(page.locator('.print-sheet .label-medical').allTextContents()).resolves.toEqual(['MEDICAL']);
    await expect(page.locator('.print-sheet').textContent()).resolves.not.toContain('inhaler');
    await expect(page.locator('.print-sheet .label-footer').count()).resolves.toBe(4);
    // nothing spills out of a 4 × 2 in label
    const spill = await page.evaluate(() => [...document.querySelectorAll('.print-sheet .label')].map((l: Element) => l.scrollHeight - l.clientHeight));
    expect(spill.every((d: number) => d <= 1)).toBe(true);
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 384, height: 192 * 4 });
    await page.screenshot({ path: screenshotPath('kiosk-08c-labels-long-names'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(LANDSCAPE);
  });

  test('with a Zebra printer configured, the server sends ZPL to it; when it is down the kiosk says so and can print here', async () => {
    // the local Zebra-like printer: answers ~HS, collects jobs
    const printer = await fakePrinter();
    const jobs = printer.jobs;
    const port = Number(printer.address.split(':')[1]);
    try {
      const site = await buildSite(t.db);
      await buildHousehold(t.db, site.siteId, [{ firstName: 'Zoë', months: 24, allergies: 'Bees' }], { phone: '+13125552468', lastName: 'Zebra' });
      await buildHousehold(t.db, site.siteId, [{ firstName: 'Omar', months: 48 }], { phone: '+13125551357' });
      const { page } = await pairedTablet(site, `127.0.0.1:${port}`);
      await typeOnKeypad(page, '2468');
      await page.getByRole('button', { name: 'Find my family' }).click();
      await page.getByRole('button', { name: 'Check in 1 child' }).click();
      await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
      await page.getByText('Your labels are printing.').waitFor();
      await until(() => jobs.length === 1);
      const code = await page.locator('.code-value').textContent();
      expect(jobs[0]).toContain('^XA');
      expect(jobs[0]).toContain('^FDZoë^FS');
      expect(jobs[0]).toContain(`^FD${code}^FS`);
      expect(jobs[0]).toContain('ALLERGY: Bees');
      expect(jobs[0]).toMatch(/\^BQN,2,\d+\^FH\^FDMA,http/);
      expect(await prints(page)).toBe(0); // the Zebra printed: no browser dialog

      await page.getByRole('button', { name: 'Reprint labels' }).click();
      await until(() => jobs.length === 2);
      await page.getByRole('button', { name: 'Done' }).click();

      await printer.setState('unreachable');
      await typeOnKeypad(page, '1357');
      await page.getByRole('button', { name: 'Find my family' }).click();
      await page.getByRole('button', { name: 'Check in 1 child' }).click();
      await page.getByText('The label printer isn’t answering. Please ask a volunteer.').waitFor();
      await shoot(page, '17-printer-down');
      await expect(page.getByText('Your labels are printing.').count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Print here instead' }).click();
      await page.getByRole('button', { name: 'Print labels' }).click();
      await until(async () => (await prints(page)) === 1);
    } finally {
      await printer.close();
    }
  });
});
