/**
 * The small doors: a kiosk's household lookup shows only what the kiosk screen needs (first names,
 * age, an allergy flag, masked phones), staff still see everything, and lookups are rate-limited
 * per kiosk (and, more generously, per staff user) rather than per address.
 */
import { buildHousehold, buildSite, key, kioskToken } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const sorted = (o: object) => Object.keys(o).sort();

test('a kiosk gets first names, age in months, an allergy flag and masked phones — no birthdate, allergy text, notes or phone', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Ada', months: 30, allergies: 'Peanuts (EpiPen in bag)', medicalNotes: 'Asthma inhaler' },
    { firstName: 'Bo', grade: 2 },
  ]);
  const r = await t
    .api()
    .get('/api/households')
    .query({ phone: fam.phone.slice(-4) })
    .set(bearer(site.tokens.kiosk));
  expect(r.status).toBe(200);
  const h = r.body.households.find((x: { id: string }) => x.id === fam.householdId);
  // `precheckin`: ids of a phone pre-check-in for a service open now (none here), nothing more about the family
  expect(sorted(h)).toEqual(['children', 'guardians', 'id', 'name', 'precheckin']);
  expect(h.precheckin).toBeNull();
  expect(sorted(h.guardians[0])).toEqual(['firstName', 'id', 'phoneMasked', 'smsOptIn']);
  expect(h.guardians[0].phoneMasked).toBe(`•••-•••-${fam.phone.slice(-4)}`);
  for (const c of h.children) expect(sorted(c)).toEqual(['ageMonths', 'checkedIn', 'firstName', 'grade', 'hasAllergies', 'id']);
  const ada = h.children.find((c: { firstName: string }) => c.firstName === 'Ada');
  expect(ada).toMatchObject({ ageMonths: 30, hasAllergies: true });
  expect(h.children.find((c: { firstName: string }) => c.firstName === 'Bo')).toMatchObject({ ageMonths: null, grade: 2, hasAllergies: false });
  const text = JSON.stringify(r.body);
  for (const secret of ['Peanuts', 'Asthma', fam.phone, fam.phone.slice(2), /\d{4}-\d{2}-\d{2}/.source])
    expect({ secret, leaked: new RegExp(secret.replace('+', '\\+')).test(text) }).toEqual({ secret, leaked: false });
});

test('staff still get the full record', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 30, allergies: 'Peanuts', medicalNotes: 'Asthma inhaler' }]);
  const r = await t.api().get('/api/households').query({ phone: fam.phone }).set(bearer(site.tokens.staff));
  const h = r.body.households[0];
  expect(h.guardians[0].phone).toBe(fam.phone);
  expect(h.children[0]).toMatchObject({ firstName: 'Ada', allergies: 'Peanuts', medicalNotes: 'Asthma inhaler' });
  expect(h.children[0].birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test('a kiosk registration answers with the kiosk view; the check-in answer carries the allergy text for the labels', async () => {
  const site = await buildSite(t.db);
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [{ firstName: 'Ana', lastName: 'Lopez', phone: '(312) 555-0177', smsOptIn: true }],
      children: [{ firstName: 'Leo', lastName: 'Lopez', birthdate: '2023-01-15', allergies: 'Dairy', medicalNotes: 'none' }],
    });
  expect(reg.status).toBe(201);
  expect(sorted(reg.body.household.children[0])).toEqual(['ageMonths', 'checkedIn', 'firstName', 'grade', 'hasAllergies', 'id']);
  expect(JSON.stringify(reg.body)).not.toContain('Dairy');
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: reg.body.household.id, childIds: [reg.body.household.children[0].id], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  expect(ci.body.checkins[0]).toMatchObject({ firstName: 'Leo', allergies: 'Dairy' });
});

test('lookups are limited per kiosk (another kiosk and staff keep going) and per staff user', async () => {
  const own = await startTestApp({ db: t.db, env: { KIOSK_LOOKUPS_PER_MINUTE: '3', STAFF_LOOKUPS_PER_MINUTE: '5' } });
  try {
    const site = await buildSite(t.db);
    const second = await kioskToken(t.db, site.siteId);
    const look = (token: string) =>
      own
        .api()
        .get('/api/households')
        .query({ phone: '0000' })
        .set(bearer(token))
        .then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await look(site.tokens.kiosk));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await look(second)).toBe(200);
    const staff: number[] = [];
    for (let i = 0; i < 6; i++) staff.push(await look(site.tokens.staff));
    expect(staff).toEqual([200, 200, 200, 200, 200, 429]);
    // the refusal is the error envelope
    const r = await own.api().get('/api/households').query({ phone: '0000' }).set(bearer(site.tokens.kiosk));
    expect(r.body.error.code).toBe('rate_limited');
  } finally {
    await own.stop();
  }
});
