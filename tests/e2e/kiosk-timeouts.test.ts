/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: the idle reset and the done screen's timeout.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import { KIOSK_DONE_SCREEN_MS, KIOSK_IDLE_RESET_MS, KIOSK_IDLE_WARNING_MS } from '../../contracts';
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { newKiosk, shoot, startKioskBrowser, t, tablet, typeOnKeypad } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const document: any;

describeBrowser('kiosk UI (served build, Chromium): timeouts', () => {
  startKioskBrowser();

  test(`after ${KIOSK_IDLE_RESET_MS / 1000} s idle the kiosk asks "Still there?" for ${KIOSK_IDLE_WARNING_MS / 1000} s, then starts over and forgets the family`, async () => {
    const site = await buildSite(t.db);
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Ida', months: 24 }], { phone: '+13125553690' });
    const page = await tablet();
    await page.clock.install();
    const { pairingCode } = await newKiosk(site);
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await typeOnKeypad(page, '3690');
    await page.getByRole('button', { name: 'Buscar mi familia' }).click();
    await page.getByRole('button', { name: /^Ida/ }).waitFor();
    const prompt = page.getByRole('alertdialog', { name: '¿Sigue ahí?' });
    const quietFor = KIOSK_IDLE_RESET_MS - KIOSK_IDLE_WARNING_MS;
    await page.clock.runFor(quietFor - 5000); // 5 s short: real time passes too (the clock runs on its own)
    expect(await prompt.count()).toBe(0); // not yet
    await page.clock.runFor(5500);
    // in the family's language, counting down, the screen still there behind it
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toMatch(/Esta pantalla empieza de nuevo en (10|9) segundos\./);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Sigo aquí');
    await shoot(page, '10-still-there');
    // the installed clock also runs in real time, and the screenshots take a while on a busy
    // machine: so the count is read before and after three seconds of fake time
    const secondsLeft = async () => Number(/en (\d+) segundos/.exec((await prompt.textContent()) ?? '')?.[1]);
    const before = await secondsLeft();
    expect(before).toBeGreaterThanOrEqual(5);
    await page.clock.runFor(3000);
    const after = await secondsLeft();
    expect(before - after).toBeGreaterThanOrEqual(3);
    expect(before - after).toBeLessThanOrEqual(4);
    expect(await page.getByRole('button', { name: /^Ida/ }).count()).toBe(1);

    // "I'm still here" keeps the half-filled screen and starts the wait again
    await prompt.getByRole('button', { name: 'Sigo aquí' }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.clock.runFor(quietFor - 5000); // 5 s short: real time passes too (the clock runs on its own)
    expect(await prompt.count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Ida/ }).count()).toBe(1);

    // nobody answers: wiped after the countdown, back in English
    await page.clock.runFor(5500);
    await prompt.waitFor();
    await page.clock.runFor(KIOSK_IDLE_WARNING_MS);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect(await page.locator('.phone-digits').count()).toBe(0);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
  });

  test(`the done screen stops showing the code and pickup QR ${KIOSK_DONE_SCREEN_MS / 1000} s after the check-in, never before the labels were printed`, async () => {
    const site = await buildSite(t.db);
    await buildHousehold(t.db, site.siteId, [{ firstName: 'Dot', months: 30 }], { phone: '+13125554471' });
    const page = await tablet();
    await page.clock.install();
    const { pairingCode } = await newKiosk(site);
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await typeOnKeypad(page, '4471');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('button', { name: 'Check in 1 child' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    await page.locator('.tag-preview img.label-qr').waitFor();
    // a printerless kiosk: the screen waits for "Print labels" (no reset before the print started)
    await page.clock.runFor(KIOSK_DONE_SCREEN_MS + 2000);
    expect(await page.locator('.code-value').count()).toBe(1);
    // "Done" before printing asks first; "Print labels" is the primary action
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your labels haven’t printed yet' }).waitFor();
    expect(await page.getByRole('button', { name: 'Print labels' }).getAttribute('class')).toContain('btn-primary');
    await page.getByRole('button', { name: 'Print labels' }).click();
    await page.clock.runFor(KIOSK_DONE_SCREEN_MS / 2 - 2000);
    expect(await page.locator('.code-value').count()).toBe(1); // still there for the parent
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.clock.runFor(2500);
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect(await page.locator('.code-value').count()).toBe(0);
    expect(await page.locator('img.label-qr').count()).toBe(0);
    expect(await page.locator('.print-sheet').count()).toBe(0);
  });
});
