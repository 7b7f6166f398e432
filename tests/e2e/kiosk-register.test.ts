/**
 * The kiosk in a real Chromium against the served build (kiosk-ui/dist), the real server and
 * Postgres: a new family registers at the kiosk, in its language.
 * Build first: npx vite build --config kiosk-ui/vite.config.mts
 * Every screen is saved at 1024 × 768 and 768 × 1024 under tests/artifacts/kiosk-*.png.
 */
import { describeBrowser } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';
import { pairedTablet, shoot, startKioskBrowser, t, typeOnKeypad } from './kiosk-harness';

jest.setTimeout(90_000);

// page.evaluate bodies run in the browser; this project compiles without the DOM lib.
declare const document: any;

describeBrowser('kiosk UI (served build, Chromium): register', () => {
  startKioskBrowser();

  test('a new family registers at the kiosk and goes straight into check-in', async () => {
    const site = await buildSite(t.db);
    const { page } = await pairedTablet(site);
    await typeOnKeypad(page, '3125559876');
    await expect(page.locator('.phone-digits').textContent()).resolves.toBe('312-555-9876');
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'We couldn’t find that number' }).waitFor();
    await shoot(page, '11-not-found');
    await page.getByRole('button', { name: 'New here? Register your family' }).click();
    await page.getByRole('heading', { name: 'Welcome! First, about you' }).waitFor();
    await expect(page.getByLabel('Mobile number').inputValue()).resolves.toBe('3125559876');

    // nothing filled in: each field says what is missing, and focus goes to the first
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Please fill this in.').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-first');
    await shoot(page, '12-register-guardian-errors');

    await page.getByLabel('First name').fill('María José');
    await page.getByLabel('Last name').fill('Núñez');
    await shoot(page, '13-register-guardian');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Now, your children' }).waitFor();
    const child1 = page.getByRole('group', { name: 'Child 1' });
    await expect(child1.getByLabel('Last name').inputValue()).resolves.toBe('Núñez');
    await child1.getByLabel('First name').fill('Lucía');
    const twoYearsAgo = new Date(Date.now() - 2 * 365.25 * 86400_000 - 40 * 86400_000).toISOString().slice(0, 10);
    await child1.getByLabel('Birthdate').fill(twoYearsAgo);
    await page.getByRole('button', { name: '+ Add another child' }).click();
    const child2 = page.getByRole('group', { name: 'Child 2' });
    await child2.getByLabel('First name').fill('Mateo');
    await child2.getByLabel('Or school grade').selectOption({ label: 'Grade 1' });
    await child2.getByLabel('Allergies').fill('Dairy');
    await shoot(page, '14-register-children');
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect((await page.locator('.rooms li').allTextContents()).sort()).toEqual(['Lucía goes to Toddlers', 'Mateo goes to K-2Allergy: Dairy']);

    const g = await t.db('guardians').where({ phone: '+13125559876' });
    expect(g).toHaveLength(1);
    const h = await t.db('households').where({ id: g[0].household_id }).first();
    expect(h.site_id).toBe(site.siteId);
    const kids = await t.db('children').where({ household_id: h.id }).orderBy('first_name');
    expect(kids.map((k) => [k.first_name, k.last_name, k.grade, k.allergies])).toEqual([
      ['Lucía', 'Núñez', null, ''],
      ['Mateo', 'Núñez', 1, 'Dairy'],
    ]);
    expect(await t.db('checkins').where({ household_id: h.id })).toHaveLength(2);
    expect(h.language).toBe('en'); // registered in English
  });

  test('a family checking in while the kiosk shows Spanish becomes a Spanish family (its receipt is Spanish); registering in English stores English', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Inés', months: 24 }], { phone: '+13125550177', lastName: 'Ortega' });
    expect((await t.db('households').where({ id: fam.householdId }).first()).language).toBeNull();
    const { page } = await pairedTablet(site);
    await page.getByRole('button', { name: 'Cambiar a español' }).click();
    await typeOnKeypad(page, '0177');
    await page.getByRole('button', { name: 'Buscar mi familia' }).click();
    await page.getByRole('heading', { name: '¿Quién viene hoy?' }).waitFor();
    await page.getByRole('button', { name: 'Registrar 1 niño' }).click();
    await page.getByRole('heading', { name: '¡Listo!' }).waitFor();
    expect((await t.db('households').where({ id: fam.householdId }).first()).language).toBe('es');
    const receipt = await t.db('notifications').where({ kind: 'checkin_receipt' }).whereIn('guardian_id', [fam.guardianId]).first();
    expect(receipt.body).toMatch(/^.+: entrada registrada para Inés \(Toddlers\)\. Clave de recogida [A-Z0-9]+\. Pase de recogida: \{\{pickupUrl\}\}$/);
  });
});
