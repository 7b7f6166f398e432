/**
 * Volunteers at a check-in kiosk (DESIGN §13, issue #17): a volunteer checks in to a room by their
 * phone number and out again; the same background-check gate as the staff UI; the kiosk learns
 * their name alone; the name tag reaches the kiosk's printer with no security code. Staff list the
 * campus's volunteers with their checks (expiring within 30 days flagged) and record a check.
 */
import { buildHousehold, buildSite, givePrinter, key, kioskToken, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { fakePrinter, type FakePrinter } from '../support/printer';

let t: TestApp;
let printer: FakePrinter;
beforeAll(async () => {
  t = await startTestApp();
  printer = await fakePrinter();
});
afterAll(async () => {
  await printer.close();
  await t.stop();
});

const TODDLERS = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 }];
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const kiosk = (site: BuiltSite, what: 'lookup' | 'checkin' | 'checkout', body: object) =>
  t.api().post(`/api/kiosk/volunteers/${what}`).set(bearer(site.tokens.kiosk)).send(body);
const setPhone = (site: BuiltSite, userId: string, phone: string | null) =>
  t.api().put(`/api/volunteers/${userId}/phone`).set(bearer(site.tokens.staff)).send({ phone });
const record = (site: BuiltSite, userId: string, body: object, token = site.tokens.staff) =>
  t.api().put(`/api/volunteers/${userId}/background-check`).set(bearer(token)).send(body);
const room = async (site: BuiltSite) =>
  ((await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as any[]).find((r) => r.name === 'Toddlers');

test('by phone at a kiosk: refused without a check, in after staff record one (tag to the printer, no code), out again; the kiosk sees only the name', async () => {
  // one adult already counted in the room, so a child can be checked in before the volunteer arrives
  const site = await buildSite(t.db, { rooms: [{ ...TODDLERS[0]!, volunteers: 1 }] });
  await givePrinter(t.db, site.kioskId, printer.address);
  const vol = site.userIds.volunteer;
  const phone = '(312) 555-0142';
  expect((await setPhone(site, vol, phone)).body.volunteer).toEqual(expect.objectContaining({ userId: vol, phone: '+13125550142' }));

  // a child is in: their code must not be on the volunteer's tag
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const child = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(child.status).toBe(201);
  const code: string = child.body.securityCode;
  expect(code).toMatch(/^\w{3,}$/);

  const found = await kiosk(site, 'lookup', { serviceId: site.serviceId, phone });
  expect(found.status).toBe(200);
  expect(found.body.volunteer).toEqual({ name: 'Test volunteer', serving: null, rooms: [{ id: site.rooms.Toddlers, name: 'Toddlers' }] });
  // nothing about anyone else, not even the volunteer's own email, id or check
  expect(JSON.stringify(found.body)).not.toMatch(/@|userId|background|cleared|none/);

  // no current check: refused, and the public screen is told no status or date
  const refused = await kiosk(site, 'checkin', { serviceId: site.serviceId, phone, roomId: site.rooms.Toddlers });
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('background_check_required');
  expect(JSON.stringify(refused.body)).not.toMatch(/none|expires|backgroundCheck/);
  expect((await room(site)).volunteers).toBe(1);
  expect(await t.db('audit_log').where({ action: 'volunteer.checkin_refused', entity_id: vol, actor_kind: 'kiosk' }).count('* as n').first()).toEqual({ n: 1 });

  // staff record the check; the volunteer is listed as current
  const rec = await record(site, vol, { status: 'cleared', expiresOn: inDays(200) });
  expect(rec.status).toBe(200);
  expect(rec.body.volunteer).toEqual(expect.objectContaining({ userId: vol, expiresSoon: false, backgroundCheck: expect.objectContaining({ current: true }) }));
  expect(await t.db('audit_log').where({ action: 'person.background_check', entity_id: vol }).count('* as n').first()).toEqual({ n: 1 });

  const job = printer.nextJob();
  const ok = await kiosk(site, 'checkin', { serviceId: site.serviceId, phone: '+1 312 555 0142', roomId: site.rooms.Toddlers });
  expect(ok.status).toBe(201);
  expect(ok.body).toEqual(expect.objectContaining({ name: 'Test volunteer', roomName: 'Toddlers', printed: true }));
  const zpl = await job;
  expect(zpl).toMatch(/^\^XA/);
  expect(zpl).toContain('^FDVOLUNTEER^FS');
  expect(zpl).toContain('^FDTest volunteer^FS');
  expect(zpl).toContain('^FDToddlers^FS');
  expect(zpl).toContain('Test Service');
  expect(zpl).not.toContain(code);
  expect(zpl).not.toContain('^BQ'); // no pickup QR either
  expect((await room(site)).volunteers).toBe(2);
  const shift = await t.db('volunteer_shifts').where({ service_id: site.serviceId, user_id: vol }).first();
  expect(shift).toEqual(expect.objectContaining({ checked_in_kiosk_id: site.kioskId, checked_in_by: null, checked_out_at: null }));
  expect(await t.db('audit_log').where({ action: 'labels.volunteer_tag', entity_id: shift.id }).count('* as n').first()).toEqual({ n: 1 });

  expect((await kiosk(site, 'lookup', { serviceId: site.serviceId, phone })).body.volunteer.serving).toEqual({
    roomId: site.rooms.Toddlers,
    roomName: 'Toddlers',
  });
  expect((await kiosk(site, 'checkin', { serviceId: site.serviceId, phone, roomId: site.rooms.Toddlers })).body.error.code).toBe('already_serving');

  const out = await kiosk(site, 'checkout', { serviceId: site.serviceId, phone });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ name: 'Test volunteer', roomName: 'Toddlers' });
  expect((await room(site)).volunteers).toBe(1);
  expect(await t.db('volunteer_shifts').where({ id: shift.id }).first()).toEqual(expect.objectContaining({ checked_out_kiosk_id: site.kioskId }));
  expect((await kiosk(site, 'checkout', { serviceId: site.serviceId, phone })).body.error.code).toBe('not_serving');

  // the report keeps the served shift
  const rep = await t
    .api()
    .get('/api/reports/volunteers')
    .query({ from: inDays(-2), to: inDays(2) })
    .set(bearer(site.tokens.staff));
  expect(rep.body.shifts).toEqual([expect.objectContaining({ id: shift.id, name: 'Test volunteer', roomName: 'Toddlers' })]);
});

test('without a printer the tag comes back for the browser; a dead printer does not undo the check-in', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS });
  await t
    .db('organizations')
    .where({ id: site.organizationId })
    .update({ settings: JSON.stringify({ requireBackgroundCheck: false }) });
  await setPhone(site, site.userIds.volunteer, '+13125550143');
  const r = await kiosk(site, 'checkin', { serviceId: site.serviceId, phone: '+13125550143', roomId: site.rooms.Toddlers });
  expect(r.status).toBe(201);
  expect(r.body.printed).toBe(false);
  expect(r.body.label).toEqual(expect.objectContaining({ name: 'Test volunteer', roomName: 'Toddlers' }));
  await kiosk(site, 'checkout', { serviceId: site.serviceId, phone: '+13125550143' });
  await givePrinter(t.db, site.kioskId, '127.0.0.1:1');
  const again = await kiosk(site, 'checkin', { serviceId: site.serviceId, phone: '+13125550143', roomId: site.rooms.Toddlers });
  expect(again.status).toBe(201);
  expect(again.body.printed).toBe(false);
  expect((await room(site)).volunteers).toBe(1);
});

test('only people of the kiosk’s organisation with a role at its campus, one answer for all others; bad input names the field', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS });
  const other = await buildSite(t.db, { rooms: TODDLERS });
  // the same number at another organisation
  await setPhone(other, other.userIds.volunteer, '+13125550144');
  const elsewhere = await kiosk(site, 'lookup', { serviceId: site.serviceId, phone: '+13125550144' });
  expect(elsewhere.status).toBe(404);
  expect(elsewhere.body.error.code).toBe('volunteer_not_found');
  // a person of the organisation without a role here
  const [u] = await t
    .db('users')
    .insert({ site_id: site.siteId, email: `norole-${key()}@test.church`, name: 'No Role', role: 'volunteer', password_hash: 'x', phone: '+13125550145' })
    .returning('id');
  await t.db('user_roles').where({ user_id: u.id }).delete();
  expect((await kiosk(site, 'lookup', { serviceId: site.serviceId, phone: '+13125550145' })).body.error.code).toBe('volunteer_not_found');
  // deactivated: the same answer
  await setPhone(site, site.userIds.volunteer, '+13125550146');
  await t.db('users').where({ id: site.userIds.volunteer }).update({ deactivated_at: new Date() });
  expect((await kiosk(site, 'lookup', { serviceId: site.serviceId, phone: '+13125550146' })).body.error.code).toBe('volunteer_not_found');
  // another organisation's service: not found
  expect((await kiosk(site, 'lookup', { serviceId: other.serviceId, phone: '+13125550146' })).status).toBe(404);

  const bad = await kiosk(site, 'lookup', { serviceId: site.serviceId });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.error)).toContain('phone');
  const badRoom = await kiosk(site, 'checkin', { serviceId: site.serviceId, phone: '+13125550146', roomId: 'x' });
  expect(badRoom.status).toBe(400);
  expect(JSON.stringify(badRoom.body.error)).toContain('roomId');
  expect((await setPhone(site, site.userIds.staff, '12')).status).toBe(400);
  // a number already someone else's in the organisation
  expect((await setPhone(site, site.userIds.staff, '+13125550146')).body.error.code).toBe('phone_taken');
});

test('staff list volunteers with their checks (expiring within 30 days flagged) and may not record their own', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS });
  expect((await record(site, site.userIds.volunteer, { status: 'cleared', expiresOn: inDays(10) })).body.volunteer.expiresSoon).toBe(true);
  expect((await record(site, site.userIds.admin, { status: 'cleared', expiresOn: inDays(100) })).body.volunteer.expiresSoon).toBe(false);
  const list = await t.api().get('/api/volunteers').set(bearer(site.tokens.staff));
  const by = Object.fromEntries((list.body.volunteers as any[]).map((v) => [v.userId, v]));
  expect(by[site.userIds.volunteer]).toEqual(
    expect.objectContaining({ expiresSoon: true, backgroundCheck: expect.objectContaining({ status: 'cleared', current: true }) }),
  );
  expect(by[site.userIds.staff]).toEqual(
    expect.objectContaining({ expiresSoon: false, backgroundCheck: expect.objectContaining({ status: 'none', current: false }) }),
  );
  expect((await record(site, site.userIds.staff, { status: 'cleared', expiresOn: inDays(100) })).status).toBe(403);
  const noDate = await record(site, site.userIds.volunteer, { status: 'cleared' });
  expect(noDate.status).toBe(400);
  expect(JSON.stringify(noDate.body.error)).toContain('expiresOn');
  // a volunteer may not record checks
  const vtoken = await sessionFor(t.db, site.userIds.volunteer);
  expect((await record(site, site.userIds.admin, { status: 'failed' }, vtoken)).status).toBe(403);
});

test('phone tries at the kiosk are limited per kiosk, like family look-ups, on a budget of their own', async () => {
  const own = await startTestApp({ db: t.db, env: { KIOSK_LOOKUPS_PER_MINUTE: '3' } });
  try {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    const second = await kioskToken(t.db, site.siteId);
    const look = (token: string, phone = '+13125550150') =>
      own
        .api()
        .post('/api/kiosk/volunteers/lookup')
        .set(bearer(token))
        .send({ serviceId: site.serviceId, phone })
        .then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await look(site.tokens.kiosk, `+1312555015${i}`));
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    // another kiosk keeps going, and the families' look-ups at this kiosk too
    expect(await look(second)).toBe(404);
    expect((await own.api().get('/api/households').query({ phone: '0000' }).set(bearer(site.tokens.kiosk))).status).toBe(200);
  } finally {
    await own.stop();
  }
});
