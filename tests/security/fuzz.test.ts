/**
 * Property-based fuzzing of every /api route (read from the router): malformed, oversized,
 * wrong-typed and injection-shaped bodies, queries, path parameters and headers. Never a 5xx,
 * never a crash; every error is the envelope, and a 400 names the field.
 */
import fc from 'fast-check';
import { buildHousehold, buildSite, key, kioskToken, type BuiltSite } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { fillPath, listRoutes } from '../support/routes';

jest.setTimeout(180_000);
let t: TestApp;
let site: BuiltSite;
let known: Record<string, string>;
/** every kind of caller: admin, check-in kiosk, volunteer, staff, pickup door kiosk */
let tokens: string[];
/** a live pickup pass and pre-check-in link of the site (the public token routes) */
let passToken: string;
beforeAll(async () => {
  t = await startTestApp();
  site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  known = { serviceId: site.serviceId, roomId: site.rooms.Toddlers!, householdId: fam.householdId, childId: fam.childIds[0]! };
  tokens = [site.tokens.admin, site.tokens.kiosk, site.tokens.volunteer, site.tokens.staff, await kioskToken(t.db, site.siteId, 'pickup')];
  const ci = await t
    .api()
    .post('/api/checkins')
    .set('Authorization', `Bearer ${site.tokens.kiosk}`)
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  passToken = String(ci.body.pickupUrl).split('/pass/')[1]!;
});
afterAll(async () => {
  await t.stop();
});

const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE checkins; --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${7*7}',
  '{{7*7}}',
  '\u0000',
  '%00',
  '\uD800',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  ' '.repeat(5000),
  'x'.repeat(20_000),
  '😀'.repeat(500),
];
const FIELDS = [
  'serviceId',
  'householdId',
  'childIds',
  'idempotencyKey',
  'token',
  'securityCode',
  'checkinIds',
  'pickedUpBy',
  'phone',
  'name',
  'guardians',
  'children',
  'open',
  'capacity',
  'volunteers',
  'email',
  'password',
  'pairingCode',
  'siteId',
  'mode',
  'message',
  'roomId',
  'ratioOverride',
  'batchId',
  'settings',
  'firstName',
  'birthdate',
  'grade',
  // the routes of the second wave: organisations, people, pre-check-in, express codes, "Is this you?", volunteers
  'joinHouseholdId',
  'joinCode',
  'confirmNew',
  'code',
  'status',
  'expiresOn',
  'timezone',
  'copyFromSiteId',
  'lang',
  'precheckinIds',
  'serviceIds',
  'override',
  'pin',
  'reason',
  'orgAdmin',
  'role',
  'userId',
  'child',
  'service',
  '__proto__',
  'constructor',
];
const weird = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.uuid()), { maxLength: 30 }),
  fc.object({ maxDepth: 3 }),
  fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString())),
);
const body = fc.oneof(fc.dictionary(fc.constantFrom(...FIELDS), weird, { maxKeys: 8 }), fc.anything({ maxDepth: 3 }), fc.array(weird, { maxLength: 5 }));
const param = fc.oneof(fc.uuid(), fc.constantFrom(...INJECTIONS.slice(0, 8)), fc.string({ minLength: 1, maxLength: 40 }), fc.constant('known'));
const queryDict = fc.dictionary(
  fc.constantFrom('phone', 'serviceId', 'q', 'from', 'to', 'format', 'roomId', 'limit'),
  fc.oneof(fc.string(), fc.constantFrom(...INJECTIONS.slice(0, 8)), fc.uuid()),
  { maxKeys: 4 },
);

function checkEnvelope(status: number, resBody: any, where: string) {
  expect({ where, status, ok: status < 500 }).toEqual({ where, status, ok: true });
  if (status >= 400) {
    expect({ where, hasEnvelope: typeof resBody?.error?.code === 'string' && typeof resBody?.error?.message === 'string' }).toEqual({
      where,
      hasEnvelope: true,
    });
    if (status === 400)
      expect({ where, field: typeof resBody.error.field === 'string' && resBody.error.message.includes(resBody.error.field) }).toEqual({ where, field: true });
  }
}

test('every /api route survives thousands of hostile requests', async () => {
  const routes = listRoutes(t.app).filter((r) => r.path.startsWith('/api/'));
  expect(routes.length).toBeGreaterThan(15);
  let sent = 0;
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(body, param, queryDict, fc.constantFrom(0, 1, 2, 3, 4), fc.constantFrom('json', 'raw', 'form'), async (b, p, q, who, kind) => {
        const path = fillPath(route.path, {}, (name) => (p === 'known' ? (known[name] ?? site.serviceId) : p));
        let req = (t.api() as any)[route.method](path.replace(/[?#]/g, encodeURIComponent)).query(q).set('Authorization', `Bearer ${tokens[who]}`);
        if (route.method !== 'get' && route.method !== 'delete') {
          if (kind === 'json')
            req = typeof b === 'object' && b !== null ? req.send(b) : req.set('Content-Type', 'application/json').send(JSON.stringify(b) ?? 'undefined');
          else if (kind === 'raw')
            req = req.set('Content-Type', 'application/json').send(typeof b === 'string' ? b : `${JSON.stringify(b)?.slice(0, -1) ?? ''}`);
          else
            req = req
              .type('form')
              .send(
                typeof b === 'object' && b !== null && !Array.isArray(b)
                  ? Object.fromEntries(Object.entries(b).map(([k, v]) => [k, String(v)]))
                  : 'a=1&a=2&b[c]=3',
              );
        }
        const res = await req;
        sent++;
        checkEnvelope(res.status, res.body, `${route.method.toUpperCase()} ${route.path}`);
      }),
      { numRuns: 50, seed: 20261124 },
    );
  }
  expect(sent).toBeGreaterThan(1000);
  // and the server is still healthy
  expect((await t.api().get('/healthz')).status).toBe(200);
});

test('the public token pages (pickup pass, its pre-check-in, pre-check-in links, account links) survive hostile tokens and forms', async () => {
  const routes = listRoutes(t.app).filter((r) => !r.path.startsWith('/api/') && /:token/.test(r.path));
  expect(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(
    expect.arrayContaining([
      'GET /pass/:token',
      'POST /pass/:token/precheck',
      'GET /precheck/:token',
      'POST /precheck/:token',
      'GET /account/:token',
      'POST /account/:token',
    ]),
  );
  const token = fc.oneof(
    fc.constantFrom(...INJECTIONS.slice(0, 12)),
    fc.string({ minLength: 1, maxLength: 120 }),
    fc.stringMatching(/^[A-Za-z0-9_-]{20,100}$/),
    fc.constant('live'),
  );
  const form = fc.dictionary(
    fc.constantFrom('child', 'service', 'password', 'confirm', 'name', '__proto__'),
    fc.oneof(weird, fc.array(fc.uuid(), { maxLength: 60 })),
    {
      maxKeys: 4,
    },
  );
  let sent = 0;
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(token, form, fc.constantFrom('form', 'json'), async (tok, f, kind) => {
        const path = fillPath(route.path, {}, () => encodeURIComponent(tok === 'live' ? passToken : tok));
        let req = (t.api() as any)[route.method](path);
        if (route.method === 'post')
          req =
            kind === 'form'
              ? req.type('form').send(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])))
              : req.send(f);
        const res = await req;
        sent++;
        expect({ where: `${route.method.toUpperCase()} ${route.path}`, status: res.status, ok: res.status < 500 }).toEqual({
          where: `${route.method.toUpperCase()} ${route.path}`,
          status: res.status,
          ok: true,
        });
      }),
      { numRuns: 40, seed: 20261207 },
    );
  }
  expect(sent).toBeGreaterThan(200);
  expect((await t.api().get('/healthz')).status).toBe(200);
});

test('hostile headers never cause a 5xx', async () => {
  // (a lying Content-Length only makes the server wait for bytes: that is the request timeout's job)
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('Authorization', 'Content-Type', 'Accept', 'X-Forwarded-For', 'Cookie', 'Origin', 'Transfer-Encoding'),
      async (value, header) => {
        const clean = value.replace(/[^\x20-\x7e]/g, '');
        let res;
        try {
          res = await t
            .api()
            .post('/api/checkins')
            .set(header, clean)
            .set('Content-Type', header === 'Content-Type' ? clean || 'text/plain' : 'application/json')
            .send('{}');
        } catch {
          return;
        } // the client itself refused the header
        expect(res.status).toBeLessThan(500);
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});
