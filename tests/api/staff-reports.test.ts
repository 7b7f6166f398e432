import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../server/src/capacity/rules';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function checkIn(site: BuiltSite, serviceId: string, householdId: string, childIds: string[]) {
  const r = await t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { securityCode: string; checkins: { id: string }[] };
}

/** An earlier service of the same site with its rooms (a week ago). */
async function pastService(site: BuiltSite) {
  const startsAt = new Date(Date.now() - 7 * 86_400_000);
  const [s] = await t
    .db('services')
    .insert({
      site_id: site.siteId,
      name: 'Last week',
      starts_at: startsAt,
      checkin_opens_at: new Date(startsAt.getTime() - 3600_000),
      checkin_closes_at: new Date(startsAt.getTime() + 3600_000),
      service_date: dateInTimezone(startsAt, site.timezone),
    })
    .returning(['id', 'service_date']);
  await t.db('service_rooms').insert(Object.values(site.rooms).map((room_id) => ({ service_id: s.id, room_id, capacity: 10, volunteers: 2 })));
  return s as { id: string; service_date: string };
}

// the day of the site's service (the factory keeps it on the campus's today, even near midnight)
const today = (site: BuiltSite) => dateInTimezone(new Date(), site.timezone);

describe('reports', () => {
  test('attendance per service and room counts first-time families only in their first service', async () => {
    const site = await buildSite(t.db);
    const past = await pastService(site);
    const returning = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24 }], { lastName: 'Older' });
    const fresh = await buildHousehold(
      t.db,
      site.siteId,
      [
        { firstName: 'Ben', months: 24 },
        { firstName: 'Cy', months: 48 },
      ],
      { lastName: 'Newer' },
    );
    // the returning family came last week (inserted directly: that service's window is closed)
    const [batch] = await t
      .db('checkin_batches')
      .insert({
        site_id: site.siteId,
        service_id: past.id,
        household_id: returning.householdId,
        service_date: past.service_date,
        security_code: 'BCDF',
        family_day: true,
      })
      .returning('id');
    const [request] = await t
      .db('checkin_requests')
      .insert({ site_id: site.siteId, batch_id: batch.id, idempotency_key: key(), service_ids: [past.id] })
      .returning('id');
    await t.db('checkins').insert({
      batch_id: batch.id,
      request_id: request.id,
      site_id: site.siteId,
      service_id: past.id,
      service_date: past.service_date,
      room_id: site.rooms.Toddlers,
      child_id: returning.childIds[0],
      household_id: returning.householdId,
      security_code: 'BCDF',
      status: 'checked_out',
      checked_in_at: new Date(Date.now() - 7 * 86_400_000),
    });
    await checkIn(site, site.serviceId, returning.householdId, returning.childIds);
    const f = await checkIn(site, site.serviceId, fresh.householdId, fresh.childIds);
    await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.staff))
      .send({ checkinIds: [f.checkins[0]!.id], securityCode: f.securityCode, pickupPersonId: fresh.guardianId });

    const from = past.service_date;
    const to = today(site);
    const r = await t.api().get('/api/reports/attendance').query({ from, to }).set(bearer(site.tokens.staff));
    expect(r.status).toBe(200);
    expect(r.body.services.map((s: { id: string }) => s.id)).toEqual([past.id, site.serviceId]);
    const [last, now] = r.body.services;
    expect(last).toEqual(expect.objectContaining({ children: 1, households: 1, firstTimeHouseholds: 1 }));
    expect(now).toEqual(expect.objectContaining({ children: 3, households: 2, firstTimeHouseholds: 1 }));
    const toddlers = now.rooms.find((x: { name: string }) => x.name === 'Toddlers');
    expect(toddlers).toEqual(expect.objectContaining({ children: 2, firstTimeChildren: 1 }));
    expect(now.rooms.find((x: { name: string }) => x.name === 'Preschool')).toEqual(expect.objectContaining({ children: 1, firstTimeChildren: 1 }));
    expect(now.rooms.find((x: { name: string }) => x.name === 'Nursery')).toEqual(expect.objectContaining({ children: 0 }));
    expect(now.rooms.reduce((n: number, x: { checkedOut: number }) => n + x.checkedOut, 0)).toBe(1);

    const one = await t.api().get(`/api/reports/services/${site.serviceId}`).set(bearer(site.tokens.admin));
    expect(one.status).toBe(200);
    expect(one.body.firstTimeFamilies).toEqual([{ householdId: fresh.householdId, name: 'Newer family', children: ['Ben', 'Cy'] }]);

    const csv = await t.api().get('/api/reports/attendance.csv').query({ from, to }).set(bearer(site.tokens.staff));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="attendance-/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'service_date,service,starts_at,room,children,first_time_children,checked_out,service_children,service_households,service_first_time_households',
    );
    expect(lines).toContainEqual(expect.stringMatching(/,Test Service,[^,]+,Toddlers,2,1,\d,3,2,1$/));
    expect(lines).toHaveLength(1 + 2 * Object.keys(site.rooms).length);

    const detail = await t.api().get('/api/reports/attendance.csv').query({ from, to, detail: 'children' }).set(bearer(site.tokens.staff));
    const rows = detail.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(1 + 4);
    expect(rows.filter((l) => l.includes(',Ben,Newer,Newer family,yes,'))).toHaveLength(1);
    expect(rows.filter((l) => l.includes(',Ada,Older,Older family,no,'))).toHaveLength(1);
    expect(await t.db('audit_log').where({ site_id: site.siteId, action: 'report.export' }).count('* as n')).toEqual([{ n: 2 }]);
  });

  test('CSV cells cannot become spreadsheet formulas', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: '=HYPERLINK("http://x")', months: 24 }], { lastName: 'Evil, Jr' });
    await checkIn(site, site.serviceId, fam.householdId, fam.childIds);
    const r = await t
      .api()
      .get('/api/reports/attendance.csv')
      .query({ from: today(site), to: today(site), detail: 'children' })
      .set(bearer(site.tokens.staff));
    expect(r.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(r.text).toContain('"Evil, Jr"');
  });

  test("CSV times are the campus's wall clock, not UTC", async () => {
    // Kolkata is UTC+5:30 all year: a UTC time can never pass for it by accident
    const site = await buildSite(t.db, { timezone: 'Asia/Kolkata' });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Tz', months: 24 }]);
    const ci = await checkIn(site, site.serviceId, fam.householdId, fam.childIds);
    const at = new Date('2026-11-29T03:40:05Z');
    await t.db('checkins').where({ id: ci.checkins[0]!.id }).update({ checked_in_at: at });
    const { starts_at: startsAt } = await t.db('services').select('starts_at').where({ id: site.serviceId }).first();
    const day = today(site);
    const r = await t.api().get('/api/reports/attendance.csv').query({ from: day, to: day, detail: 'children' }).set(bearer(site.tokens.staff));
    expect(r.status).toBe(200);
    const line = r.text.split('\r\n').find((l) => l.includes(',Tz,'))!;
    const cells = line.split(',');
    expect(cells[8]).toBe('2026-11-29 09:10:05');
    expect(line).not.toContain('T03:40');
    const local = (d: Date) => {
      const s = new Date(d.getTime() + 330 * 60_000).toISOString();
      return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
    };
    expect(cells[2]).toBe(local(new Date(startsAt)));
    const rooms = await t.api().get('/api/reports/attendance.csv').query({ from: day, to: day }).set(bearer(site.tokens.staff));
    expect(rooms.text).toContain(`,${local(new Date(startsAt))},Toddlers,`);
  });

  test('timeline buckets check-ins and check-outs with the number present', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }, { months: 48 }]);
    const ci = await checkIn(site, site.serviceId, fam.householdId, fam.childIds);
    // spread them out: one arrived 20 minutes ago
    await t
      .db('checkins')
      .where({ id: ci.checkins[0]!.id })
      .update({ checked_in_at: new Date(Date.now() - 20 * 60_000) });
    await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.staff))
      .send({ checkinIds: [ci.checkins[0]!.id], securityCode: ci.securityCode, pickupPersonId: fam.guardianId });
    const r = await t.api().get(`/api/reports/services/${site.serviceId}/timeline`).query({ bucketMinutes: 5 }).set(bearer(site.tokens.staff));
    expect(r.status).toBe(200);
    expect(r.body.bucketMinutes).toBe(5);
    const b = r.body.buckets as { at: string; checkins: number; checkouts: number; present: number }[];
    expect(b.length).toBeGreaterThanOrEqual(6);
    expect(b.reduce((n, x) => n + x.checkins, 0)).toBe(2);
    expect(b.reduce((n, x) => n + x.checkouts, 0)).toBe(1);
    // the axis starts when check-in opened (30 minutes ago), so early empty buckets are there
    expect(Date.parse(b[0]!.at)).toBeLessThanOrEqual(Date.now() - 30 * 60_000);
    expect(b[0]!.checkins).toBe(0);
    expect(b.find((x) => x.checkins > 0)!.checkins).toBe(1);
    expect(b[b.length - 1]!.present).toBe(1);
    expect(Date.parse(b[1]!.at) - Date.parse(b[0]!.at)).toBe(5 * 60_000);
  });

  test('validation 400 naming the field', async () => {
    const site = await buildSite(t.db);
    const cases = [
      ['/api/reports/attendance', { to: '2026-01-01' }, 'from'],
      ['/api/reports/attendance', { from: '2026-01-01', to: '2026-13-01' }, 'to'],
      ['/api/reports/attendance', { from: '2026-02-01', to: '2026-01-01' }, 'to'],
      ['/api/reports/attendance', { from: '2024-01-01', to: '2026-01-01' }, 'to'],
      ['/api/reports/attendance.csv', { from: '2026-01-01', to: '2026-01-02', detail: 'everything' }, 'detail'],
      [`/api/reports/services/${site.serviceId}/timeline`, { bucketMinutes: 0 }, 'bucketMinutes'],
      [`/api/reports/services/${site.serviceId}/timeline`, { bucketMinutes: 'x' }, 'bucketMinutes'],
      ['/api/reports/services/abc', {}, 'id'],
    ] as const;
    for (const [path, query, field] of cases) {
      const r = await t.api().get(path).query(query).set(bearer(site.tokens.staff));
      expect([path, r.status, r.body.error?.field]).toEqual([path, 400, field]);
    }
  });

  test("401, 403 for volunteers and kiosks, 404 for another site's service", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    const q = { from: '2026-01-01', to: '2026-01-31' };
    expect((await t.api().get('/api/reports/attendance').query(q)).status).toBe(401);
    for (const token of [a.tokens.volunteer, a.tokens.kiosk]) {
      expect((await t.api().get('/api/reports/attendance').query(q).set(bearer(token))).status).toBe(403);
      expect((await t.api().get('/api/reports/attendance.csv').query(q).set(bearer(token))).status).toBe(403);
      expect((await t.api().get(`/api/reports/services/${a.serviceId}`).set(bearer(token))).status).toBe(403);
    }
    expect((await t.api().get(`/api/reports/services/${b.serviceId}`).set(bearer(a.tokens.admin))).status).toBe(404);
    expect((await t.api().get(`/api/reports/services/${b.serviceId}/timeline`).set(bearer(a.tokens.admin))).status).toBe(404);
    // another site's services never appear in a range report
    const r = await t
      .api()
      .get('/api/reports/attendance')
      .query({ from: today(a), to: today(a) })
      .set(bearer(a.tokens.staff));
    expect(r.body.services.map((s: { id: string }) => s.id)).toEqual([a.serviceId]);
  });
});
