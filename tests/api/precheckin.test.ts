/**
 * Pre-check-in (DESIGN §12): the parent's phone page behind a single-family, expiring link takes
 * no seat; the kiosk that finds the family (express code, phone) brings the choice, and the
 * ordinary check-in decides capacity and uses the pre-check-in once.
 */
import { normalizeExpressCode } from '../../contracts/rules';
import { precheckToken } from '../../server/src/precheckin/precheck-token';
import { codeHash } from '../../server/src/families/express.service';
import { addService, buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, TEST_SECRET, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const ROOMS = [{ name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, ratio: null, volunteers: 2, sortOrder: 1 }];
const secret = Buffer.from(TEST_SECRET);

/** Staff text the family a link; the test derives its token as the dispatcher would (only the hash is stored). */
async function linkFor(site: BuiltSite, householdId: string): Promise<string> {
  const r = await t.api().post(`/api/households/${householdId}/precheckin-link`).set(bearer(site.tokens.staff));
  expect(r.status).toBe(202);
  const row = await t.db('precheckin_links').where({ household_id: householdId }).orderBy('created_at', 'desc').first();
  const token = precheckToken(secret, row.id);
  expect(JSON.stringify(await t.db('precheckin_links').where({ id: row.id }))).not.toContain(token);
  return token;
}
const form = (fields: [string, string][]) => fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const submit = (token: string, fields: [string, string][]) =>
  t.api().post(`/precheck/${token}`).set('Content-Type', 'application/x-www-form-urlencoded').send(form(fields));
const headcount = async (site: BuiltSite, serviceId = site.serviceId) =>
  (await t.api().get(`/api/services/${serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms.reduce(
    (n: number, r: { headcount: number }) => n + r.headcount,
    0,
  );
const familyCodeOn = (html: string) => normalizeExpressCode(/KC-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(html)?.[0] ?? '');
const resolve = (site: BuiltSite, code: string) =>
  t.api().post('/api/households/express').set(bearer(site.tokens.kiosk)).send({ code, serviceId: site.serviceId });

test('the phone page: the family’s children and the campus’s services; a choice takes no seat; the page then shows the family code, which the kiosk resolves with the choice made', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS, name: 'Grace East' });
  const fam = await buildHousehold(
    t.db,
    site.siteId,
    [
      { firstName: 'Ava', months: 48 },
      { firstName: 'Ben', months: 50 },
      { firstName: 'Cy', months: 60 },
    ],
    { lastName: 'Phone' },
  );
  const token = await linkFor(site, fam.householdId);
  const page = await t.api().get(`/precheck/${token}`);
  expect(page.status).toBe(200);
  expect(page.headers['cache-control']).toBe('no-store');
  expect(page.text).toContain('Grace East');
  for (const n of ['Ava', 'Ben', 'Cy', 'Test Service']) expect(page.text).toContain(n);
  expect(page.text).toContain('<meta name="viewport"');
  expect(familyCodeOn(page.text)).toBeNull(); // nothing chosen yet: no code shown

  const before = await headcount(site);
  const r = await submit(token, [
    ['child', fam.childIds[0]!],
    ['child', fam.childIds[2]!],
    ['service', site.serviceId],
  ]);
  expect(r.status).toBe(303);
  expect(r.headers.location).toBe(`/precheck/${token}`);
  const rows = await t.db('precheckins').where({ household_id: fam.householdId });
  expect(rows).toHaveLength(1);
  expect([...rows[0].child_ids].sort()).toEqual([fam.childIds[0], fam.childIds[2]].sort());
  expect(rows[0].used_at).toBeNull();
  // no seat, no check-in, no capacity decision
  expect(await headcount(site)).toBe(before);
  expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(0);

  const after = await t.api().get(`/precheck/${token}`);
  expect(after.text).toContain('You are pre-checked in');
  const code = familyCodeOn(after.text);
  expect(code).not.toBeNull();
  expect(after.text).toMatch(/<img class="qr" src="data:image\/png;base64,/);

  const k = await resolve(site, code!);
  expect(k.status).toBe(200);
  expect(k.body.households[0].precheckin).toEqual({
    ids: [rows[0].id],
    serviceIds: [site.serviceId],
    childIds: expect.arrayContaining([fam.childIds[0], fam.childIds[2]]),
  });
  expect(k.body.households[0].precheckin.childIds).toHaveLength(2);
  // the phone look-up finds it too (a family without the code at hand)
  const byPhone = await t
    .api()
    .get(`/api/households?phone=${fam.phone.slice(-4)}&serviceId=${site.serviceId}`)
    .set(bearer(site.tokens.kiosk));
  expect(byPhone.body.households.find((h: { id: string }) => h.id === fam.householdId).precheckin.ids).toEqual([rows[0].id]);
  // staff look-ups do not carry it
  const staff = await t.api().get(`/api/households?phone=${fam.phone}`).set(bearer(site.tokens.staff));
  expect(staff.body.households[0].precheckin).toBeUndefined();

  // changing the choice replaces it (still one pending row)
  expect(
    (
      await submit(token, [
        ['child', fam.childIds[1]!],
        ['service', site.serviceId],
      ])
    ).status,
  ).toBe(303);
  const again = await t.db('precheckins').where({ household_id: fam.householdId });
  expect(again).toHaveLength(1);
  expect(again[0].child_ids).toEqual([fam.childIds[1]]);
});

test('the kiosk scan checks in exactly the chosen children once: the pre-check-in is used, a second scan finds none, a double tap or second kiosk does not check in twice', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Dee', months: 40 },
    { firstName: 'Eli', months: 44 },
  ]);
  const token = await linkFor(site, fam.householdId);
  await submit(token, [
    ['child', fam.childIds[0]!],
    ['service', site.serviceId],
  ]);
  const code = familyCodeOn((await t.api().get(`/precheck/${token}`)).text)!;
  const pre = (await resolve(site, code)).body.households[0].precheckin;
  expect(pre.childIds).toEqual([fam.childIds[0]]);

  const body = { serviceIds: pre.serviceIds, householdId: fam.householdId, childIds: pre.childIds, precheckinIds: pre.ids, idempotencyKey: key() };
  const body2 = { ...body, idempotencyKey: key() };
  // two kiosks (or a double tap with fresh keys) at once: one check-in
  const [a, b] = await Promise.all([
    t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(body),
    t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(body2),
  ]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect([...a.body.checkins, ...b.body.checkins]).toHaveLength(1);
  expect([...a.body.refused, ...b.body.refused].map((r: { reason: string }) => r.reason)).toEqual(['already_checked_in']);
  expect(await t.db('checkins').where({ household_id: fam.householdId, status: 'checked_in' })).toHaveLength(1);
  const [won, wonBody] = a.body.checkins.length ? [a, body] : [b, body2];
  const used = await t.db('precheckins').where({ household_id: fam.householdId }).first();
  expect(used.used_at).not.toBeNull();
  expect(used.batch_id).toBe(won.body.batchId);
  // the same key again: the same answer, nothing new
  const replay = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send(wonBody);
  expect(replay.status).toBe(201);
  expect(replay.body.checkins.map((c: { id: string }) => c.id)).toEqual(won.body.checkins.map((c: { id: string }) => c.id));
  expect(await t.db('checkins').where({ household_id: fam.householdId })).toHaveLength(1);
  // scanning again: no pre-check-in offered any more
  expect((await resolve(site, code)).body.households[0].precheckin).toBeNull();
});

test('capacity is decided at the kiosk scan: a room filled after the pre-check-in refuses the child then, named per child', async () => {
  const site = await buildSite(t.db, { rooms: [{ ...ROOMS[0]!, capacity: 2 }] });
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Fay', months: 40 },
    { firstName: 'Gus', months: 44 },
  ]);
  const token = await linkFor(site, fam.householdId);
  expect(
    (
      await submit(token, [
        ['child', fam.childIds[0]!],
        ['child', fam.childIds[1]!],
        ['service', site.serviceId],
      ])
    ).status,
  ).toBe(303);
  // both seats were free at pre-check-in; another family takes one before the scan
  const other = await buildHousehold(t.db, site.siteId, [{ months: 48 }]);
  expect(
    (
      await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: other.householdId, childIds: other.childIds, idempotencyKey: key() })
    ).body.checkins,
  ).toHaveLength(1);
  const code = familyCodeOn((await t.api().get(`/precheck/${token}`)).text)!;
  const pre = (await resolve(site, code)).body.households[0].precheckin;
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceIds: pre.serviceIds, householdId: fam.householdId, childIds: pre.childIds, precheckinIds: pre.ids, idempotencyKey: key() });
  expect(r.status).toBe(201);
  expect(r.body.checkins).toHaveLength(1);
  expect(r.body.refused).toEqual([expect.objectContaining({ reason: 'room_full', firstName: expect.stringMatching(/^(Fay|Gus)$/) })]);
});

test('single family: another family’s child, another campus’s service or a closed one is a 404 and changes nothing; bad fields are a 400 page, never a 500', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const elsewhere = await buildSite(t.db, { rooms: ROOMS });
  const sameOrgCampus = await buildSite(t.db, { rooms: ROOMS, organizationId: site.organizationId });
  const closed = await addService(t.db, site, { name: 'Early', opensInMinutes: -120, closesInMinutes: -5, startsInMinutes: -60 });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Hal', months: 40 }]);
  const stranger = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ivy', months: 40 }]);
  const token = await linkFor(site, fam.householdId);
  const page = await t.api().get(`/precheck/${token}`);
  expect(page.text).not.toContain('Ivy');
  expect(page.text).not.toContain(closed);

  for (const fields of [
    [
      ['child', stranger.childIds[0]!],
      ['service', site.serviceId],
    ],
    [
      ['child', fam.childIds[0]!],
      ['child', stranger.childIds[0]!],
      ['service', site.serviceId],
    ],
    [
      ['child', fam.childIds[0]!],
      ['service', elsewhere.serviceId],
    ],
    [
      ['child', fam.childIds[0]!],
      ['service', sameOrgCampus.serviceId],
    ],
    [
      ['child', fam.childIds[0]!],
      ['service', closed],
    ],
  ] as [string, string][][]) {
    const r = await submit(token, fields);
    expect(r.status).toBe(404);
    expect(r.text).toContain('not part of this pre-check-in');
  }
  expect(await t.db('precheckins').where({ household_id: fam.householdId })).toHaveLength(0);

  const bad = await submit(token, [
    ['child', 'not-a-uuid'],
    ['service', site.serviceId],
  ]);
  expect(bad.status).toBe(400);
  const none = await submit(token, [['service', site.serviceId]]);
  expect(none.status).toBe(400);
  expect(none.text).toContain('Choose at least one child.');
  const noService = await submit(token, [['child', fam.childIds[0]!]]);
  expect(noService.status).toBe(400);
  expect(noService.text).toContain('Choose at least one service.');
  // a JSON body or odd shapes: still a page, never a 500
  const json = await t
    .api()
    .post(`/precheck/${token}`)
    .send({ child: [{ x: 1 }], service: 42 });
  expect(json.status).toBe(400);
  expect(await t.db('precheckins').where({ household_id: fam.householdId })).toHaveLength(0);
  // a staff member of another organisation cannot text this family a link
  expect((await t.api().post(`/api/households/${fam.householdId}/precheckin-link`).set(bearer(elsewhere.tokens.staff))).status).toBe(404);
});

test('expired, unknown and malformed links: a clear page in the family’s language, never a 500; a Spanish family’s page is Spanish', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Jo', months: 40 }]);
  await t.db('households').where({ id: fam.householdId }).update({ language: 'es' });
  const token = await linkFor(site, fam.householdId);
  const es = await t.api().get(`/precheck/${token}`);
  expect(es.status).toBe(200);
  expect(es.text).toContain('<html lang="es"');
  expect(es.text).toContain('¿Quién viene?');

  await t
    .db('precheckin_links')
    .where({ household_id: fam.householdId })
    .update({ expires_at: new Date(Date.now() - 1000) });
  const expired = await t.api().get(`/precheck/${token}`);
  expect(expired.status).toBe(410);
  expect(expired.text).toContain('Este enlace ha vencido');
  const post = await submit(token, [
    ['child', fam.childIds[0]!],
    ['service', site.serviceId],
  ]);
  expect(post.status).toBe(410);
  expect(await t.db('precheckins').where({ household_id: fam.householdId })).toHaveLength(0);

  const unknown = await t.api().get(`/precheck/${'x'.repeat(43)}`);
  expect(unknown.status).toBe(404);
  expect(unknown.text).toContain('Link not found');
  expect((await t.api().get('/precheck/%00%27%3Cscript%3E')).status).toBe(404);
});

test('the pickup pass page shows the family’s express code (QR and text) for next time, and opens a pre-check-in link from there', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Kit', months: 40 }]);
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  const passPath = new URL(ci.body.pickupUrl).pathname;
  const pass = await t.api().get(passPath);
  expect(pass.status).toBe(200);
  const code = familyCodeOn(pass.text);
  expect(code).not.toBeNull();
  expect(pass.text).toContain('class="family-qr" src="data:image/png;base64,');
  // the same code again on reload (derived, not re-issued), and it is the one the kiosk knows
  expect(familyCodeOn((await t.api().get(passPath)).text)).toBe(code);
  expect(await t.db('household_express_codes').where({ household_id: fam.householdId })).toHaveLength(1);
  expect((await resolve(site, code!)).body.households[0].id).toBe(fam.householdId);

  const open = await t.api().post(`${passPath}/precheck`);
  expect(open.status).toBe(303);
  expect(open.headers.location).toMatch(/^\/precheck\/[A-Za-z0-9_-]{43}$/);
  const page = await t.api().get(String(open.headers.location));
  expect(page.status).toBe(200);
  expect(page.text).toContain('Kit');
  expect((await t.api().post('/pass/not-a-real-pass-token-at-all/precheck')).status).toBe(404);
});

test('a printed key tag from before (a random code) keeps working and is never replaced; the page then says to scan the tag', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Lu', months: 40 }]);
  await t.db('household_express_codes').insert({ organization_id: site.organizationId, household_id: fam.householdId, code_hash: codeHash('KCAAAABBBBCCCC') });
  const token = await linkFor(site, fam.householdId);
  await submit(token, [
    ['child', fam.childIds[0]!],
    ['service', site.serviceId],
  ]);
  const page = await t.api().get(`/precheck/${token}`);
  expect(familyCodeOn(page.text)).toBeNull();
  expect(page.text).toContain('scan your key tag or type your phone number');
  expect((await resolve(site, 'KCAAAABBBBCCCC')).body.households[0].precheckin.childIds).toEqual(fam.childIds);
  expect(await t.db('household_express_codes').where({ household_id: fam.householdId }).whereNull('revoked_at')).toHaveLength(1);
});

test('rate limits: guessing tokens is cut off per address; one link’s page per link; staff texts per family', async () => {
  // the limits are counted in the database, shared by every instance: this test starts from none
  // (the other tests' refusals count as failures from this address) and leaves none behind
  await t.db('attempt_counters').del();
  const fresh = await startTestApp({ db: t.db });
  try {
    const site = await buildSite(t.db, { rooms: ROOMS });
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 40 }]);
    const r = await fresh.api().post(`/api/households/${fam.householdId}/precheckin-link`).set(bearer(site.tokens.staff));
    expect(r.status).toBe(202);
    const row = await t.db('precheckin_links').where({ household_id: fam.householdId }).first();
    const token = precheckToken(secret, row.id);
    const texts: number[] = [];
    for (let i = 0; i < 5; i++)
      texts.push((await fresh.api().post(`/api/households/${fam.householdId}/precheckin-link`).set(bearer(site.tokens.staff))).status);
    expect(texts).toEqual([202, 202, 202, 202, 429]);
    // a pickup pass opens links: ten per ten minutes, then refused (each press makes a link)
    const ci = await fresh
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const passPath = new URL(ci.body.pickupUrl).pathname;
    const opens: number[] = [];
    for (let i = 0; i < 11; i++) opens.push((await fresh.api().post(`${passPath}/precheck`)).status);
    expect(opens).toEqual([...Array(10).fill(303), 429]);
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++) statuses.push((await fresh.api().get(`/precheck/${token}`)).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429]);
    // those refusals (2 + the pass's 1) count as failures from this address: 27 more guesses, then cut off
    const guesses: number[] = [];
    for (let i = 0; i < 30; i++) guesses.push((await fresh.api().get(`/precheck/${'A'.repeat(30)}${String(i).padStart(13, '0')}`)).status);
    expect(guesses.slice(0, 27).every((s) => s === 404)).toBe(true);
    expect(guesses.slice(27)).toEqual([429, 429, 429]);
  } finally {
    await fresh.stop();
    await t.db('attempt_counters').del();
  }
});

test('names are escaped on the page; a pre-check-in at one campus is not offered by another campus’s kiosk of the same organisation', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const sister = await buildSite(t.db, { rooms: ROOMS, organizationId: site.organizationId });
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: '"><script>alert(1)</script>', months: 40 }], { lastName: '<img src=x onerror=alert(2)>' });
  const token = await linkFor(site, fam.householdId);
  const page = await t.api().get(`/precheck/${token}`);
  expect(page.text).not.toContain('<script>alert');
  expect(page.text).not.toContain('<img src=x');
  expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  // the one script is the photo form's, served from this origin; no inline script
  expect(page.text.match(/<script[^>]*>/gi)).toEqual(['<script src="/family-photo.js" defer>']);
  expect(page.text).not.toMatch(/<script[^>]*>[^<]/i);
  expect(
    (
      await submit(token, [
        ['child', fam.childIds[0]!],
        ['service', site.serviceId],
      ])
    ).status,
  ).toBe(303);
  const code = familyCodeOn((await t.api().get(`/precheck/${token}`)).text)!;
  expect((await resolve(site, code)).body.households[0].precheckin.childIds).toEqual(fam.childIds);
  const there = await t.api().post('/api/households/express').set(bearer(sister.tokens.kiosk)).send({ code, serviceId: sister.serviceId });
  expect(there.status).toBe(200);
  expect(there.body.households[0].precheckin).toBeNull();
  // and a check-in there naming this campus's pre-check-in does not use it
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(sister.tokens.kiosk))
    .send({
      serviceId: sister.serviceId,
      householdId: fam.householdId,
      childIds: fam.childIds,
      precheckinIds: [(await t.db('precheckins').where({ household_id: fam.householdId }).first()).id],
      idempotencyKey: key(),
    });
  expect(ci.status).toBe(201);
  expect((await t.db('precheckins').where({ household_id: fam.householdId }).first()).used_at).toBeNull();
});
