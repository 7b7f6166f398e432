/**
 * Merge and mend in the staff UI (issue #15, DESIGN §11), in a real Chromium against the served
 * build: staff merge a duplicate family (the preview first, then the merge) and every kind of row
 * survives in the database; staff add a child and a guardian to an existing family.
 * Build first: npm run build:ui
 */
import type { Page } from 'playwright-core';
import { describeBrowser, screenshotPath, staffBrowserSuite } from '../support/browser';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer } from '../support/harness';

jest.setTimeout(120_000);
declare const getComputedStyle: any;

const section = (page: Page, title: string) => page.locator('section').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

describeBrowser('staff UI: merge and mend families (served build, Chromium)', () => {
  const suite = staffBrowserSuite();
  const { open } = suite;

  async function duplicates(site: BuiltSite) {
    const keep = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550189' });
    const dup = await buildHousehold(
      suite.t.db,
      site.siteId,
      [
        { firstName: 'Ava', months: 24 },
        { firstName: 'Leo', grade: 1 },
      ],
      { lastName: 'Jonsen', phone: '+13125550189' },
    );
    await suite.t.db('guardians').where({ id: dup.guardianId }).update({ sms_opted_out_at: new Date() });
    const [alex] = await suite.t
      .db('guardians')
      .insert({ household_id: dup.householdId, first_name: 'Alex', last_name: 'Jonsen', phone: '+13125550187', sms_opted_out_at: new Date() })
      .returning('id');
    await suite.t.db('authorized_pickups').insert({ household_id: dup.householdId, name: 'Grandma Joy', relationship: 'grandmother' });
    await suite.t.db('custody_alerts').insert({ household_id: dup.householdId, name: 'Jordan Doe', note: 'court order', child_id: dup.childIds[0] });
    const ci = await suite.t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: dup.householdId, childIds: [dup.childIds[0]], idempotencyKey: key() });
    expect(ci.status).toBe(201);
    const checkinIds = await suite.t.db('checkins').where({ household_id: dup.householdId }).pluck('id');
    expect(checkinIds).toHaveLength(1);
    return { keep, dup, alexId: alex.id as string, checkinIds };
  }

  test('merge: find the duplicate, preview what moves (nothing changes yet), merge — every kind of row survives', async () => {
    const site = await buildSite(suite.t.db);
    const { keep, dup, alexId, checkinIds } = await duplicates(site);
    const page = await open(site.tokens.staff, `/families/${keep.householdId}`);
    await page.getByRole('heading', { name: 'Johnson family' }).waitFor();
    const merge = section(page, 'Merge a duplicate into this family');
    await merge.getByLabel('Find the other family').fill('Jonsen');
    await merge.getByRole('button', { name: 'Find', exact: true }).click();
    await merge.getByRole('button', { name: 'Preview merge of Jonsen family' }).click();
    const preview = page.getByRole('region', { name: 'Merge preview' });
    await preview.waitFor();
    await preview.getByText('2 children, 2 guardians (2 who replied STOP stay opted out), 1 authorised pickups, 1 custody alerts').waitFor();
    await preview.getByText(/^1 check-ins/).waitFor();
    await preview.getByText('•••-•••-0189: the same number in both families becomes one guardian').waitFor();
    await page.screenshot({ path: screenshotPath('staff-merge-1-preview-1366x900'), fullPage: true });
    // the preview wrote nothing
    expect(await suite.t.db('households').where({ id: dup.householdId }).first()).toBeTruthy();
    expect(await suite.t.db('children').where({ household_id: keep.householdId }).pluck('first_name')).toEqual(['Mia']);

    await preview.getByRole('button', { name: 'Merge Jonsen family into this family' }).click();
    await preview.waitFor({ state: 'detached' });
    const kids = section(page, 'Children');
    for (const name of ['Mia Johnson', 'Ava Jonsen', 'Leo Jonsen']) await kids.getByText(name).waitFor();
    await page.getByRole('alert').filter({ hasText: 'do NOT release Ava to Jordan Doe' }).waitFor();
    await section(page, 'Authorised to pick up').getByText('Grandma Joy').waitFor();
    await page.screenshot({ path: screenshotPath('staff-merge-2-merged-1366x900'), fullPage: true });

    // the database after the UI action: everything of the duplicate is in the kept family
    expect(await suite.t.db('households').where({ id: dup.householdId }).first()).toBeUndefined();
    expect((await suite.t.db('children').where({ household_id: keep.householdId }).pluck('first_name')).sort()).toEqual(['Ava', 'Leo', 'Mia']);
    const guardians = await suite.t.db('guardians').where({ household_id: keep.householdId }).select('id', 'first_name', 'phone', 'sms_opted_out_at');
    expect(guardians.map((g) => [g.first_name, g.phone, g.sms_opted_out_at !== null]).sort()).toEqual([
      ['Alex', '+13125550187', true],
      ['Pat', '+13125550189', true], // the same number became one guardian, and keeps the STOP
    ]);
    expect(guardians.map((g) => g.id)).toContain(alexId);
    expect(await suite.t.db('authorized_pickups').where({ household_id: keep.householdId }).pluck('name')).toEqual(['Grandma Joy']);
    expect(await suite.t.db('custody_alerts').where({ household_id: keep.householdId }).select('name', 'child_id')).toEqual([
      { name: 'Jordan Doe', child_id: dup.childIds[0] },
    ]);
    expect(await suite.t.db('checkins').whereIn('id', checkinIds).pluck('household_id')).toEqual([keep.householdId]);
    expect(await suite.t.db('checkins').where({ household_id: dup.householdId })).toEqual([]);
    expect(await suite.t.db('audit_log').where({ entity_id: keep.householdId }).where({ action: 'household.merge' })).toHaveLength(1);

    // undone from the family page (24 hours): the duplicate is back with its children
    await merge.getByRole('button', { name: 'Undo merge of Jonsen family' }).click();
    await merge.getByRole('button', { name: 'Undo merge of Jonsen family' }).waitFor({ state: 'detached' });
    await kids.getByText('Ava Jonsen').waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('staff-merge-3-undone-1366x900'), fullPage: true });
    expect((await suite.t.db('children').where({ household_id: dup.householdId }).pluck('first_name')).sort()).toEqual(['Ava', 'Leo']);
    expect(await suite.t.db('checkins').whereIn('id', checkinIds).pluck('household_id')).toEqual([dup.householdId]);
  });

  test('merge: the likely duplicate is offered first with masked numbers; an unrelated family is previewed with a red warning', async () => {
    const site = await buildSite(suite.t.db);
    const { keep } = await duplicates(site);
    const stranger = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Zoe', months: 30 }], { lastName: 'Jonsen', phone: '+13125550777' });
    await suite.t.db('guardians').where({ id: stranger.guardianId }).update({ first_name: 'Kim' });
    const page = await open(site.tokens.staff, `/families/${keep.householdId}`);
    const merge = section(page, 'Merge a duplicate into this family');
    // before any search: the family sharing the number, its guardians' numbers masked
    const first = merge.locator('.merge-candidates li').first();
    await first.getByText('Same phone').waitFor();
    await first.getByText('•••-•••-0189').waitFor();
    await merge.getByLabel('Find the other family').fill('Jonsen');
    await merge.getByRole('button', { name: 'Find', exact: true }).click();
    await merge.locator('.merge-candidates li').nth(1).getByText('Zoe').waitFor();
    await merge.locator('.merge-candidates li').first().getByText('Same phone').waitFor();
    await merge
      .locator('.merge-candidates li')
      .nth(1)
      .getByRole('button', { name: /^Preview merge of/ })
      .click();
    const warning = page.getByRole('region', { name: 'Merge preview' }).getByRole('alert');
    await warning.getByText(/share no phone number and no guardian name/).waitFor();
    expect(await warning.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(192, 38, 45)');
    await page.screenshot({ path: screenshotPath('staff-merge-4-unrelated-warning-1366x900'), fullPage: true });
  });

  test('care flags: staff set an allergy severity and care needs on the family page; the mark shows', async () => {
    const site = await buildSite(suite.t.db);
    const fam = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Mia', months: 40, allergies: 'Peanuts' }], { lastName: 'Okafor' });
    const page = await open(site.tokens.staff, `/families/${fam.householdId}`);
    const kids = section(page, 'Children');
    await kids.getByRole('button', { name: 'Care needs / severity' }).click();
    await kids.getByLabel('Allergy severity').selectOption('life-threatening');
    await kids.getByLabel('Care needs (separate with ;)').fill('needs a buddy; epinephrine in bag');
    await kids.getByRole('button', { name: 'Save' }).click();
    await kids.getByText('!! LIFE-THREATENING ALLERGY').waitFor();
    await kids.getByText('epinephrine in bag').waitFor();
    await page.screenshot({ path: screenshotPath('staff-family-care-flags-1366x900'), fullPage: true });
    const row = await suite.t.db('children').where({ id: fam.childIds[0] }).first();
    expect([row.allergy_severity, row.care_needs]).toEqual(['life-threatening', ['needs a buddy', 'epinephrine in bag']]);
  });

  test('add a child and a guardian to an existing family from the family screen', async () => {
    const site = await buildSite(suite.t.db);
    const fam = await buildHousehold(suite.t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Garcia', phone: '+13125550140' });
    const page = await open(site.tokens.staff, `/families/${fam.householdId}`);
    await page.getByRole('heading', { name: 'Garcia family' }).waitFor();

    const kids = section(page, 'Children');
    await kids.getByRole('button', { name: 'Add', exact: true }).click();
    await kids.getByLabel('First name').fill('Noah');
    await kids.getByLabel('Birthdate').fill('2099-01-01');
    await kids.getByRole('button', { name: 'Add child' }).click();
    // refused with the field named; nothing written
    await kids
      .getByText(/birthdate/i)
      .first()
      .waitFor();
    expect(await suite.t.db('children').where({ household_id: fam.householdId }).pluck('first_name')).toEqual(['Mia']);
    const born = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    await kids.getByLabel('Birthdate').fill(born);
    await kids.getByLabel('Allergies').fill('Peanuts');
    await kids.getByRole('button', { name: 'Add child' }).click();
    await kids.getByText('Noah Garcia').waitFor();
    await kids.getByText('Allergy: Peanuts').waitFor();

    const parents = section(page, 'Parents and guardians');
    await parents.getByRole('button', { name: 'Add', exact: true }).click();
    await parents.getByLabel('First name').fill('Luis');
    await parents.getByLabel('Mobile').fill('(312) 555-0199');
    await parents.getByRole('button', { name: 'Add guardian' }).click();
    await parents.getByText('Luis Garcia').waitFor();
    await page.screenshot({ path: screenshotPath('staff-family-added-child-guardian-1366x900'), fullPage: true });

    const noah = await suite.t.db('children').where({ household_id: fam.householdId, first_name: 'Noah' }).first();
    expect(noah).toMatchObject({ last_name: 'Garcia', allergies: 'Peanuts' });
    expect(String(noah.birthdate instanceof Date ? noah.birthdate.toISOString() : noah.birthdate)).toContain(born.slice(0, 4));
    expect(await suite.t.db('guardians').where({ household_id: fam.householdId }).orderBy('first_name').pluck('phone')).toEqual([
      '+13125550199',
      '+13125550140',
    ]);
    expect(await suite.t.db('households').where({ site_id: site.siteId })).toHaveLength(1);
  });
});
