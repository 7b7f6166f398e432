/**
 * Only the chosen children (DESIGN §15), in a real Chromium against the served build: joining an
 * existing family at the kiosk ("Is this you?" → Yes) checks in the child the parent entered —
 * never the family's other child at home — and adding a child starts "Who is here today?" with
 * only that child chosen. Also the kiosk's "waiting for volunteers" words in English and Spanish.
 * Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath } from '../support/browser';
import { birthdateForMonths, buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { kioskBrowserSuite } from '../support/kiosk-browser';
import { dateInTimezone } from '../../contracts/rules';

jest.setTimeout(90_000);

describeBrowser('kiosk: only the chosen children (served build, Chromium)', () => {
  // an SMS provider is configured (the kiosk offers the texted code only then, #30); no dispatcher runs, so the codes stay in notifications to be read
  const suite = kioskBrowserSuite({ twilio: true });
  const pairedTablet = (site: BuiltSite) => suite.pair(site);
  const db = () => suite.t.db;
  const today = () => dateInTimezone(new Date(), 'America/Chicago');
  const texted = async (site: BuiltSite) => {
    const sms = await db()('notifications').where({ site_id: site.siteId, kind: 'join_code' }).orderBy('created_at', 'desc').first();
    return /(\d{6})/.exec(sms.body)![1]!;
  };

  test('"Is this you?" → Yes checks in only the child the parent entered, not the sibling at home', async () => {
    const site = await buildSite(db());
    const fam = await buildHousehold(db(), site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550161' });
    const page = await pairedTablet(site);
    await page.getByRole('button', { name: 'New here? Register your family' }).click();
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill('Johnson');
    await page.getByLabel('Mobile number').fill('(312) 555-0161');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Now, your children' }).waitFor();
    const c = page.getByRole('group', { name: 'Child 1' });
    await c.getByLabel('First name').fill('Ava');
    await c.getByLabel('Birthdate').fill(birthdateForMonths(26, today()));
    await page.getByRole('button', { name: 'Register and check in' }).click();
    await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
    await page.getByRole('button', { name: 'Yes, that’s us' }).click();
    await page.getByRole('heading', { name: 'Enter the code we texted' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(await texted(site));
    await page.getByRole('button', { name: 'Add to our family and check in' }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    expect(await page.locator('.rooms li').allTextContents()).toEqual(['Ava goes to Toddlers']);
    await page.screenshot({ path: screenshotPath('kiosk-join-only-chosen-1024x768') });
    const checkedIn = await db()('checkins as c').join('children as ch', 'ch.id', 'c.child_id').where('c.household_id', fam.householdId).pluck('ch.first_name');
    expect(checkedIn).toEqual(['Ava']);
    // the labels and the receipt name Ava only
    const receipt = await db()('notifications').where({ site_id: site.siteId, kind: 'checkin_receipt' }).first();
    expect(receipt.body).toContain('Ava');
    expect(receipt.body).not.toContain('Mia');
  });

  test('adding a child: "Who is here today?" for the whole family with only the new child chosen', async () => {
    const site = await buildSite(db());
    const fam = await buildHousehold(db(), site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Rivera', phone: '+13125550162' });
    const page = await pairedTablet(site);
    for (const d of '0162') await page.getByRole('button', { name: d, exact: true }).click();
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await page.getByRole('button', { name: 'Add a child' }).click();
    await page.getByLabel('First name').fill('Theo');
    await page.getByLabel('Birthdate').fill(birthdateForMonths(30, today()));
    await page.getByLabel('Your mobile number (on file with this family)').fill('(312) 555-0162');
    await page.getByRole('button', { name: 'Text me the code' }).click();
    await page.getByRole('heading', { name: 'Enter the code we texted' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(await texted(site));
    await page.getByRole('button', { name: 'Add my child' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    const kid = (name: string) => page.locator('button.kid', { hasText: name });
    await kid('Theo').waitFor();
    expect(await kid('Theo').getAttribute('aria-pressed')).toBe('true');
    expect(await kid('Mia').getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: screenshotPath('kiosk-add-child-only-chosen-1024x768') });
    await page.getByRole('button', { name: /^Check in/ }).click();
    await page.getByRole('heading', { name: 'You’re all set!' }).waitFor();
    const checkedIn = await db()('checkins as c').join('children as ch', 'ch.id', 'c.child_id').where('c.household_id', fam.householdId).pluck('ch.first_name');
    expect(checkedIn).toEqual(['Theo']);
  });

  test('a room waiting for volunteers: the kiosk says so in plain words, in English and in Spanish', async () => {
    // nobody checked in to Toddlers yet, and the campus enforces ratios (with the two-adult rule)
    const site = await buildSite(db(), {
      settings: { ratioEnforcement: 'enforce' },
      rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 }],
    });
    await buildHousehold(db(), site.siteId, [{ firstName: 'Nico', months: 24 }], { phone: '+13125550163' });
    await buildHousehold(db(), site.siteId, [{ firstName: 'Lola', months: 24 }], { phone: '+13125550164' });
    const page = await pairedTablet(site);
    for (const d of '0163') await page.getByRole('button', { name: d, exact: true }).click();
    await page.getByRole('button', { name: 'Find my family' }).click();
    await page.getByRole('heading', { name: 'Who is here today?' }).waitFor();
    await page.getByRole('button', { name: /^Check in/ }).click();
    await page.getByText('Nico’s room is waiting for more grown-up helpers before it can take another child.', { exact: false }).waitFor();
    await page.screenshot({ path: screenshotPath('kiosk-waiting-for-volunteers-en-1024x768') });

    const es = await pairedTablet(site);
    await es.getByRole('button', { name: 'Cambiar a español' }).click();
    for (const d of '0164') await es.getByRole('button', { name: d, exact: true }).click();
    await es.getByRole('button', { name: 'Buscar mi familia' }).click();
    await es.getByRole('heading', { name: '¿Quién viene hoy?' }).waitFor();
    await es.getByRole('button', { name: /^Registrar/ }).click();
    await es.getByText('El salón de Lola está esperando a más voluntarios adultos', { exact: false }).waitFor();
    await es.screenshot({ path: screenshotPath('kiosk-waiting-for-volunteers-es-1024x768') });
  });
});
