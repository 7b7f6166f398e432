import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import type { KioskStatusEvent, RoomUpdatedEvent } from '../../contracts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const ID = '00000000-0000-4000-8000-000000000000';

describe('admin: rooms', () => {
  test('create, list, edit and archive a room; a new room joins the current service closed, live', async () => {
    const site = await buildSite(t.db);
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const live = nextEvent<RoomUpdatedEvent>(staff, 'room.updated');
    const r = await t
      .api()
      .post('/api/rooms')
      .set(bearer(site.tokens.admin))
      .send({ name: 'Toddlers B', minAgeMonths: 18, maxAgeMonths: 35, defaultCapacity: 12, ratio: 4, sortOrder: 3 });
    expect(r.status).toBe(201);
    const room = r.body.room;
    expect(room).toEqual(
      expect.objectContaining({ name: 'Toddlers B', ageGroup: 'Toddlers B', kind: 'regular', defaultCapacity: 12, ratio: 4, minGrade: null }),
    );
    const e = await live;
    expect(e).toEqual({ serviceId: site.serviceId, room: expect.objectContaining({ id: room.id, open: false, capacity: 12, volunteers: 0 }) });

    const list = await t.api().get('/api/rooms').set(bearer(site.tokens.admin));
    expect(list.body.rooms.map((x: { name: string }) => x.name)).toContain('Toddlers B');

    const p = await t.api().patch(`/api/rooms/${room.id}`).set(bearer(site.tokens.admin)).send({ ageGroup: 'Toddlers', maxAgeMonths: 30, ratio: null });
    expect(p.status).toBe(200);
    expect(p.body.room).toEqual(expect.objectContaining({ ageGroup: 'Toddlers', maxAgeMonths: 30, ratio: null }));
    expect((await t.api().patch(`/api/rooms/${room.id}`).set(bearer(site.tokens.admin)).send({ minAgeMonths: 40 })).body.error.field).toBe('maxAgeMonths');
    const dup = await t.api().patch(`/api/rooms/${room.id}`).set(bearer(site.tokens.admin)).send({ name: 'nursery' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('room_name_taken');

    // open it on the dashboard, then archive: it closes in the current service and leaves the list
    await t.api().patch(`/api/services/${site.serviceId}/rooms/${room.id}`).set(bearer(site.tokens.staff)).send({ open: true });
    const d = await t.api().delete(`/api/rooms/${room.id}`).set(bearer(site.tokens.admin));
    expect(d.status).toBe(204);
    expect((await t.db('service_rooms').where({ service_id: site.serviceId, room_id: room.id }).first()).open).toBe(false);
    expect((await t.api().get('/api/rooms').set(bearer(site.tokens.admin))).body.rooms.map((x: { id: string }) => x.id)).not.toContain(room.id);
    expect((await t.api().patch(`/api/rooms/${room.id}`).set(bearer(site.tokens.admin)).send({ name: 'Again' })).status).toBe(404);
    const actions = await t.db('audit_log').where({ site_id: site.siteId, entity: 'room', entity_id: room.id }).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['room.create', 'room.update', 'room.archive']));
  });

  test.each([
    [{}, 'name'],
    [{ name: 'X', kind: 'big' }, 'kind'],
    [{ name: 'X', minAgeMonths: 30, maxAgeMonths: 12 }, 'maxAgeMonths'],
    [{ name: 'X', minGrade: 3, maxGrade: 1 }, 'maxGrade'],
    [{ name: 'X', defaultCapacity: -1 }, 'defaultCapacity'],
    [{ name: 'X', ratio: 0 }, 'ratio'],
    [{ name: 'X', color: 'red' }, 'color'],
  ])('POST /api/rooms %j → 400 naming %s', async (body, field) => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/rooms').set(bearer(site.tokens.admin)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });
});

describe('admin: services', () => {
  test("a service gets its rooms from the rooms' defaults and the site's check-in window; kiosks hear about it", async () => {
    const site = await buildSite(t.db, { settings: { checkinWindowMinutes: 45 } });
    const kiosk = t.socket(site.tokens.kiosk);
    await connected(kiosk);
    const heard = nextEvent<KioskStatusEvent>(kiosk, 'kiosk.status');
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    const r = await t.api().post('/api/services').set(bearer(site.tokens.admin)).send({ name: 'Sunday 9am', startsAt: startsAt.toISOString() });
    expect(r.status).toBe(201);
    const s = r.body.service;
    expect(Date.parse(s.checkinOpensAt)).toBe(startsAt.getTime() - 45 * 60_000);
    expect(Date.parse(s.checkinClosesAt)).toBe(startsAt.getTime() + 60 * 60_000);
    expect(s.rooms).toBe(Object.keys(site.rooms).length);
    expect(await heard).toEqual({ kind: 'service_changed', message: expect.stringContaining('Sunday 9am') });
    const rows = await t
      .db('service_rooms as sr')
      .join('rooms as r', 'r.id', 'sr.room_id')
      .where('sr.service_id', s.id)
      .select('r.name', 'sr.open', 'sr.capacity', 'sr.volunteers');
    // nobody is assumed present: volunteers count as they check in (DESIGN §15)
    expect(rows.find((x) => x.name === 'Toddlers')).toEqual({ name: 'Toddlers', open: true, capacity: 10, volunteers: 0 });
    expect(rows.find((x) => x.name === 'Overflow')).toEqual(expect.objectContaining({ open: false, volunteers: 0 }));

    const list = await t.api().get('/api/services').set(bearer(site.tokens.staff));
    expect(list.body.services.map((x: { id: string }) => x.id)).toEqual([s.id, site.serviceId]);

    const p = await t
      .api()
      .patch(`/api/services/${s.id}`)
      .set(bearer(site.tokens.admin))
      .send({ name: 'Sunday 9:30', checkinClosesAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString() });
    expect(p.status).toBe(200);
    expect(p.body.service.name).toBe('Sunday 9:30');
    const bad = await t
      .api()
      .patch(`/api/services/${s.id}`)
      .set(bearer(site.tokens.admin))
      .send({ checkinClosesAt: new Date(startsAt.getTime() - 3 * 3600_000).toISOString() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('checkinClosesAt');

    expect((await t.api().delete(`/api/services/${s.id}`).set(bearer(site.tokens.admin))).status).toBe(204);
    expect(await t.db('services').where({ id: s.id }).first()).toBeUndefined();
    const actions = await t.db('audit_log').where({ site_id: site.siteId, entity: 'service' }).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['service.create', 'service.update', 'service.delete']));
  });

  test('a service with check-ins cannot be deleted', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId);
    await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
    const r = await t.api().delete(`/api/services/${site.serviceId}`).set(bearer(site.tokens.admin));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('has_checkins');
  });

  test.each([
    [{ startsAt: '2026-01-01T10:00:00Z' }, 'name'],
    [{ name: 'X' }, 'startsAt'],
    [{ name: 'X', startsAt: 'tomorrow' }, 'startsAt'],
    [{ name: 'X', startsAt: '2026-01-01T10:00:00Z', checkinOpensAt: '2026-01-01T11:00:00Z', checkinClosesAt: '2026-01-01T09:00:00Z' }, 'checkinClosesAt'],
    [{ name: 'X', startsAt: '2026-01-01T10:00:00Z', checkinOpensAt: '2026-01-01T12:00:00Z' }, 'checkinClosesAt'],
  ])('POST /api/services %j → 400 naming %s', async (body, field) => {
    const site = await buildSite(t.db);
    const r = await t.api().post('/api/services').set(bearer(site.tokens.admin)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });
});

describe('admin: site settings', () => {
  test('a patch changes only what it names; thresholds re-evaluate live rooms', async () => {
    const site = await buildSite(t.db, { settings: { labelFooter: 'Kids!', smsTemplates: { page: 'Come to {{room}}' } } });
    const before = await t.api().get('/api/site/settings').set(bearer(site.tokens.admin));
    expect(before.status).toBe(200);
    expect(before.body.settings).toEqual(expect.objectContaining({ strategy: 'fill_in_order', labelFooter: 'Kids!', softThresholdPct: 80 }));
    expect(before.body.settings.smsTemplates.page).toBe('Come to {{room}}');

    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const live = nextEvent<RoomUpdatedEvent>(staff, 'room.updated');
    const r = await t
      .api()
      .patch('/api/site/settings')
      .set(bearer(site.tokens.admin))
      .send({ softThresholdPct: 50, ratioEnforcement: 'off', smsTemplates: { checkoutConfirmation: '{{children}} went home with {{pickedUpBy}}' } });
    expect(r.status).toBe(200);
    expect(r.body.settings).toEqual(
      expect.objectContaining({ softThresholdPct: 50, ratioEnforcement: 'off', labelFooter: 'Kids!', strategy: 'fill_in_order' }),
    );
    expect(r.body.settings.smsTemplates).toEqual(
      expect.objectContaining({ page: 'Come to {{room}}', checkoutConfirmation: '{{children}} went home with {{pickedUpBy}}' }),
    );
    // Toddlers: capacity 10, 2 volunteers × ratio 5 = 10 either way; Nursery: 4 × 3 = 12 > 10 → 10
    expect((await live).serviceId).toBe(site.serviceId);
    const stored = (await t.db('sites').where({ id: site.siteId }).first()).settings;
    expect(stored).not.toHaveProperty('checkinWindowMinutes'); // defaults are not frozen into the row
    expect(await t.db('audit_log').where({ site_id: site.siteId, action: 'site.settings_update' }).count('* as n')).toEqual([{ n: 1 }]);

    const name = await t.api().patch('/api/site').set(bearer(site.tokens.admin)).send({ name: 'North Campus', timezone: 'America/Denver' });
    expect(name.status).toBe(200);
    expect(name.body.site).toEqual(expect.objectContaining({ name: 'North Campus', timezone: 'America/Denver' }));
    expect((await t.api().get('/api/site').set(bearer(site.tokens.volunteer))).body.site.name).toBe('North Campus');
  });

  test.each([
    [{ strategy: 'random' }, 'strategy'],
    [{ softThresholdPct: 5 }, 'softThresholdPct'],
    [{ softThresholdPct: 80.5 }, 'softThresholdPct'],
    [{ ratioEnforcement: 'yes' }, 'ratioEnforcement'],
    [{ smsTemplates: { page: 'x'.repeat(321) } }, 'smsTemplates.page'],
    [{ smsTemplates: { page: 'Hi {{parent}}' } }, 'smsTemplates.page'],
    [{ smsTemplates: { greeting: 'hi' } }, 'smsTemplates.greeting'],
    [{ theme: 'dark' }, 'theme'],
    [{}, 'body'],
  ])('PATCH /api/site/settings %j → 400 naming %s', async (body, field) => {
    const site = await buildSite(t.db);
    const r = await t.api().patch('/api/site/settings').set(bearer(site.tokens.admin)).send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });

  test('PATCH /api/site: a made-up timezone is a 400', async () => {
    const site = await buildSite(t.db);
    const r = await t.api().patch('/api/site').set(bearer(site.tokens.admin)).send({ timezone: 'Mars/Olympus' });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('timezone');
  });
});

describe('admin: who may', () => {
  const calls = (site: { serviceId: string; rooms: Record<string, string> }) =>
    [
      ['get', '/api/rooms', undefined],
      ['post', '/api/rooms', { name: 'New room' }],
      ['patch', `/api/rooms/${site.rooms.Toddlers}`, { name: 'Renamed' }],
      ['delete', `/api/rooms/${site.rooms.Toddlers}`, undefined],
      ['post', '/api/services', { name: 'X', startsAt: new Date().toISOString() }],
      ['patch', `/api/services/${site.serviceId}`, { name: 'Renamed' }],
      ['delete', `/api/services/${site.serviceId}`, undefined],
      ['get', '/api/site/settings', undefined],
      ['patch', '/api/site/settings', { strategy: 'balance' }],
      ['patch', '/api/site', { name: 'Renamed' }],
    ] as const;

  test('staff, volunteers and kiosks get 403; no token 401; nothing changes', async () => {
    const site = await buildSite(t.db);
    for (const [method, path, body] of calls(site)) {
      expect([method, path, (await t.api()[method](path).send(body)).status]).toEqual([method, path, 401]);
      for (const who of ['staff', 'volunteer', 'kiosk'] as const) {
        const r = await t.api()[method](path).set(bearer(site.tokens[who])).send(body);
        expect([who, method, path, r.status]).toEqual([who, method, path, 403]);
      }
    }
    // reading the service list is for staff (reports), not volunteers
    expect((await t.api().get('/api/services').set(bearer(site.tokens.staff))).status).toBe(200);
    expect((await t.api().get('/api/services').set(bearer(site.tokens.volunteer))).status).toBe(403);
    expect((await t.db('rooms').where({ id: site.rooms.Toddlers }).first()).name).toBe('Toddlers');
    expect(await t.db('services').where({ id: site.serviceId }).first()).toBeTruthy();
  });

  test("another site's room or service is a 404 for an admin", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    expect((await t.api().patch(`/api/rooms/${b.rooms.Toddlers}`).set(bearer(a.tokens.admin)).send({ name: 'Mine' })).status).toBe(404);
    expect((await t.api().delete(`/api/rooms/${b.rooms.Toddlers}`).set(bearer(a.tokens.admin))).status).toBe(404);
    expect((await t.api().patch(`/api/services/${b.serviceId}`).set(bearer(a.tokens.admin)).send({ name: 'Mine' })).status).toBe(404);
    expect((await t.api().delete(`/api/services/${b.serviceId}`).set(bearer(a.tokens.admin))).status).toBe(404);
    expect((await t.api().patch(`/api/rooms/${ID}`).set(bearer(a.tokens.admin)).send({ name: 'Mine' })).status).toBe(404);
    expect((await t.db('rooms').where({ id: b.rooms.Toddlers }).first()).name).toBe('Toddlers');
    const list = await t.api().get('/api/rooms').set(bearer(a.tokens.admin));
    expect(list.body.rooms.map((r: { id: string }) => r.id)).not.toContain(b.rooms.Toddlers);
  });
});
