import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const ID = '00000000-0000-4000-8000-000000000000';

describe('families: search', () => {
  test('finds households by household, guardian or child name and by phone digits, only at the own site', async () => {
    const site = await buildSite(t.db);
    const other = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zephyrine', months: 24 }], { lastName: 'Quixley', phone: '+13125550177' });
    await buildHousehold(t.db, other.siteId, [{ firstName: 'Zephyrine', months: 24 }], { lastName: 'Quixley' });
    for (const q of ['quix', 'Zephyr', 'Pat Quixley', '0177', '555-0177']) {
      const r = await t.api().get('/api/households/search').query({ q }).set(bearer(site.tokens.staff));
      expect(r.status).toBe(200);
      expect(r.body.households.map((h: { id: string }) => h.id)).toEqual([fam.householdId]);
    }
    const r = await t.api().get('/api/households/search').query({ q: 'quixley' }).set(bearer(site.tokens.admin));
    expect(r.body.households[0]).toEqual(
      expect.objectContaining({
        name: 'Quixley family',
        guardians: [expect.objectContaining({ phone: '+13125550177' })],
        children: [expect.objectContaining({ firstName: 'Zephyrine' })],
      }),
    );
    // wildcard characters are literal
    const none = await t.api().get('/api/households/search').query({ q: '%%' }).set(bearer(site.tokens.staff));
    expect(none.body.households).toEqual([]);
  });

  test('validation, auth and roles', async () => {
    const site = await buildSite(t.db);
    for (const q of [{}, { q: 'a' }, { q: 'x'.repeat(81) }]) {
      const r = await t.api().get('/api/households/search').query(q).set(bearer(site.tokens.staff));
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('q');
    }
    expect((await t.api().get('/api/households/search').query({ q: 'ab' })).status).toBe(401);
    expect((await t.api().get('/api/households/search').query({ q: 'ab' }).set(bearer(site.tokens.volunteer))).status).toBe(403);
    expect((await t.api().get('/api/households/search').query({ q: 'ab' }).set(bearer(site.tokens.kiosk))).status).toBe(403);
  });
});

describe('families: read and edit', () => {
  test('the family record has guardians with phones, children with medical notes, pickups, custody alerts and recent check-ins', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24, allergies: 'Peanuts', medicalNotes: 'Inhaler in bag' }]);
    await t.db('authorized_pickups').insert({ household_id: fam.householdId, name: 'Grandma Joy', relationship: 'grandmother' });
    await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan Doe', note: 'court order' });
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const r = await t.api().get(`/api/households/${fam.householdId}`).set(bearer(site.tokens.staff));
    expect(r.status).toBe(200);
    const h = r.body.household;
    expect(h.guardians[0]).toEqual(expect.objectContaining({ phone: fam.phone, smsOptIn: true, smsOptedOut: false }));
    expect(h.children[0]).toEqual(expect.objectContaining({ firstName: 'Ada', allergies: 'Peanuts', medicalNotes: 'Inhaler in bag', checkedIn: true }));
    expect(h.authorizedPickups).toEqual([expect.objectContaining({ name: 'Grandma Joy', relationship: 'grandmother', phone: null })]);
    expect(h.custodyAlerts).toEqual([expect.objectContaining({ name: 'Jordan Doe', note: 'court order', childId: null })]);
    expect(h.recentCheckins).toEqual([expect.objectContaining({ childId: fam.childIds[0], roomName: 'Toddlers', status: 'checked_in' })]);
  });

  test('edits every part of a family, each audited', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }]);
    const api = (method: 'post' | 'patch' | 'delete', path: string, body?: object) =>
      t.api()[method](`/api/households/${fam.householdId}${path}`).set(bearer(site.tokens.staff)).send(body);

    let r = await api('patch', '', { name: 'The Lovelaces' });
    expect(r.status).toBe(200);
    expect(r.body.household.name).toBe('The Lovelaces');

    r = await api('post', '/guardians', { firstName: 'Lee', lastName: 'Lovelace', phone: '(312) 555-0142', smsOptIn: false });
    expect(r.status).toBe(201);
    const lee = r.body.household.guardians.find((g: { firstName: string }) => g.firstName === 'Lee');
    expect(lee).toEqual(expect.objectContaining({ phone: '+13125550142', smsOptIn: false }));
    await t.db('guardians').where({ id: lee.id }).update({ sms_opted_out_at: new Date() });
    r = await api('patch', `/guardians/${lee.id}`, { phone: '312-555-0143', smsOptIn: true });
    expect(r.status).toBe(200);
    // a new number drops the old number's STOP
    expect(r.body.household.guardians.find((g: { id: string }) => g.id === lee.id)).toEqual(
      expect.objectContaining({ phone: '+13125550143', smsOptIn: true, smsOptedOut: false }),
    );
    r = await api('delete', `/guardians/${lee.id}`);
    expect(r.status).toBe(200);
    expect(r.body.household.guardians).toHaveLength(1);
    r = await api('delete', `/guardians/${fam.guardianId}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('last_guardian');

    r = await api('post', '/children', { firstName: 'Byron', lastName: 'Lovelace', grade: 2, allergies: 'Bees', medicalNotes: 'EpiPen' });
    expect(r.status).toBe(201);
    const byron = r.body.household.children.find((c: { firstName: string }) => c.firstName === 'Byron');
    expect(byron).toEqual(expect.objectContaining({ grade: 2, birthdate: null, allergies: 'Bees', medicalNotes: 'EpiPen' }));
    r = await api('patch', `/children/${byron.id}`, { birthdate: '2019-05-04', grade: null, medicalNotes: '' });
    expect(r.status).toBe(200);
    expect(r.body.household.children.find((c: { id: string }) => c.id === byron.id)).toEqual(
      expect.objectContaining({ birthdate: '2019-05-04', grade: null, medicalNotes: '' }),
    );
    r = await api('patch', `/children/${byron.id}`, { birthdate: null });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('birthdate');
    r = await api('delete', `/children/${byron.id}`);
    expect(r.status).toBe(200);
    expect(r.body.household.children.map((c: { id: string }) => c.id)).not.toContain(byron.id);

    r = await api('post', '/pickups', { name: 'Grandma Joy', relationship: 'grandmother', phone: '3125550150' });
    expect(r.status).toBe(201);
    const joy = r.body.household.authorizedPickups[0];
    expect(joy).toEqual(expect.objectContaining({ name: 'Grandma Joy', phone: '+13125550150' }));
    r = await api('patch', `/pickups/${joy.id}`, { relationship: 'aunt', phone: null });
    expect(r.body.household.authorizedPickups[0]).toEqual(expect.objectContaining({ relationship: 'aunt', phone: null }));
    r = await api('delete', `/pickups/${joy.id}`);
    expect(r.body.household.authorizedPickups).toEqual([]);

    r = await api('post', '/custody-alerts', { name: 'Jordan Doe', note: 'Court order', childId: fam.childIds[0] });
    expect(r.status).toBe(201);
    const alert = r.body.household.custodyAlerts[0];
    expect(alert).toEqual(expect.objectContaining({ name: 'Jordan Doe', childId: fam.childIds[0] }));
    r = await api('patch', `/custody-alerts/${alert.id}`, { note: 'Call the pastor', childId: null });
    expect(r.body.household.custodyAlerts[0]).toEqual(expect.objectContaining({ note: 'Call the pastor', childId: null }));
    r = await api('delete', `/custody-alerts/${alert.id}`);
    expect(r.body.household.custodyAlerts).toEqual([]);

    const actions = await t.db('audit_log').where({ site_id: site.siteId, actor_id: site.userIds.staff }).pluck('action');
    expect(actions).toEqual(
      expect.arrayContaining([
        'household.update',
        'guardian.create',
        'guardian.update',
        'guardian.delete',
        'child.create',
        'child.update',
        'child.delete',
        'authorized_pickup.create',
        'authorized_pickup.update',
        'authorized_pickup.delete',
        'custody_alert.create',
        'custody_alert.update',
        'custody_alert.delete',
      ]),
    );
  });

  test('a child with check-ins cannot be removed', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const r = await t.api().delete(`/api/households/${fam.householdId}/children/${fam.childIds[0]}`).set(bearer(site.tokens.staff));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('has_checkins');
  });

  test.each([
    ['patch', '', { name: '' }, 'name'],
    ['patch', '', { name: 'Ok', nickname: 'x' }, 'nickname'],
    ['post', '/guardians', { firstName: 'A', lastName: 'B' }, 'phone'],
    ['post', '/guardians', { firstName: 'A', lastName: 'B', phone: '555-1234' }, 'phone'],
    ['post', '/children', { firstName: 'A', lastName: 'B' }, 'birthdate'],
    ['post', '/children', { firstName: 'A', lastName: 'B', birthdate: '2020-02-30' }, 'birthdate'],
    ['post', '/children', { firstName: 'A', lastName: 'B', grade: 13 }, 'grade'],
    ['post', '/pickups', { relationship: 'aunt' }, 'name'],
    ['post', '/custody-alerts', { name: 'X', childId: 'nope' }, 'childId'],
    ['post', '/custody-alerts', { name: 'X', childId: ID }, 'childId'],
  ] as const)('%s %s with %j → 400 naming %s', async (method, path, body, field) => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId);
    const r = await t.api()[method](`/api/households/${fam.householdId}${path}`).set(bearer(site.tokens.staff)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.field).toBe(field);
  });

  test('empty patches, bad ids', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId);
    const empty = await t.api().patch(`/api/households/${fam.householdId}/children/${fam.childIds[0]}`).set(bearer(site.tokens.staff)).send({});
    expect(empty.status).toBe(400);
    const badId = await t.api().get('/api/households/not-a-uuid').set(bearer(site.tokens.staff));
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('id');
    const badSub = await t.api().patch(`/api/households/${fam.householdId}/guardians/xyz`).set(bearer(site.tokens.staff)).send({ firstName: 'A' });
    expect(badSub.body.error.field).toBe('guardianId');
  });

  test('roles: volunteers and kiosks are refused; no token is 401', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId);
    for (const token of [site.tokens.volunteer, site.tokens.kiosk]) {
      expect((await t.api().get(`/api/households/${fam.householdId}`).set(bearer(token))).status).toBe(403);
      expect((await t.api().patch(`/api/households/${fam.householdId}`).set(bearer(token)).send({ name: 'X' })).status).toBe(403);
      expect((await t.api().post(`/api/households/${fam.householdId}/custody-alerts`).set(bearer(token)).send({ name: 'X' })).status).toBe(403);
    }
    expect((await t.api().get(`/api/households/${fam.householdId}`)).status).toBe(401);
    expect((await t.api().patch(`/api/households/${fam.householdId}`).send({ name: 'X' })).status).toBe(401);
    expect((await t.db('households').where({ id: fam.householdId }).first()).name).not.toBe('X');
  });

  test("another site's household, guardian, child, pickup or alert is a 404 and stays unchanged", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    const famA = await buildHousehold(t.db, a.siteId);
    const famB = await buildHousehold(t.db, b.siteId, [{ firstName: 'Bea', months: 24 }]);
    const [pickup] = await t.db('authorized_pickups').insert({ household_id: famB.householdId, name: 'Joy' }).returning('id');
    const [custody] = await t.db('custody_alerts').insert({ household_id: famB.householdId, name: 'Jordan' }).returning('id');
    const asA = (m: 'get' | 'patch' | 'post' | 'delete', p: string, body?: object) => t.api()[m](p).set(bearer(a.tokens.admin)).send(body);
    expect((await asA('get', `/api/households/${famB.householdId}`)).status).toBe(404);
    expect((await asA('patch', `/api/households/${famB.householdId}`, { name: 'Mine' })).status).toBe(404);
    expect((await asA('post', `/api/households/${famB.householdId}/children`, { firstName: 'X', lastName: 'Y', grade: 1 })).status).toBe(404);
    expect((await asA('patch', `/api/households/${famB.householdId}/children/${famB.childIds[0]}`, { firstName: 'Z' })).status).toBe(404);
    // another family's member through my own family is also not found
    expect((await asA('patch', `/api/households/${famA.householdId}/children/${famB.childIds[0]}`, { firstName: 'Z' })).status).toBe(404);
    expect((await asA('delete', `/api/households/${famA.householdId}/guardians/${famB.guardianId}`)).status).toBe(404);
    expect((await asA('delete', `/api/households/${famA.householdId}/pickups/${pickup.id}`)).status).toBe(404);
    expect((await asA('patch', `/api/households/${famA.householdId}/custody-alerts/${custody.id}`, { note: 'x' })).status).toBe(404);
    expect((await asA('post', `/api/households/${famA.householdId}/custody-alerts`, { name: 'X', childId: famB.childIds[0] })).status).toBe(400);
    expect((await t.db('children').where({ id: famB.childIds[0] }).first()).first_name).toBe('Bea');
    expect(await t.db('authorized_pickups').where({ id: pickup.id }).first()).toBeTruthy();
  });

  test('families are created through POST /api/households by staff', async () => {
    const site = await buildSite(t.db);
    const r = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send({
        guardians: [{ firstName: 'Mo', lastName: 'Ng', phone: '3125550190' }],
        children: [{ firstName: 'Kit', lastName: 'Ng', grade: 1 }],
        authorizedPickups: [{ name: 'Aunt Lu', relationship: 'aunt' }],
        custodyAlerts: [{ name: 'Rex Ng', note: 'no contact' }],
      });
    expect(r.status).toBe(201);
    const d = await t.api().get(`/api/households/${r.body.household.id}`).set(bearer(site.tokens.staff));
    expect(d.body.household).toEqual(
      expect.objectContaining({
        name: 'Ng family',
        authorizedPickups: [expect.objectContaining({ name: 'Aunt Lu' })],
        custodyAlerts: [expect.objectContaining({ name: 'Rex Ng' })],
      }),
    );
  });
});
