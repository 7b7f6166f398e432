/**
 * The family's language on the staff Families page (DESIGN §12, #16 point 5), in a real Chromium
 * against the served build: staff see it and change it; the stored value and the next receipt follow.
 * Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer } from '../support/harness';

jest.setTimeout(120_000);

describeBrowser('staff UI: the family language (served build, Chromium)', () => {
  const suite = staffBrowserSuite();
  const { open } = suite;

  test('staff switch a family to Español: stored, shown after a reload, and the next receipt is Spanish', async () => {
    const site = await buildSite(suite.t.db);
    const fam = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Rosa', months: 24 }], { lastName: 'Vega' });
    const page = await open(site.tokens.staff, `/families/${fam.householdId}`);
    const select = page.getByLabel('Family language');
    await select.waitFor();
    await expect(select.inputValue()).resolves.toBe('en');
    const [patched] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/households/${fam.householdId}`)),
      select.selectOption({ label: 'Español' }),
    ]);
    expect(patched.status()).toBe(200);
    const stored = (await suite.t.db('households').where({ id: fam.householdId }).first()).language;
    expect(stored).toBe('es');
    await page.screenshot({ path: screenshotPath('family-language-es') });
    await page.reload();
    await page.getByLabel('Family language').waitFor();
    await expect(page.getByLabel('Family language').inputValue()).resolves.toBe('es');

    const res = await suite.t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(res.status).toBe(201);
    const receipt = await suite.t.db('notifications').where({ kind: 'checkin_receipt', guardian_id: fam.guardianId }).first();
    expect(receipt.body).toContain('entrada registrada para Rosa');
  });
});
