/**
 * A token of another organisation or another campus never gets a 2xx on campus a's ids, nor changes
 * anything; lists, sockets and audit trails show none of a's data.
 */
import { buildHousehold, key, sessionFor } from '../support/factories';
import { bearer, connected, nextEvent } from '../support/harness';
import { SHARED_IN_ORG, ORG_ADMIN_REACH, ORG_ADMIN_PHOTOS } from './access-table';
import { setupAccessWorld, t, a, b, ids, bTokens, c, cTokens, orgAdminAtC, orgAdminId, key2, neverReaches } from './access-world';

setupAccessWorld();

test("another organisation's token never gets a 2xx on this site's ids, and changes nothing", async () => {
  await neverReaches(bTokens, 'another organisation');
});

test("another campus of the same organisation (campus-scoped roles) reaches none of this campus's ids, families aside", async () => {
  await neverReaches(cTokens, 'another campus', (route) => SHARED_IN_ORG.test(route.path));
});

test("an organisation admin signed in at another campus reaches this campus's people, nothing else of it", async () => {
  const asAdmin = { ...cTokens, admin: orgAdminAtC, staff: orgAdminAtC, volunteer: orgAdminAtC };
  await neverReaches(
    asAdmin,
    'an org admin at another campus',
    (route) =>
      SHARED_IN_ORG.test(route.path) || ORG_ADMIN_REACH.test(route.path) || ORG_ADMIN_PHOTOS.test(route.path) || key2(route) === 'POST /api/auth/switch-campus',
  );
  // and the people routes do answer them
  expect((await t.api().get('/api/people').query({ siteId: a.siteId }).set(bearer(orgAdminAtC))).status).toBe(200);
  const sw = await t
    .api()
    .post('/api/auth/switch-campus')
    .set(bearer(await sessionFor(t.db, orgAdminId)))
    .send({ siteId: a.siteId });
  expect(sw.body.user).toMatchObject({ siteId: a.siteId, role: 'admin', orgAdmin: true });
});

test("list routes of another site show none of this site's data", async () => {
  for (const path of [
    '/api/services/current',
    '/api/households?phone=0612',
    '/api/households/search?q=Fam',
    '/api/services',
    '/api/rooms',
    '/api/kiosks',
    '/api/reports/attendance',
    '/api/label-printers',
  ]) {
    const r = await t.api().get(path).set(bearer(b.tokens.admin));
    const text = JSON.stringify(r.body);
    for (const id of [a.serviceId, ids.householdId, ids.roomId, a.kioskId, ids.printerId])
      expect({ path, leaked: text.includes(id!) }).toEqual({ path, leaked: false });
  }
});

test("sockets: no token refused; a client cannot join another site's room by asking", async () => {
  const anon = t.socket('');
  await expect(connected(anon)).rejects.toThrow('unauthorized');
  const spy = t.socket(b.tokens.admin);
  await connected(spy);
  const got: { name: string; serviceId?: string }[] = [];
  spy.onAny((name, payload) => got.push({ name, serviceId: payload?.serviceId }));
  for (const ev of ['join', 'subscribe', 'room']) (spy as any).emit(ev, `site:${a.siteId}:staff`);
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(a.tokens.kiosk))
    .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  // a marker: a check-in at the spy's own site, sent afterwards, arrives after anything site A sent it
  const own = await buildHousehold(t.db, b.siteId, [{ months: 24 }]);
  const marker = nextEvent(spy, 'checkin.created');
  await t
    .api()
    .post('/api/checkins')
    .set(bearer(b.tokens.kiosk))
    .send({ serviceId: b.serviceId, householdId: own.householdId, childIds: own.childIds, idempotencyKey: key() });
  await marker;
  expect(got.map((e) => e.name)).toContain('checkin.created');
  expect(got.filter((e) => e.serviceId !== b.serviceId)).toEqual([]);
});

test("a child's audit trail read at another campus of the organisation lists none of this campus's entries", async () => {
  const mine = await t.api().get(`/api/children/${ids.childId}/audit`).set(bearer(a.tokens.staff));
  expect(mine.body.entries.length).toBeGreaterThan(0);
  const there = await t.api().get(`/api/children/${ids.childId}/audit`).set(bearer(c.tokens.staff));
  expect(there.status).toBe(200);
  expect(there.body.entries).toEqual([]);
});
