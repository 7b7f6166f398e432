/**
 * The staff family page says, per guardian, when and where they agreed to texts on the campus's
 * clock (issue #31 point 3, DESIGN §19), or that they did not. Build first: npm run build:ui
 */
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildHousehold, buildSite } from '../support/factories';

jest.setTimeout(120_000);

describeBrowser('staff UI: a guardian’s SMS consent on the family page (served build, Chromium)', () => {
  const suite = staffBrowserSuite();
  const { open } = suite;

  test('agreed at the kiosk at 09:12 in Chicago; a second guardian not agreed', async () => {
    const site = await buildSite(suite.t.db, { timezone: 'America/Chicago' });
    const fam = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Wren', months: 40 }], { lastName: 'Consentini' });
    // 15:12 UTC is 09:12 in Chicago in December
    await suite.t.db('guardians').where({ id: fam.guardianId }).update({ sms_consent_at: '2026-12-07T15:12:00Z', sms_consent_source: 'kiosk' });
    await suite.t
      .db('guardians')
      .insert({ household_id: fam.householdId, first_name: 'Quinn', last_name: 'Consentini', phone: '+13125550987', sms_opt_in: false });

    const page = await open(site.tokens.staff, `/families/${fam.householdId}`);
    await page.getByRole('heading', { name: 'Consentini family' }).waitFor();
    const pat = page.getByRole('listitem').filter({ hasText: 'Pat Consentini' });
    await pat.getByText('Texts: agreed at the kiosk on 7 Dec 2026 09:12').waitFor();
    const quinn = page.getByRole('listitem').filter({ hasText: 'Quinn Consentini' });
    await quinn.getByText('Texts: not agreed').waitFor();
    await page.screenshot({ path: screenshotPath('staff-family-sms-consent-1280') });
  });
});
