/** /api/openapi.json describes every served route, from the endpoint map's zod schemas; the map names no route that is gone. */
import { ENDPOINTS } from '../../contracts/endpoints';
import { API_SCOPES } from '../../contracts';
import { API_KEY_ROUTES } from '../../server/src/apikeys/api-key-scopes';
import { listRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { SERVE_UI: 'false' } });
});
afterAll(async () => {
  await t.stop();
});

test('every served route is in the endpoint map and the document; every map entry is served', async () => {
  const served = listRoutes(t.app).map((r) => `${r.method.toUpperCase()} ${r.path}`);
  expect(served.filter((k) => !(k in ENDPOINTS))).toEqual([]);
  expect(Object.keys(ENDPOINTS).filter((k) => !served.includes(k))).toEqual([]);
  const r = await t.api().get('/api/openapi.json');
  expect(r.status).toBe(200);
  expect(r.body.openapi).toBe('3.1.0');
  const ops = Object.entries(r.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, m]) =>
    Object.keys(m).map((x) => `${x.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  expect(ops.sort()).toEqual([...served].sort());
});

test('request bodies and queries come from the zod schemas the routes validate with', async () => {
  const doc = (await t.api().get('/api/openapi.json')).body;
  const checkin = doc.paths['/api/checkins'].post.requestBody.content['application/json'].schema;
  expect(checkin.properties).toHaveProperty('serviceIds');
  expect(checkin.required).toEqual(expect.arrayContaining(['householdId', 'childIds', 'idempotencyKey']));
  expect(doc.paths['/api/checkouts'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('pickupPersonId');
  const lookup = doc.paths['/api/households'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
  expect(lookup).toContain('query:phone');
  expect(doc.paths['/api/checkins/{id}/move'].post.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  expect(doc.paths['/api/auth/login'].post.security).toBeUndefined();
  expect(doc.paths['/api/checkins'].post.security).toEqual([{ bearer: [] }, { apiKey: ['checkins:write'] }]);
  expect(doc.paths['/api/people'].get.security).toEqual([{ bearer: [] }]);
});

test("answers: 204 for a route without a body, the media type of a file, and the contract type's name", async () => {
  const doc = (await t.api().get('/api/openapi.json')).body;
  expect(Object.keys(doc.paths['/api/rooms/{id}'].delete.responses)).toContain('204');
  expect(Object.keys(doc.paths['/api/reports/attendance.csv'].get.responses['2XX'].content)).toEqual(['text/csv']);
  expect(doc.paths['/api/services/{id}/rooms'].get.responses['2XX'].description).toContain("EndpointResponses['GET /api/services/:id/rooms']");
});

test('API keys: a bearer scheme of their own, its scopes described, and each operation a key may call names its scope', async () => {
  const doc = (await t.api().get('/api/openapi.json')).body;
  const scheme = doc.components.securitySchemes.apiKey;
  expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
  for (const s of API_SCOPES) expect(scheme.description).toContain(s);
  expect(scheme.description).toContain('X-Site-Id');
  const byScope: Record<string, string[]> = {};
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { security?: Record<string, string[]>[] }>>))
    for (const [m, op] of Object.entries(ops))
      for (const req of op.security ?? []) for (const s of req.apiKey ?? []) (byScope[s] ??= []).push(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
  for (const [route, scope] of Object.entries(API_KEY_ROUTES)) expect(byScope[scope]).toContain(route);
  expect(Object.values(byScope).flat()).toHaveLength(Object.keys(API_KEY_ROUTES).length);
});
