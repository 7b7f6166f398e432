import { hashPassword } from '../../server/src/auth/crypto';
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

describe('validation: 400 naming the field', () => {
  test.each([
    ['serviceId missing', { householdId: ID, childIds: [ID], idempotencyKey: 'abcdefgh' }, 'serviceId'],
    ['serviceId not a uuid', { serviceId: 'x', householdId: ID, childIds: [ID], idempotencyKey: 'abcdefgh' }, 'serviceId'],
    ['childIds empty', { serviceId: ID, householdId: ID, childIds: [], idempotencyKey: 'abcdefgh' }, 'childIds'],
    ['childIds item wrong', { serviceId: ID, householdId: ID, childIds: [42], idempotencyKey: 'abcdefgh' }, 'childIds.0'],
    ['childIds repeated', { serviceId: ID, householdId: ID, childIds: [ID, ID], idempotencyKey: 'abcdefgh' }, 'childIds'],
    ['idempotencyKey short', { serviceId: ID, householdId: ID, childIds: [ID], idempotencyKey: 'a' }, 'idempotencyKey'],
  ])('POST /api/checkins: %s', async (_name, body, field) => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.field).toBe(field);
    expect(r.body.error.message).toContain(field);
  });

  test('a child of another household is a 400 naming childIds.N', async () => {
    const site = await buildSite(t.db);
    const a = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const b = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: a.householdId, childIds: [a.childIds[0], b.childIds[0]], idempotencyKey: key() });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('childIds.1');
  });

  test.each([
    ['guardians missing', { children: [{ firstName: 'A', lastName: 'B', birthdate: '2022-01-01' }] }, 'guardians'],
    [
      'bad phone',
      { guardians: [{ firstName: 'A', lastName: 'B', phone: '12' }], children: [{ firstName: 'A', lastName: 'B', birthdate: '2022-01-01' }] },
      'guardians.0.phone',
    ],
    [
      'unusable phone',
      { guardians: [{ firstName: 'A', lastName: 'B', phone: '555-1234' }], children: [{ firstName: 'A', lastName: 'B', birthdate: '2022-01-01' }] },
      'guardians.0.phone',
    ],
    [
      'bad birthdate',
      { guardians: [{ firstName: 'A', lastName: 'B', phone: '3125550100' }], children: [{ firstName: 'A', lastName: 'B', birthdate: '2022-02-30' }] },
      'children.0.birthdate',
    ],
    [
      'no birthdate or grade',
      { guardians: [{ firstName: 'A', lastName: 'B', phone: '3125550100' }], children: [{ firstName: 'A', lastName: 'B' }] },
      'children.0.birthdate',
    ],
    [
      'grade out of range',
      { guardians: [{ firstName: 'A', lastName: 'B', phone: '3125550100' }], children: [{ firstName: 'A', lastName: 'B', grade: 40 }] },
      'children.0.grade',
    ],
    [
      'empty first name',
      { guardians: [{ firstName: ' ', lastName: 'B', phone: '3125550100' }], children: [{ firstName: 'A', lastName: 'B', grade: 1 }] },
      'guardians.0.firstName',
    ],
  ])('POST /api/households: %s', async (_n, body, field) => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/households').set(bearer(site.tokens.kiosk)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });

  test('GET /api/households without phone / with letters', async () => {
    const site = await buildSite(t.db);
    for (const q of [{}, { phone: 'abcd' }, { phone: '12' }, { phone: '12345' }]) {
      const r = await t.api().get('/api/households').query(q).set(bearer(site.tokens.kiosk));
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('phone');
    }
  });

  test('verify, checkout, room patch, login, pair: field named', async () => {
    const site = await buildSite(t.db);
    const cases: [string, string, object, string, string][] = [
      ['post', '/api/pickups/verify', { securityCode: 'AAAA', serviceId: site.serviceId }, site.tokens.volunteer, 'securityCode'],
      ['post', '/api/checkouts', { checkinIds: [ID], pickedUpBy: 'X' }, site.tokens.volunteer, 'securityCode'],
      ['post', '/api/checkouts', { checkinIds: [ID], securityCode: 'BBBB' }, site.tokens.volunteer, 'pickedUpBy'],
      ['patch', `/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`, { capacity: -1 }, site.tokens.staff, 'capacity'],
      ['patch', `/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`, { open: 'yes' }, site.tokens.staff, 'open'],
      ['patch', `/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`, { colour: 'red' }, site.tokens.staff, 'colour'],
      ['patch', `/api/services/not-a-uuid/rooms/${site.rooms.Toddlers}`, { open: true }, site.tokens.staff, 'id'],
      ['post', '/api/auth/login', { email: 'nope', password: 'x' }, '', 'email'],
      ['post', '/api/kiosks/pair', { pairingCode: 1 }, '', 'pairingCode'],
    ];
    for (const [method, path, body, token, field] of cases) {
      const req = (t.api() as any)[method](path).send(body);
      const r = token ? await req.set(bearer(token)) : await req;
      expect({ path, status: r.status, field: r.body.error?.field }).toEqual({ path, status: 400, field });
    }
  });

  test('malformed JSON is a 400, not a 500', async () => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).set('Content-Type', 'application/json').send('{"serviceId":');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_json');
  });
});

describe('sites, sign-in and pairing', () => {
  // every route × every role: tests/security/access.test.ts (read from the router, so none is missed)

  test("another site's token cannot see this site's service, household or rooms", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }], { phone: '+13125550777' });
    const rooms = await t.api().get(`/api/services/${a.serviceId}/rooms`).set(bearer(b.tokens.staff));
    expect(rooms.status).toBe(404);
    const look = await t.api().get('/api/households').query({ phone: '+13125550777' }).set(bearer(b.tokens.kiosk));
    expect(look.body.households).toEqual([]);
    const ci = await t
      .api()
      .post('/api/checkins')
      .set(bearer(b.tokens.kiosk))
      .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(ci.status).toBe(404);
    const ci2 = await t
      .api()
      .post('/api/checkins')
      .set(bearer(b.tokens.kiosk))
      .send({ serviceId: b.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(ci2.status).toBe(404);
  });

  test('login, logout and kiosk pairing', async () => {
    const site = await buildSite(t.db);
    await t
      .db('users')
      .where({ id: site.userIds.admin })
      .update({ password_hash: await hashPassword('correct horse'), email: `admin-${site.siteId}@x.church` });
    const bad = await t
      .api()
      .post('/api/auth/login')
      .send({ email: `admin-${site.siteId}@x.church`, password: 'wrong' });
    expect(bad.status).toBe(401);
    const ok = await t
      .api()
      .post('/api/auth/login')
      .send({ email: `ADMIN-${site.siteId}@x.church`, password: 'correct horse' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual(expect.objectContaining({ role: 'admin', siteId: site.siteId }));
    const created = await t.api().post('/api/kiosks').set(bearer(ok.body.token)).send({ name: 'Door 2', siteId: site.siteId, mode: 'checkin' });
    expect(created.status).toBe(201);
    expect(created.body.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
    const other = await buildSite(t.db);
    expect((await t.api().post('/api/kiosks').set(bearer(ok.body.token)).send({ name: 'X', siteId: other.siteId, mode: 'checkin' })).status).toBe(403);
    const paired = await t.api().post('/api/kiosks/pair').send({ pairingCode: created.body.pairingCode.toLowerCase() });
    expect(paired.status).toBe(200);
    expect(paired.body.token).toMatch(/^k_/);
    expect((await t.api().post('/api/kiosks/pair').send({ pairingCode: created.body.pairingCode })).status).toBe(400); // single use
    const stored = await t.db('kiosks').where({ id: created.body.kiosk.id }).first();
    expect(stored.token_hash).not.toContain(paired.body.token);
    expect((await t.api().get('/api/services/current').set(bearer(paired.body.token))).status).toBe(200);
    expect((await t.api().post('/api/auth/logout').set(bearer(ok.body.token))).status).toBe(204);
    expect((await t.api().get('/api/kiosks').set(bearer(ok.body.token))).status).toBe(401);
  });
});
