/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: a kiosk paired as a pickup door station.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import crypto from 'node:crypto';
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { bearer } from '../support/harness';
import { shoot, startKioskBrowser, t, tablet } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const localStorage: any;

describeBrowser('kiosk UI (served build, Chromium): pickup-station', () => {
  startKioskBrowser();

  test('a kiosk paired as a pickup door station: typed code, a listed adult, the child released; a stranger needs a staff PIN', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Zoe', months: 24 },
        { firstName: 'Yan', months: 48 },
      ],
      { lastName: 'Park' },
    );
    await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Grandma Park', relationship: 'grandmother' });
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: crypto.randomUUID() });
    expect(ci.status).toBe(201);
    const r = await t.api().post('/api/kiosks').set(bearer(site.tokens.admin)).send({ name: 'Door', siteId: site.siteId, mode: 'pickup' });
    const page = await tablet();
    await page.goto(`${t.baseUrl}/kiosk/`);
    await page.getByLabel('Pairing code').fill(r.body.pairingCode);
    await page.getByRole('button', { name: 'Pair this kiosk' }).click();
    await page.getByRole('heading', { name: 'Pickup' }).waitFor();
    await page.getByRole('tab', { name: 'Type code' }).click();
    await page.getByLabel('Security code').fill(ci.body.securityCode);
    await page.getByRole('button', { name: 'Find children' }).click();
    await page.getByRole('heading', { name: /Park family/ }).waitFor();
    // a stranger's typed name is a hard stop without a staff PIN: the button stays off until PIN and reason are there
    await page.getByPlaceholder('Full name').fill('Random Stranger');
    await page.getByLabel('Staff PIN').waitFor();
    await expect(page.getByRole('button', { name: /^Check out/ }).isDisabled()).resolves.toBe(true);
    await page.getByPlaceholder('Full name').fill('');
    // one child, to the grandmother on the family's list
    await page.getByLabel('Pick up Yan').uncheck();
    await page.getByRole('button', { name: 'Grandma Park' }).click();
    await page.getByRole('button', { name: 'Check out 1' }).click();
    await page
      .getByTestId('confirm-release')
      .getByRole('button', { name: /^Yes, release/ })
      .click();
    await page.getByTestId('kiosk-checkout-done').waitFor();
    await shoot(page, '12-pickup-door');
    const rows = await t.db('checkins').whereIn(
      'id',
      ci.body.checkins.map((c: { id: string }) => c.id),
    );
    const zoe = rows.find((x) => x.child_id === fam.childIds[0])!;
    const yan = rows.find((x) => x.child_id === fam.childIds[1])!;
    expect([zoe.status, zoe.picked_up_by]).toEqual(['checked_out', 'Grandma Park']);
    expect(yan.status).toBe('checked_in');
    // the door station can do nothing else
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.includes('kiosk'))!)).token);
    expect(
      (
        await t
          .api()
          .get(`/api/households?phone=${fam.phone.slice(-4)}`)
          .set(bearer(token))
      ).status,
    ).toBe(403);
  });
});
