/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: pairing, no service open, a revoked kiosk or token.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import { describeBrowser } from '../support/browser';
import { buildSite } from '../support/factories';
import { bearer } from '../support/harness';
import { forgetCachedTokens } from '../../server/src/auth/auth.middleware';
import { newKiosk, pairedTablet, shoot, siteName, startKioskBrowser, t, tablet, typeOnKeypad } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const document: any, localStorage: any;

describeBrowser('kiosk UI (served build, Chromium): pairing', () => {
  startKioskBrowser();

  test('pairing: a fresh tablet pairs with a code, remembers it, and shows the site and the open service', async () => {
    const site = await buildSite(t.db);
    const { pairingCode } = await newKiosk(site);
    const page = await tablet();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor();
    await shoot(page, '01-pairing');

    await page.getByLabel('Pairing code').fill('BBBBBBBB');
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByText('That code is wrong, already used or expired').waitFor();
    await shoot(page, '02-pairing-wrong-code');

    await page.getByLabel('Pairing code').fill(pairingCode.toLowerCase());
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    await expect(page.locator('.site-name').textContent()).resolves.toBe(await siteName(site));
    await expect(page.locator('.service-name').textContent()).resolves.toBe('Test Service');
    await shoot(page, '03-start');

    // remembered across a reload; the code was single-use
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('kidsclub.kiosk') ?? 'null'));
    expect(stored.site.id).toBe(site.siteId);
    expect(stored.token).toMatch(/^k_/);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    expect((await t.api().post('/api/kiosks/pair').send({ pairingCode })).status).toBe(400);

    // Spanish on the start screen, from the one catalogue
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await page.getByRole('heading', { name: '¡Bienvenidos! Vamos a registrarlos.' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect(page.getByRole('button', { name: 'Buscar mi familia' }).isDisabled()).resolves.toBe(true);
    await shoot(page, '04-start-spanish');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Find my family' }).waitFor();
  });

  test('no service open: the kiosk says so plainly', async () => {
    const site = await buildSite(t.db, { opensInMinutes: 90, closesInMinutes: 180 });
    const { page } = await (async () => {
      const { pairingCode } = await newKiosk(site);
      const p = await tablet();
      await p.goto(`${t.baseUrl}/kiosk/`);
      await p.getByLabel('Pairing code').fill(pairingCode);
      await p.getByRole('button', { name: 'Pair this kiosk' }).click();
      return { page: p };
    })();
    await page.getByRole('heading', { name: 'Check-in is not open right now' }).waitFor();
    expect(await page.getByRole('button', { name: 'Find my family' }).count()).toBe(0);
    await shoot(page, '05-closed');
  });

  test('a revoked kiosk returns to the pairing screen at once', async () => {
    const site = await buildSite(t.db);
    const { page, kioskId } = await pairedTablet(site);
    await page.locator('[data-live-status="live"]').waitFor(); // the socket connected
    expect((await t.api().delete(`/api/kiosks/${kioskId}`).set(bearer(site.tokens.admin))).status).toBe(204);
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor({ timeout: 5000 });
    await page.getByText('This kiosk was unpaired').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('kidsclub.kiosk'))).toBeNull();
    await shoot(page, '18-unpaired');
  });

  test('a revoked token is noticed on the next API call too (401 → pairing)', async () => {
    const site = await buildSite(t.db);
    const { kiosk, pairingCode } = await newKiosk(site);
    const page = await tablet();
    // no socket at all (it would be ended by the server's sweep within seconds and say so):
    // only the API call can notice here
    await page.routeWebSocket(/\/socket\.io\//, () => {});
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Welcome! Let’s check you in.' }).waitFor();
    // revoked behind this process's back (as by another instance); this process's token cache is
    // emptied by hand rather than waited out (AUTH_CACHE_MS): the test is about the tablet noticing the 401
    await t.db('kiosks').where({ id: kiosk.id }).update({ token_hash: null, revoked_at: new Date() });
    forgetCachedTokens(t.db);
    await typeOnKeypad(page, '0000');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Set up this kiosk' }).waitFor({ timeout: 5000 });
    await page.getByText('This kiosk was unpaired').waitFor();
  });
});
