/**
 * Families belong to the organisation (DESIGN §10): a family registered at campus A is found and
 * checked in by the kiosk of campus B of the same organisation; another organisation never sees it.
 */
import crypto from 'node:crypto';
import { birthdateForMonths, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';

let t: TestApp;
let a: BuiltSite;
let a2: BuiltSite;
let other: BuiltSite;
beforeAll(async () => {
  t = await startTestApp();
  a = await buildSite(t.db);
  a2 = await buildSite(t.db, { organizationId: a.organizationId });
  other = await buildSite(t.db);
});
afterAll(async () => {
  await t.stop();
});

test('registered at campus A, found and checked in at campus B; never by another organisation', async () => {
  const phone = `+1773${String(crypto.randomInt(2e6, 9999999)).padStart(7, '0')}`;
  const reg = await t
    .api()
    .post('/api/households')
    .set(bearer(a.tokens.kiosk))
    .send({
      name: 'Rivera family',
      idempotencyKey: key(),
      guardians: [{ firstName: 'Ana', lastName: 'Rivera', phone, smsOptIn: true }],
      children: [
        { firstName: 'Luz', lastName: 'Rivera', birthdate: birthdateForMonths(24, dateInTimezone(new Date(), a.timezone)), allergies: '', medicalNotes: '' },
      ],
    });
  expect(reg.status).toBe(201);
  const householdId = reg.body.household.id;
  const childId = reg.body.household.children[0].id;
  expect(await t.db('households').where({ id: householdId }).first()).toMatchObject({ site_id: a.siteId, organization_id: a.organizationId });

  const found = await t
    .api()
    .get('/api/households')
    .query({ phone: phone.slice(-4) })
    .set(bearer(a2.tokens.kiosk));
  expect(found.status).toBe(200);
  expect(found.body.households.map((h: any) => h.id)).toContain(householdId);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(a2.tokens.kiosk))
    .send({ serviceId: a2.serviceId, householdId, childIds: [childId], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  expect(ci.body.checkins[0].roomId).toBe(a2.rooms.Toddlers);
  // staff of campus B see the family too
  expect((await t.api().get(`/api/households/${householdId}`).set(bearer(a2.tokens.staff))).status).toBe(200);
  expect((await t.api().get('/api/households/search').query({ q: 'Rivera' }).set(bearer(a2.tokens.staff))).body.households.map((h: any) => h.id)).toContain(
    householdId,
  );

  // another organisation: not found by phone, by id, by search, nor checked in
  const theirs = await t.api().get('/api/households').query({ phone }).set(bearer(other.tokens.kiosk));
  expect(theirs.body.households.map((h: any) => h.id)).not.toContain(householdId);
  expect((await t.api().get(`/api/households/${householdId}`).set(bearer(other.tokens.staff))).status).toBe(404);
  expect(JSON.stringify((await t.api().get('/api/households/search').query({ q: 'Rivera' }).set(bearer(other.tokens.staff))).body)).not.toContain(householdId);
  const steal = await t
    .api()
    .post('/api/checkins')
    .set(bearer(other.tokens.kiosk))
    .send({ serviceId: other.serviceId, householdId, childIds: [childId], idempotencyKey: key() });
  expect(steal.status).toBe(404);
  expect(await t.db('checkins').where({ household_id: householdId }).pluck('site_id')).toEqual([a2.siteId]);
});
