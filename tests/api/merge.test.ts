/** Staff merge two families (DESIGN §11): a preview first, then every kind of row survives, audited. */
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function twoJohnsons() {
  const site = await buildSite(t.db);
  const keep = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550189' });
  const dup = await buildHousehold(
    t.db,
    site.siteId,
    [
      { firstName: 'Ava', months: 24 },
      { firstName: 'Leo', grade: 1 },
    ],
    { lastName: 'Johnson', phone: '+13125550189' },
  );
  // the duplicate's guardian replied STOP; it also has a second guardian, a pickup, a custody alert and a source id
  await t.db('guardians').where({ id: dup.guardianId }).update({ sms_opted_out_at: new Date() });
  const [alex] = await t
    .db('guardians')
    .insert({ household_id: dup.householdId, first_name: 'Alex', last_name: 'Johnson', phone: '+13125550187', sms_opted_out_at: new Date() })
    .returning('id');
  await t.db('authorized_pickups').insert({ household_id: dup.householdId, name: 'Grandma Joy', relationship: 'grandmother' });
  await t.db('custody_alerts').insert({ household_id: dup.householdId, name: 'Jordan Doe', note: 'court order', child_id: dup.childIds[0] });
  await t.db('external_ids').insert({ site_id: site.siteId, source: 'pco', entity: 'household', external_id: 'H-1', entity_id: dup.householdId });
  // both families checked in today: two codes, two "family days"
  const ci = async (fam: typeof keep) =>
    (
      await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds.slice(0, 1), idempotencyKey: key() })
    ).body;
  const keepCi = await ci(keep);
  const dupCi = await ci(dup);
  expect(keepCi.securityCode).toBeTruthy();
  expect(dupCi.securityCode).toBeTruthy();
  return { site, keep, dup, alexId: alex.id as string, dupCi };
}

test('the preview says what will move and changes nothing; the merge moves every kind of row and is audited', async () => {
  const { site, keep, dup, alexId, dupCi } = await twoJohnsons();
  const before = await t.db('checkins').whereIn('household_id', [keep.householdId, dup.householdId]).count('* as n');
  const pv = await t.api().post(`/api/households/${keep.householdId}/merge/preview`).set(bearer(site.tokens.staff)).send({ fromHouseholdId: dup.householdId });
  expect(pv.status).toBe(200);
  expect(pv.body.preview).toEqual({
    into: { id: keep.householdId, name: 'Johnson family' },
    from: { id: dup.householdId, name: 'Johnson family' },
    moves: {
      guardians: 2,
      children: 2,
      authorizedPickups: 1,
      custodyAlerts: 1,
      checkins: 1,
      checkinBatches: 1,
      checkinRequests: 1,
      smsOptOuts: 2,
      externalIds: 1,
      expressCodes: 0,
      precheckins: 0,
      precheckinLinks: 0,
      joinCodes: 0,
    },
    shares: { phone: true, guardianName: true },
    guardiansJoined: [{ phoneMasked: '•••-•••-0189' }],
    sameDayCodes: [expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
  });
  expect(await t.db('households').where({ id: dup.householdId }).first()).toBeTruthy();

  const r = await t.api().post(`/api/households/${keep.householdId}/merge`).set(bearer(site.tokens.staff)).send({ fromHouseholdId: dup.householdId });
  expect(r.status).toBe(200);
  const h = r.body.household;
  expect(h.children.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Ava', 'Leo', 'Mia']);
  // same number: one guardian, who keeps the STOP; Alex moved with his STOP
  expect(h.guardians.map((g: { firstName: string; smsOptedOut: boolean }) => [g.firstName, g.smsOptedOut]).sort()).toEqual([
    ['Alex', true],
    ['Pat', true],
  ]);
  expect(h.guardians.find((g: { id: string }) => g.id === alexId)).toBeTruthy();
  expect(h.authorizedPickups).toEqual([expect.objectContaining({ name: 'Grandma Joy' })]);
  expect(h.custodyAlerts).toEqual([expect.objectContaining({ name: 'Jordan Doe', childId: dup.childIds[0] })]);
  expect(await t.db('checkins').where({ household_id: keep.householdId }).count('* as n')).toEqual(before);
  expect(await t.db('checkin_batches').where({ household_id: dup.householdId }).count('* as n')).toEqual([{ n: 0 }]);
  expect((await t.db('checkin_batches').where({ household_id: keep.householdId })).length).toBe(2);
  expect(await t.db('external_ids').where({ external_id: 'H-1', organization_id: site.organizationId }).pluck('entity_id')).toEqual([keep.householdId]);
  expect(await t.db('households').where({ id: dup.householdId }).first()).toBeUndefined();
  // the merged family's code still releases its child (history and pickups intact)
  const v = await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: dupCi.securityCode, serviceId: site.serviceId });
  expect(v.status).toBe(200);
  expect(v.body.checkins.map((c: { firstName: string }) => c.firstName)).toEqual(['Ava']);
  expect(v.body.custodyAlerts).toEqual([expect.objectContaining({ name: 'Jordan Doe' })]);
  const audit = await t.db('audit_log').where({ entity_id: keep.householdId, action: 'household.merge' }).first();
  expect(audit.actor_id).toBe(site.userIds.staff);
  expect(audit.details).toEqual(
    expect.objectContaining({
      from: { id: dup.householdId, name: 'Johnson family' },
      guardiansJoined: 1,
      moved: expect.objectContaining({ children: 2, checkins: 1 }),
    }),
  );
});

test("refusals: the same family, another site's family, volunteers and kiosks", async () => {
  const { site, keep, dup } = await twoJohnsons();
  const other = await buildSite(t.db);
  const foreign = await buildHousehold(t.db, other.siteId);
  const merge = (token: string, into: string, from: string) => t.api().post(`/api/households/${into}/merge`).set(bearer(token)).send({ fromHouseholdId: from });
  expect((await merge(site.tokens.staff, keep.householdId, keep.householdId)).body.error.field).toBe('fromHouseholdId');
  expect((await merge(site.tokens.staff, keep.householdId, foreign.householdId)).status).toBe(404);
  expect((await merge(other.tokens.staff, foreign.householdId, dup.householdId)).status).toBe(404);
  expect((await merge(site.tokens.volunteer, keep.householdId, dup.householdId)).status).toBe(403);
  expect((await merge(site.tokens.kiosk, keep.householdId, dup.householdId)).status).toBe(403);
  expect((await t.api().post(`/api/households/${keep.householdId}/merge`).set(bearer(site.tokens.staff)).send({})).body.error.field).toBe('fromHouseholdId');
  expect(await t.db('households').whereIn('id', [keep.householdId, dup.householdId, foreign.householdId]).count('* as n')).toEqual([{ n: 3 }]);
});

test('staff add a child and a guardian to an existing family (with the door rules)', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson' });
  let r = await t
    .api()
    .post(`/api/households/${fam.householdId}/children`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: 'Noah', lastName: 'Johnson', grade: 2 });
  expect(r.status).toBe(201);
  expect(r.body.household.children.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Mia', 'Noah']);
  r = await t
    .api()
    .post(`/api/households/${fam.householdId}/guardians`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: 'Alex', lastName: 'Johnson', phone: '+44 7911 123456' });
  expect(r.status).toBe(201);
  expect(r.body.household.guardians.map((g: { phone: string }) => g.phone)).toContain('+447911123456');
  r = await t
    .api()
    .post(`/api/households/${fam.householdId}/guardians`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: 'Alex', lastName: 'Johnson', phone: '+1 012 555 0189' });
  expect(r.status).toBe(400);
  expect(r.body.error.field).toBe('phone');
  r = await t
    .api()
    .post(`/api/households/${fam.householdId}/children`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: '\u200B', lastName: 'Johnson', grade: 2 });
  expect(r.body.error.field).toBe('firstName');
});
