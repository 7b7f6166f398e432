/** Express check-in (issue #16, DESIGN §12): a family's key-tag code, issued by staff, resolved by a kiosk. */
import { buildHousehold, buildSite, kioskToken } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { normalizeExpressCode } from '../../contracts/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const issue = (token: string, householdId: string) => t.api().post(`/api/households/${householdId}/express-code`).set(bearer(token));
const resolve = (token: string, body: object) => t.api().post('/api/households/express').set(bearer(token)).send(body);

test('staff issue a random code (shown once, hashed at rest, audited); the kiosk resolves it to the phone lookup’s family summary', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mira', months: 40, allergies: 'Peanuts' }], {
    lastName: 'Express',
    phone: '+13125550981',
  });
  const before = await t.api().get(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff));
  expect(before.body).toEqual({ active: false, createdAt: null });

  const r = await issue(site.tokens.staff, fam.householdId);
  expect(r.status).toBe(201);
  expect(normalizeExpressCode(r.body.code)).toBe(r.body.code);
  expect(normalizeExpressCode(r.body.codeText)).toBe(r.body.code);
  expect(r.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
  // random, not derived from the household: another family's code differs, and only the hash is stored
  const other = await buildHousehold(t.db, site.siteId);
  const r2 = await issue(site.tokens.staff, other.householdId);
  expect(r2.body.code).not.toBe(r.body.code);
  const rows = await t.db('household_express_codes').where({ household_id: fam.householdId });
  expect(rows).toHaveLength(1);
  expect(rows[0].code_hash).not.toContain(r.body.code);
  expect(JSON.stringify(rows)).not.toContain(r.body.code);
  expect(rows[0].organization_id).toBe(site.organizationId);
  const audit = await t.db('audit_log').where({ entity_id: fam.householdId, action: 'household.express_code_issue' });
  expect(audit).toHaveLength(1);
  expect(JSON.stringify(audit)).not.toContain(r.body.code);
  expect((await t.api().get(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff))).body.active).toBe(true);

  // typed as printed (lower case, dashes) or scanned raw, the same family
  const phone = await t.api().get('/api/households').query({ phone: '0981', serviceId: site.serviceId }).set(bearer(site.tokens.kiosk));
  for (const code of [r.body.code, r.body.codeText.toLowerCase()]) {
    const k = await resolve(site.tokens.kiosk, { code, serviceId: site.serviceId });
    expect(k.status).toBe(200);
    expect(k.body.households).toEqual(phone.body.households.filter((h: { id: string }) => h.id === fam.householdId));
  }
  expect(JSON.stringify((await resolve(site.tokens.kiosk, { code: r.body.code })).body)).not.toContain('Peanuts');
});

test('revoking gives the same 404 as an unknown code; re-issuing invalidates the old code; both audited', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId);
  const first = (await issue(site.tokens.staff, fam.householdId)).body.code as string;
  const second = await issue(site.tokens.admin, fam.householdId);
  expect(second.status).toBe(201);
  const old = await resolve(site.tokens.kiosk, { code: first });
  expect(old.status).toBe(404);
  expect((await resolve(site.tokens.kiosk, { code: second.body.code })).status).toBe(200);
  expect(await t.db('household_express_codes').where({ household_id: fam.householdId }).whereNull('revoked_at')).toHaveLength(1);

  const rv = await t.api().delete(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff));
  expect(rv.status).toBe(200);
  expect(rv.body.active).toBe(false);
  const revoked = await resolve(site.tokens.kiosk, { code: second.body.code });
  const unknown = await resolve(site.tokens.kiosk, { code: 'KC' + 'A'.repeat(12) });
  expect(revoked.status).toBe(404);
  expect(unknown.status).toBe(404);
  expect(revoked.body).toEqual(unknown.body);
  expect(old.body).toEqual(unknown.body);
  // nothing left to revoke
  expect((await t.api().delete(`/api/households/${fam.householdId}/express-code`).set(bearer(site.tokens.staff))).status).toBe(404);
  const actions = (await t.db('audit_log').where({ entity_id: fam.householdId }).orderBy('id')).map((a) => a.action);
  expect(actions).toEqual(['household.express_code_issue', 'household.express_code_reissue', 'household.express_code_revoke']);
  // a fresh code after revoking works
  const third = await issue(site.tokens.staff, fam.householdId);
  expect((await resolve(site.tokens.kiosk, { code: third.body.code })).status).toBe(200);
});

test("another organisation's kiosk gets the same 404; its staff cannot issue for this family", async () => {
  const site = await buildSite(t.db);
  const elsewhere = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId);
  const code = (await issue(site.tokens.staff, fam.householdId)).body.code as string;
  const r = await resolve(elsewhere.tokens.kiosk, { code });
  expect(r.status).toBe(404);
  expect(r.body.error.code).toBe('not_found');
  expect((await issue(elsewhere.tokens.staff, fam.householdId)).status).toBe(404);
  expect((await t.api().delete(`/api/households/${fam.householdId}/express-code`).set(bearer(elsewhere.tokens.staff))).status).toBe(404);
  // still the family's code
  expect((await resolve(site.tokens.kiosk, { code })).status).toBe(200);
  // a campus of the same organisation shares its families
  const campus = await buildSite(t.db, { organizationId: site.organizationId });
  expect((await resolve(campus.tokens.kiosk, { code })).status).toBe(200);
});

test('bad input is a 400 naming the field; roles', async () => {
  const site = await buildSite(t.db);
  for (const body of [{}, { code: 'hello' }, { code: 'KC0000000000OO' }, { code: 42 }, { code: 'KC' + 'A'.repeat(12), serviceId: 'x' }]) {
    const r = await resolve(site.tokens.kiosk, body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('serviceId' in body ? 'serviceId' : 'code');
  }
  expect((await resolve(site.tokens.kiosk, { code: 'KC' + 'A'.repeat(12), extra: 1 })).status).toBe(400);
  expect((await t.api().post('/api/households/not-a-uuid/express-code').set(bearer(site.tokens.staff))).status).toBe(400);
  expect((await resolve(site.tokens.staff, { code: 'KC' + 'A'.repeat(12) })).status).toBe(403);
  const fam = await buildHousehold(t.db, site.siteId);
  expect((await issue(site.tokens.kiosk, fam.householdId)).status).toBe(403);
  expect((await issue(site.tokens.volunteer, fam.householdId)).status).toBe(403);
});

test('resolving is rate-limited per kiosk like the phone look-ups (wrong and right codes alike)', async () => {
  const own = await startTestApp({ db: t.db, env: { KIOSK_LOOKUPS_PER_MINUTE: '3' } });
  try {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId);
    const code = (await issue(site.tokens.staff, fam.householdId)).body.code as string;
    const second = await kioskToken(t.db, site.siteId);
    const go = (token: string, c: string) => own.api().post('/api/households/express').set(bearer(token)).send({ code: c });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await go(site.tokens.kiosk, 'KC' + 'B'.repeat(12))).status);
    const limited = await go(site.tokens.kiosk, code);
    expect([...statuses, limited.status]).toEqual([404, 404, 404, 429]);
    expect(limited.body.error.code).toBe('rate_limited');
    expect((await go(second, code)).status).toBe(200);
  } finally {
    await own.stop();
  }
});
