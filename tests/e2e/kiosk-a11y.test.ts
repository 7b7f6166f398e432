/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: keyboard, screen readers, reduced motion, contrast, and the bundle's size.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { DIST, pairedTablet, startKioskBrowser, t } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const document: any, getComputedStyle: any, NodeFilter: any;
type Element = any;

describeBrowser('kiosk UI (served build, Chromium): a11y', () => {
  startKioskBrowser();

  test('keyboard only, screen-reader names, focus on each new screen, reduced motion, AA contrast', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Kai', months: 30 }], { phone: '+13125558642' });
    const { page } = await pairedTablet(site);
    await page.emulateMedia({ reducedMotion: 'reduce' });

    const audit = () =>
      page.evaluate(() => {
        const problems: string[] = [];
        for (const b of document.querySelectorAll('.app button, .app input, .app select')) {
          const name = b.getAttribute('aria-label') ?? (b.id ? document.querySelector(`label[for="${b.id}"]`)?.textContent : null) ?? b.textContent;
          if (!name?.trim()) problems.push(`unnamed ${b.tagName} ${b.className}`);
        }
        // WCAG AA: text contrast against the first opaque background behind it
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          };
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bg = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c[3] ?? 0) > 0.9) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const walker = document.createTreeWalker(document.querySelector('.app'), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!n.textContent?.trim() || el.closest('[disabled]') || el.closest('svg')) continue;
          const s = getComputedStyle(el);
          if (s.visibility === 'hidden' || s.display === 'none') continue;
          const l1 = lum(rgb(s.color)),
            l2 = lum(bg(el));
          const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
          const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5)) problems.push(`${n.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
        }
        return problems;
      });
    const focusedHeading = () => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));

    expect(await audit()).toEqual([]);
    expect(await focusedHeading()).toBe('Welcome! Let’s check you in.');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.key')).transitionDuration)).toBe('0s');

    await page.keyboard.type('8642');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    expect(await focusedHeading()).toBe('Who is here today?');
    expect(await audit()).toEqual([]);
    // Tab reaches the child toggle, then Back, then Check in
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Kai');
    await page.keyboard.press('Space'); // leave Kai out…
    await expect(page.getByRole('button', { name: /^Kai/ }).getAttribute('aria-pressed')).resolves.toBe('false');
    await page.keyboard.press('Space'); // …and back in
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check in 1 child');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect(await focusedHeading()).toBe('You’re all set!');
    expect(await audit()).toEqual([]);
    expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(1);
  });

  test(`the kiosk's JavaScript is under 250 kB gzipped`, () => {
    const assets = path.join(DIST, 'assets');
    const js = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const total = js.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(assets, f))).length, 0);
    expect(total).toBeLessThan(250 * 1024);
  });
});
