/**
 * API keys for integrations (DESIGN §20): created, listed and revoked by organisation admins only;
 * the secret shown once and stored hashed; each scope opens its routes and no other; a key acts
 * within its organisation and, when limited, its campus; a revocation holds at once on every
 * instance; uses are counted and writes audited under the key.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { API_SCOPES, type ApiKeyCreated, type ApiScope, type ServiceRoom } from '../../contracts';
import { sha256 } from '../../server/src/auth/crypto';
import { API_KEY_ROUTES } from '../../server/src/apikeys/api-key-scopes';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, connected, startTestApp, type TestApp } from '../support/harness';
import { testDb } from '../support/db';
import { fillPath } from '../support/routes';

let t: TestApp;
/** organisation A: campus a (its admin is an organisation admin) and campus a2; organisation B: campus b */
let a: BuiltSite;
let a2: BuiltSite;
let b: BuiltSite;
let orgAdmin: string;
let bOrgAdmin: string;
beforeAll(async () => {
  t = await startTestApp();
  a = await buildSite(t.db);
  a2 = await buildSite(t.db, { organizationId: a.organizationId });
  b = await buildSite(t.db);
  await t.db('users').whereIn('id', [a.userIds.admin, b.userIds.admin]).update({ org_admin: true });
  orgAdmin = a.tokens.admin;
  bOrgAdmin = b.tokens.admin;
});
afterAll(() => t.stop());

async function createKey(scopes: readonly ApiScope[], siteId?: string | null, token = orgAdmin, app: TestApp = t): Promise<ApiKeyCreated> {
  const res = await app
    .api()
    .post('/api/org/api-keys')
    .set(bearer(token))
    .send({ name: `Key ${crypto.randomInt(1e6)}`, scopes, ...(siteId !== undefined ? { siteId } : {}) });
  expect(res.status).toBe(201);
  return res.body as ApiKeyCreated;
}

describe('creating, listing and revoking keys', () => {
  test('the secret is answered once, kept only as its sha-256, and never listed', async () => {
    const res = await t
      .api()
      .post('/api/org/api-keys')
      .set(bearer(orgAdmin))
      .send({ name: '  Security desk  ', scopes: ['checkins:read'], siteId: a.siteId });
    expect(res.status).toBe(201);
    const { apiKey, secret } = res.body as ApiKeyCreated;
    expect(secret).toMatch(/^kc_live_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'Security desk',
      scopes: ['checkins:read'],
      siteId: a.siteId,
      prefix: secret.slice(0, 12),
      useCount: 0,
      revokedAt: null,
    });
    expect(apiKey.createdBy).toBe('Test admin');
    const row = await t.db('api_keys').where({ id: apiKey.id }).first();
    expect(row.secret_hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(12));
    const list = await t.api().get('/api/org/api-keys').set(bearer(orgAdmin));
    expect(list.status).toBe(200);
    expect(list.body.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(12));
    expect(JSON.stringify(list.body)).not.toContain(row.secret_hash);
    const audit = await t.db('audit_log').where({ action: 'apikey.created', entity_id: apiKey.id }).first();
    expect(audit).toMatchObject({ actor_kind: 'user', actor_id: a.userIds.admin, organization_id: a.organizationId });
    expect(JSON.stringify(audit.details)).not.toContain(secret.slice(12));
  });

  test.each([
    [{ name: '', scopes: ['checkins:read'] }, 'name'],
    [{ name: '   ', scopes: ['checkins:read'] }, 'name'],
    [{ scopes: ['checkins:read'] }, 'name'],
    [{ name: 'x', scopes: ['checkins:delete'] }, 'scopes.0'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x' }, 'scopes'],
    [{ name: 'x', scopes: ['checkins:read', 'checkins:read'] }, 'scopes'],
    [{ name: 'x', scopes: ['checkins:read'], siteId: 'nope' }, 'siteId'],
    [{ name: 'x', scopes: ['checkins:read'], admin: true }, 'admin'],
  ])('bad input %j is a 400 naming %s', async (body, field) => {
    const res = await t.api().post('/api/org/api-keys').set(bearer(orgAdmin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toContain(field);
  });

  test("another organisation's campus is a 404, and nothing is created", async () => {
    const before = await t.db('api_keys').where({ organization_id: a.organizationId }).count<{ count: string }[]>('* as count');
    const res = await t
      .api()
      .post('/api/org/api-keys')
      .set(bearer(orgAdmin))
      .send({ name: 'x', scopes: ['checkins:read'], siteId: b.siteId });
    expect(res.status).toBe(404);
    const after = await t.db('api_keys').where({ organization_id: a.organizationId }).count<{ count: string }[]>('* as count');
    expect(after[0]!.count).toBe(before[0]!.count);
    // and the database itself refuses a key of one organisation limited to another's campus
    await expect(
      t.db('api_keys').insert({
        organization_id: a.organizationId,
        site_id: b.siteId,
        name: 'x',
        scopes: t.db.raw("'{checkins:read}'::text[]"),
        prefix: 'kc_live_xxxx',
        secret_hash: sha256(key()),
      }),
    ).rejects.toMatchObject({ code: '23503' });
  });

  test('staff without organisation-admin rights, kiosks and keys themselves cannot create, list or revoke keys', async () => {
    const { apiKey, secret: allScopes } = await createKey(API_SCOPES);
    // a2's admin is a campus admin, not an organisation admin
    for (const token of [a2.tokens.admin, a.tokens.staff, a.tokens.volunteer, a.tokens.kiosk, allScopes]) {
      expect(
        (
          await t
            .api()
            .post('/api/org/api-keys')
            .set(bearer(token))
            .send({ name: 'x', scopes: ['checkins:read'] })
        ).status,
      ).toBe(403);
      expect((await t.api().get('/api/org/api-keys').set(bearer(token))).status).toBe(403);
      expect((await t.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(token))).status).toBe(403);
    }
    expect((await t.db('api_keys').where({ id: apiKey.id }).first()).revoked_at).toBeNull();
    expect((await t.api().get('/api/org/api-keys')).status).toBe(401);
  });

  test("another organisation's admin neither sees nor revokes a key (404); its own key is refused here", async () => {
    const { apiKey, secret } = await createKey(['checkins:read']);
    expect((await t.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(bOrgAdmin))).status).toBe(404);
    const list = await t.api().get('/api/org/api-keys').set(bearer(bOrgAdmin));
    expect(list.body.apiKeys.map((k: { id: string }) => k.id)).not.toContain(apiKey.id);
    expect((await t.api().get('/api/services/today').set(bearer(secret))).status).toBe(200);
    // organisation B's key on organisation A's service and family
    const bKey = await createKey(['checkins:read', 'families:read', 'reports:read'], undefined, bOrgAdmin);
    const fam = await buildHousehold(t.db, a.siteId);
    expect((await t.api().get(`/api/services/${a.serviceId}/rooms`).set(bearer(bKey.secret))).status).toBe(404);
    expect((await t.api().get(`/api/households/${fam.householdId}`).set(bearer(bKey.secret))).status).toBe(404);
    expect((await t.api().get(`/api/reports/services/${a.serviceId}`).set(bearer(bKey.secret))).status).toBe(404);
    // and naming organisation A's campus does not move it there
    expect((await t.api().get('/api/services/today').set(bearer(bKey.secret)).set('X-Site-Id', a.siteId)).status).toBe(404);
  });

  test('revoking twice at once: both answer the revoked key, one audit row', async () => {
    const { apiKey } = await createKey(['checkins:read']);
    const [r1, r2] = await Promise.all([
      t.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(orgAdmin)),
      t.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(orgAdmin)),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r1.body.apiKey.revokedAt).not.toBeNull();
    expect(r1.body.apiKey.revokedAt).toBe(r2.body.apiKey.revokedAt);
    expect(await t.db('audit_log').where({ action: 'apikey.revoked', entity_id: apiKey.id })).toHaveLength(1);
    expect((await t.api().delete(`/api/org/api-keys/${crypto.randomUUID()}`).set(bearer(orgAdmin))).status).toBe(404);
    expect((await t.api().delete('/api/org/api-keys/nope').set(bearer(orgAdmin))).status).toBe(400);
  });
});

describe('scopes', () => {
  const routes: [string, ApiScope][] = Object.entries(API_KEY_ROUTES);
  const call = (route: string, secret: string) => {
    const [method, path] = route.split(' ') as [string, string];
    const url = fillPath(path, { id: a.serviceId }, () => crypto.randomUUID());
    const api = t.api();
    return api[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url)
      .set(bearer(secret))
      .send(method === 'GET' ? undefined : {});
  };

  test.each(API_SCOPES)('a key with only %s: its routes are open, every other mapped route is 403', async (scope) => {
    const { secret } = await createKey([scope]);
    for (const [route, needs] of routes) {
      const res = await call(route, secret);
      if (needs === scope) expect({ route, refused: [401, 403].includes(res.status) }).toEqual({ route, refused: false });
      else expect([route, res.status, res.body.error?.message]).toEqual([route, 403, `This API key lacks the ${needs} scope`]);
    }
  });

  test('checkins:read reads the live rooms; checkins:write checks a child in, attributed to the key in the audit log', async () => {
    const reader = await createKey(['checkins:read'], a.siteId);
    const writer = await createKey(['checkins:write'], a.siteId);
    const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
    const res = await t
      .api()
      .post('/api/checkins')
      .set(bearer(writer.secret))
      .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(res.status).toBe(201);
    // whoever checks a family in is handed its code and pass to give the family (as a kiosk or the desk is)
    expect(res.body.securityCode).toMatch(/^[A-Z0-9]{3,}$/);
    const audit = await t.db('audit_log').where({ actor_kind: 'integration', actor_id: writer.apiKey.id });
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((r: { organization_id: string; site_id: string }) => r.organization_id === a.organizationId && r.site_id === a.siteId)).toBe(true);
    // the child's trail names the key
    const trail = await t.api().get(`/api/children/${fam.childIds[0]}/audit`).set(bearer(a.tokens.staff));
    expect(trail.status).toBe(200);
    expect(JSON.stringify(trail.body)).toContain(`"kind":"integration","id":"${writer.apiKey.id}","name":"API key ${writer.apiKey.name}"`);
    const rooms = await t.api().get(`/api/services/${a.serviceId}/rooms`).set(bearer(reader.secret));
    expect(rooms.status).toBe(200);
    const toddlers = (rooms.body.rooms as ServiceRoom[]).find((r) => r.name === 'Toddlers');
    expect(toddlers?.headcount).toBe(1);
  });

  test('families:write registers a family and families:read finds it (without medical notes)', async () => {
    const writer = await createKey(['families:write']);
    const reader = await createKey(['families:read']);
    const last = `Api${crypto.randomInt(1e6)}`;
    const created = await t
      .api()
      .post('/api/households')
      .set(bearer(writer.secret))
      .send({
        guardians: [{ firstName: 'Ada', lastName: last, phone: `+1312${String(crypto.randomInt(2e6, 9999999)).padStart(7, '0')}` }],
        children: [{ firstName: 'Bo', lastName: last, birthdate: '2022-01-01', medicalNotes: 'peanuts' }],
      });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    const id = created.body.household.id as string;
    const read = await t.api().get(`/api/households/${id}`).set(bearer(reader.secret));
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain(last);
    expect(JSON.stringify(read.body)).not.toContain('peanuts');
    expect(await t.db('audit_log').where({ actor_kind: 'integration', actor_id: writer.apiKey.id }).first()).toBeTruthy();
    // writing with a read key
    expect((await t.api().patch(`/api/households/${id}`).set(bearer(reader.secret)).send({ name: 'x' })).status).toBe(403);
  });

  test('reports:read reads the attendance report', async () => {
    const { secret } = await createKey(['reports:read'], a.siteId);
    const { service_date: day } = await t
      .db('services')
      .where({ id: a.serviceId })
      .select(t.db.raw("to_char(service_date, 'YYYY-MM-DD') AS service_date"))
      .first();
    const res = await t.api().get('/api/reports/attendance').query({ from: day, to: day }).set(bearer(secret));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain(day);
    const csv = await t.api().get('/api/reports/attendance.csv').query({ from: day, to: day }).set(bearer(secret));
    expect([csv.status, csv.type]).toEqual([200, 'text/csv']);
  });
});

describe('campus-limited keys and organisation-wide keys', () => {
  test("a campus-limited key on another campus's data is a 404", async () => {
    const { secret } = await createKey(['checkins:read', 'checkins:write', 'reports:read'], a.siteId);
    expect((await t.api().get(`/api/services/${a.serviceId}/rooms`).set(bearer(secret))).status).toBe(200);
    expect((await t.api().get(`/api/services/${a2.serviceId}/rooms`).set(bearer(secret))).status).toBe(404);
    expect((await t.api().get(`/api/services/${a2.serviceId}/roster`).set(bearer(secret))).status).toBe(404);
    expect((await t.api().get(`/api/reports/services/${a2.serviceId}`).set(bearer(secret))).status).toBe(404);
    // naming the other campus does not move it there
    expect((await t.api().get('/api/services/today').set(bearer(secret)).set('X-Site-Id', a2.siteId)).status).toBe(404);
    expect((await t.api().get('/api/services/today').set(bearer(secret)).set('X-Site-Id', a.siteId)).status).toBe(200);
    const fam = await buildHousehold(t.db, a2.siteId, [{ months: 24 }]);
    const res = await t
      .api()
      .post('/api/checkins')
      .set(bearer(secret))
      .send({ serviceId: a2.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    expect(res.status).toBe(404);
    expect(await t.db('checkins').whereIn('child_id', fam.childIds).first()).toBeUndefined();
  });

  test('an organisation-wide key acts at the campus it names (X-Site-Id), else the first; never outside the organisation', async () => {
    const { secret } = await createKey(['checkins:read']);
    const at = async (siteId?: string) => {
      const req = t.api().get('/api/services/today').set(bearer(secret));
      if (siteId) req.set('X-Site-Id', siteId);
      return req;
    };
    const own = await at(a2.siteId);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).toContain(a2.serviceId);
    expect(JSON.stringify(own.body)).not.toContain(a.serviceId);
    expect(JSON.stringify((await at()).body)).toContain(a.serviceId);
    expect((await at(b.siteId)).status).toBe(404);
    expect((await at(crypto.randomUUID())).status).toBe(404);
    const bad = await at('not-a-campus');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('X-Site-Id');
  });
});

describe('refusals', () => {
  test('an unknown, malformed or revoked key is a 401', async () => {
    for (const s of ['kc_live_' + 'A'.repeat(43), 'kc_live_short', `kc_live_${crypto.randomBytes(32).toString('base64url')}`]) {
      const res = await t.api().get('/api/services/today').set(bearer(s));
      expect(res.status).toBe(401);
    }
  });
});

test('a key opens no socket (integrations are told of changes by webhooks)', async () => {
  const { secret } = await createKey(API_SCOPES);
  await expect(connected(t.socket(secret))).rejects.toThrow('unauthorized');
});

describe('revocation on two instances', () => {
  let db2: Knex;
  let second: TestApp;
  beforeAll(async () => {
    // a second app with its own connection pool on the same database: another instance
    db2 = await testDb(5);
    second = await startTestApp({ db: db2 });
  });
  afterAll(async () => {
    await second.stop();
    await db2.destroy();
  });

  test('a key revoked on one instance is refused by both at once', async () => {
    const { apiKey, secret } = await createKey(['checkins:read']);
    // both instances accept it, many times (nothing may keep an accepted key around)
    for (let i = 0; i < 3; i++) {
      expect((await t.api().get('/api/services/today').set(bearer(secret))).status).toBe(200);
      expect((await second.api().get('/api/services/today').set(bearer(secret))).status).toBe(200);
    }
    const revoked = await second.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(orgAdmin));
    expect(revoked.status).toBe(200);
    const after = await Promise.all([
      ...Array.from({ length: 5 }, () => t.api().get('/api/services/today').set(bearer(secret))),
      ...Array.from({ length: 5 }, () => second.api().get('/api/services/today').set(bearer(secret))),
    ]);
    expect(after.map((r) => r.status)).toEqual(Array(10).fill(401));
    // a write too
    const fam = await buildHousehold(t.db, a.siteId);
    expect(
      (
        await t
          .api()
          .post('/api/checkins')
          .set(bearer(secret))
          .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() })
      ).status,
    ).toBe(401);
  });

  test('requests in flight while a key is revoked: none answered 2xx after the revocation was answered', async () => {
    const { apiKey, secret } = await createKey(['checkins:read']);
    const apps = [t, second];
    const burst = Array.from({ length: 20 }, (_, i) => apps[i % 2]!.api().get('/api/services/today').set(bearer(secret)));
    const revoke = t.api().delete(`/api/org/api-keys/${apiKey.id}`).set(bearer(orgAdmin));
    const [done] = await Promise.all([revoke, ...burst]);
    expect(done.status).toBe(200);
    const later = await Promise.all(apps.map((app) => app.api().get('/api/services/today').set(bearer(secret))));
    expect(later.map((r) => r.status)).toEqual([401, 401]);
  });
});

describe('use is counted and limited per key', () => {
  test('every authenticated request counts (last used, use count)', async () => {
    const { apiKey, secret } = await createKey(['checkins:read']);
    await Promise.all(Array.from({ length: 7 }, () => t.api().get('/api/services/today').set(bearer(secret))));
    // a refused route counts too: the key was used
    expect((await t.api().get('/api/people').set(bearer(secret))).status).toBe(403);
    const list = await t.api().get('/api/org/api-keys').set(bearer(orgAdmin));
    const listed = list.body.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.useCount).toBe(8);
    expect(Date.now() - Date.parse(listed.lastUsedAt)).toBeLessThan(60_000);
  });

  test('past its budget a key is refused with 429 and Retry-After; parallel requests on two instances cannot overrun it; other keys are unaffected', async () => {
    const limited = await startTestApp({ db: t.db, env: { RATE_LIMITS: 'apiKey=5/60' } });
    const db2 = await testDb(5);
    const limited2 = await startTestApp({ db: db2, env: { RATE_LIMITS: 'apiKey=5/60' } });
    try {
      const one = await createKey(['checkins:read'], undefined, orgAdmin, limited);
      const other = await createKey(['checkins:read'], undefined, orgAdmin, limited);
      // one budget for the key, whichever instance answers
      const burst = await Promise.all(
        Array.from({ length: 9 }, (_, i) => (i % 2 ? limited2 : limited).api().get('/api/services/today').set(bearer(one.secret))),
      );
      const statuses = burst.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429]);
      const refused = burst.find((r) => r.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.error.code).toBe('rate_limited');
      expect((await limited2.api().get('/api/services/today').set(bearer(other.secret))).status).toBe(200);
    } finally {
      await limited.stop();
      await limited2.stop();
      await db2.destroy();
    }
  });
});

describe('secrets never reach the logs', () => {
  test('creating a key and calling with it (good, refused and unknown routes) logs the key id, never the secret', async () => {
    const logs: string[] = [];
    const logged = await startTestApp({ db: t.db, logs, env: { LOG_LEVEL: 'debug' } });
    try {
      const { apiKey, secret } = await createKey(['checkins:read'], undefined, orgAdmin, logged);
      await logged.api().get('/api/services/today').set(bearer(secret));
      await logged.api().get('/api/people').set(bearer(secret));
      await logged.api().get(`/api/nothing/${secret}`).set(bearer(secret));
      await logged
        .api()
        .get('/api/services/today')
        .set(bearer(`${secret.slice(0, -1)}x`));
      const all = logs.join('\n');
      expect(logs.length).toBeGreaterThan(3);
      expect(all).not.toContain(secret.slice(8));
      expect(all).toContain(`integration:${apiKey.id}`);
    } finally {
      await logged.stop();
    }
  });
});
