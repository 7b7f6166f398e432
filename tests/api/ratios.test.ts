/**
 * Every child accounted for (DESIGN §15, issue 24 points 1, 5, 6): ratios that bind on the
 * volunteers actually checked in, staff corrections kept per service, off / warn / enforce and the
 * two-adult rule, `waiting_for_volunteers` with its alert; only the chosen children on a join;
 * grades from birthdates under `schoolCutoff`; alerts that offer only rooms that take the group;
 * forecasts that clear when check-in closes.
 */
import { birthdateForMonths, buildHousehold, buildSite, key, sessionFor, type BuiltSite, type RoomSpec } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';
import { dateInTimezone } from '../../contracts/rules';
import { clearForecastsOfClosedServices } from '../../server/src/capacity/forecast-sweep';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const TODDLERS: RoomSpec[] = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 3, volunteers: 0 }];
const inYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
const rooms = async (site: BuiltSite) => (await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as any[];
const room = async (site: BuiltSite, name = 'Toddlers') => (await rooms(site)).find((r) => r.name === name);
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const alerts = async (site: BuiltSite) =>
  (await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(site.tokens.staff))).body.alerts as any[];
const patchRoom = (site: BuiltSite, body: object, roomId = site.rooms.Toddlers!) =>
  t.api().patch(`/api/services/${site.serviceId}/rooms/${roomId}`).set(bearer(site.tokens.staff)).send(body);

/** A cleared volunteer of the campus (a user with a role there and a current background check). */
async function clearedVolunteer(site: BuiltSite, name: string) {
  const [u] = await t
    .db('users')
    .insert({
      site_id: site.siteId,
      email: `${name.toLowerCase()}-${key()}@test.church`,
      name,
      role: 'volunteer',
      password_hash: 'x',
      background_check_status: 'cleared',
      background_check_expires_on: inYear(),
    })
    .returning('id');
  return { id: u.id as string, token: await sessionFor(t.db, u.id) };
}
/** An organisation admin (changes the organisation's defaults). */
async function orgAdmin(site: BuiltSite) {
  const [u] = await t
    .db('users')
    .insert({ site_id: site.siteId, email: `org-admin-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
    .returning('id');
  return sessionFor(t.db, u.id);
}
const serve = (site: BuiltSite, token: string, roomId = site.rooms.Toddlers!) =>
  t.api().post(`/api/services/${site.serviceId}/rooms/${roomId}/volunteers`).set(bearer(token)).send({});

describe('ratios bind on the volunteers present', () => {
  test('a new service and a new room start with no volunteers (nothing assumes capacity ÷ ratio)', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    const startsAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    const created = await t.api().post('/api/services').set(bearer(site.tokens.admin)).send({ name: 'Evening', startsAt });
    expect(created.status).toBe(201);
    const sr = await t.db('service_rooms').where({ service_id: created.body.service.id });
    expect(sr.map((r) => r.volunteers)).toEqual([0]);
    const added = await t
      .api()
      .post('/api/rooms')
      .set(bearer(site.tokens.admin))
      .send({ name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, defaultCapacity: 16, ratio: 8 });
    expect(added.status).toBe(201);
    const rows = await t.db('service_rooms').where({ room_id: added.body.room.id });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.volunteers === 0)).toBe(true);
  });

  test('warn (the default): kiosks admit up to capacity with nobody checked in; staff see "over ratio"', async () => {
    const site = await buildSite(t.db, { rooms: [{ ...TODDLERS[0]!, capacity: 4 }] });
    const settings = await t.api().get('/api/site/settings').set(bearer(site.tokens.admin));
    expect(settings.body.settings).toEqual(expect.objectContaining({ ratioEnforcement: 'warn', twoAdultRule: null, schoolCutoff: '09-01' }));
    expect(settings.body.settings.enforceRatios).toBeUndefined();
    const fams = await Promise.all(Array.from({ length: 5 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    const results = [];
    for (const f of fams) results.push((await checkIn(site, f.householdId, f.childIds)).body);
    expect(results.map((r) => r.checkins.length)).toEqual([1, 1, 1, 1, 0]);
    expect(results[4].refused[0].reason).toBe('room_full');
    expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 0, limit: 4, headcount: 4, status: 'full' }));
    // 2 of 4 in, no adult: over ratio, still admitting
    const two = (await t.db('checkins').where({ service_id: site.serviceId }).orderBy('id').limit(2)).map((c) => c.id);
    await t.db('checkins').whereIn('id', two).update({ status: 'checked_out', checked_out_at: t.db.fn.now() });
    await patchRoom(site, { capacity: 5 });
    expect(await room(site)).toEqual(expect.objectContaining({ headcount: 2, limit: 5, status: 'over_ratio' }));
    // off: the ratio is shown only
    await t.api().patch('/api/site/settings').set(bearer(site.tokens.admin)).send({ ratioEnforcement: 'off' });
    expect((await room(site)).status).toBe('open');
  });

  test('enforce with the two-adult rule: refused "waiting_for_volunteers" with an alert naming the room; one adult is not enough; the second admits and clears it', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, settings: { ratioEnforcement: 'enforce' } });
    const a = await clearedVolunteer(site, 'Ada');
    const b = await clearedVolunteer(site, 'Ben');
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zed', months: 24 }]);
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const raised = nextEvent<any>(staff, 'alert.raised');
    const refused = await checkIn(site, fam.householdId, fam.childIds);
    expect(refused.status).toBe(201);
    expect(refused.body.checkins).toEqual([]);
    expect(refused.body.refused).toEqual([expect.objectContaining({ childId: fam.childIds[0], reason: 'waiting_for_volunteers', firstName: 'Zed' })]);
    expect(await raised).toEqual(
      expect.objectContaining({
        kind: 'waiting_for_volunteers',
        ageGroup: 'Toddlers',
        roomIds: [site.rooms.Toddlers],
        message: expect.stringMatching(/^Toddlers is waiting for volunteers/),
      }),
    );
    expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 0, limit: 0 }));

    expect((await serve(site, a.token)).status).toBe(201);
    expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 1, limit: 0 }));
    expect((await checkIn(site, fam.householdId, fam.childIds)).body.refused[0].reason).toBe('waiting_for_volunteers');
    expect((await alerts(site)).filter((x) => x.kind === 'waiting_for_volunteers' && !x.clearedAt)).toHaveLength(1);

    const cleared = nextEvent<any>(staff, 'alert.cleared');
    expect((await serve(site, b.token)).status).toBe(201);
    expect(await cleared).toEqual(expect.objectContaining({ kind: 'waiting_for_volunteers', ageGroup: 'Toddlers' }));
    staff.close();
    expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 2, limit: 6 }));
    const admitted = await checkIn(site, fam.householdId, fam.childIds);
    expect(admitted.body.checkins).toHaveLength(1);
  });

  test('enforce without the two-adult rule: limit = min(capacity, present × ratio)', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, settings: { ratioEnforcement: 'enforce', twoAdultRule: false } });
    const a = await clearedVolunteer(site, 'Cleo');
    await serve(site, a.token);
    const fams = await Promise.all(Array.from({ length: 4 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
    const out = [];
    for (const f of fams) out.push((await checkIn(site, f.householdId, f.childIds)).body);
    expect(out.map((r) => r.checkins.length)).toEqual([1, 1, 1, 0]);
    expect(out[3].refused[0].reason).toBe('waiting_for_volunteers');
    expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 1, limit: 3, headcount: 3 }));
  });

  test('the organisation turns enforce on for every campus that has not chosen; a campus override wins; a bad value is a 400 naming the field', async () => {
    const c1 = await buildSite(t.db, { rooms: TODDLERS });
    const c2 = await buildSite(t.db, { rooms: TODDLERS, organizationId: c1.organizationId, settings: { ratioEnforcement: 'warn' } });
    const org = await t
      .api()
      .patch('/api/org/settings')
      .set(bearer(await orgAdmin(c1)))
      .send({ ratioEnforcement: 'enforce' });
    expect(org.status).toBe(200);
    expect(await room(c1)).toEqual(expect.objectContaining({ limit: 0 }));
    expect(await room(c2)).toEqual(expect.objectContaining({ limit: 10 }));
    for (const [body, field] of [
      [{ ratioEnforcement: 'strict' }, 'ratioEnforcement'],
      [{ ratioEnforcement: true }, 'ratioEnforcement'],
      [{ twoAdultRule: 'yes' }, 'twoAdultRule'],
      [{ schoolCutoff: '09-31' }, 'schoolCutoff'],
      [{ enforceRatios: true }, undefined],
    ] as const) {
      const r = await t.api().patch('/api/site/settings').set(bearer(c1.tokens.admin)).send(body);
      expect(r.status).toBe(400);
      if (field) expect(r.body.error.field).toBe(field);
    }
  });
});

describe('staff corrections of the volunteers present', () => {
  test('negative, non-integer, or without a reason: a 400 naming the field, nothing stored', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    for (const [body, field] of [
      [{ volunteers: -1, reason: 'counted' }, 'volunteers'],
      [{ volunteers: 1.5, reason: 'counted' }, 'volunteers'],
      [{ volunteers: '2', reason: 'counted' }, 'volunteers'],
      [{ volunteers: 2 }, 'reason'],
      [{ volunteers: 2, reason: ' ' }, 'reason'],
    ] as const) {
      const r = await patchRoom(site, body);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe(field);
    }
    expect((await room(site)).volunteers).toBe(0);
    expect(await t.db('volunteer_corrections').where({ service_id: site.serviceId })).toEqual([]);
  });

  test('kept with who, when and why; the card shows one number; it ends with the service', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS, settings: { ratioEnforcement: 'enforce', twoAdultRule: false } });
    const a = await clearedVolunteer(site, 'Dee');
    await serve(site, a.token);
    const r = await patchRoom(site, { volunteers: 2, reason: 'Eli is serving without a phone' });
    expect(r.status).toBe(200);
    expect(r.body.room).toEqual(expect.objectContaining({ volunteers: 2, limit: 6 }));
    const listed = await t.api().get(`/api/services/${site.serviceId}/volunteers`).set(bearer(site.tokens.staff));
    expect(listed.body.corrections).toEqual([
      expect.objectContaining({ roomId: site.rooms.Toddlers, present: 2, before: 1, checkedIn: 1, reason: 'Eli is serving without a phone', by: 'Test staff' }),
    ]);
    expect(Date.parse(listed.body.corrections[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await t.db('audit_log').where({ entity_id: site.rooms.Toddlers, action: 'room.volunteers_corrected' }).first();
    expect(audit.actor_id).toBe(site.userIds.staff);
    expect(audit.details.patch).toEqual(expect.objectContaining({ volunteers: 2, reason: 'Eli is serving without a phone' }));
    // volunteers see no one's corrections
    expect((await t.api().get(`/api/services/${site.serviceId}/volunteers`).set(bearer(a.token))).body.corrections).toEqual([]);
    // the next service starts with none: no correction, no volunteers
    const next = await t
      .api()
      .post('/api/services')
      .set(bearer(site.tokens.admin))
      .send({ name: 'Later', startsAt: new Date(Date.now() + 4 * 3600_000).toISOString() });
    expect((await t.db('service_rooms').where({ service_id: next.body.service.id }).first()).volunteers).toBe(0);
    expect((await t.api().get(`/api/services/${next.body.service.id}/volunteers`).set(bearer(site.tokens.staff))).body.corrections).toEqual([]);
  });
});

test('concurrency: two volunteers checking in while children arrive — the room never admits past the limit in force', async () => {
  const site = await buildSite(t.db, {
    rooms: [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 20, ratio: 3, volunteers: 0 }],
    settings: { ratioEnforcement: 'enforce' },
  });
  const vols = await Promise.all([clearedVolunteer(site, 'Eve'), clearedVolunteer(site, 'Fay')]);
  const fams = await Promise.all(Array.from({ length: 30 }, () => buildHousehold(t.db, site.siteId, [{ months: 24 }])));
  const kidsFirst = fams.slice(0, 10).map((f) => checkIn(site, f.householdId, f.childIds));
  const volunteers = vols.map((v) => serve(site, v.token));
  const kidsAfter = fams.slice(10).map((f) => checkIn(site, f.householdId, f.childIds));
  const results = await Promise.all([...kidsFirst, ...volunteers, ...kidsAfter]);
  expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  const checkins = results.filter((r) => r.body.checkins).flatMap((r) => r.body.checkins);
  const refusals = results.filter((r) => r.body.refused).flatMap((r) => r.body.refused);
  expect(refusals.every((x: any) => x.reason === 'waiting_for_volunteers')).toBe(true);
  const now = await room(site);
  expect(now.volunteers).toBe(2);
  expect(now.headcount).toBe(checkins.length);
  // 2 adults × 3 = 6: never more, whatever the order the locks were taken in
  expect(now.headcount).toBeLessThanOrEqual(6);
  expect(checkins.length + refusals.length).toBe(30);
});

describe('only the chosen children', () => {
  test('joining an existing family answers with the children this registration named, not the rest of the family', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550142' });
    const today = dateInTimezone(new Date(), site.timezone);
    const body = {
      guardians: [{ firstName: 'Sam', lastName: 'Johnson', phone: '+13125550142', smsOptIn: true }],
      children: [{ firstName: 'Ava', lastName: 'Johnson', birthdate: birthdateForMonths(26, today), grade: null, allergies: '', medicalNotes: '' }],
      authorizedPickups: [],
      custodyAlerts: [],
      joinHouseholdId: fam.householdId,
    };
    const joined = await t.api().post('/api/households').set(bearer(site.tokens.staff)).send(body);
    expect(joined.status).toBe(200);
    const ava = await t.db('children').where({ household_id: fam.householdId, first_name: 'Ava' }).first();
    expect(joined.body.childIds).toEqual([ava.id]);
    expect(joined.body.household.children).toHaveLength(2);
    // the same join again adds nobody and still names only Ava
    const again = await t.api().post('/api/households').set(bearer(site.tokens.staff)).send(body);
    expect(again.body.childIds).toEqual([ava.id]);
    // a new family: every child it registered
    const fresh = await t
      .api()
      .post('/api/households')
      .set(bearer(site.tokens.staff))
      .send({ ...body, joinHouseholdId: undefined, guardians: [{ ...body.guardians[0], phone: '+13125550143' }] });
    expect(fresh.status).toBe(201);
    expect(fresh.body.childIds).toEqual(fresh.body.household.children.map((c: any) => c.id));
  });
});

describe('grades from birthdates, alerts true to the moment', () => {
  const SCHOOL: RoomSpec[] = [
    { name: 'Preschool', minAgeMonths: 36, maxAgeMonths: 71, capacity: 10, sortOrder: 1 },
    { name: 'K–2nd', minGrade: 0, maxGrade: 2, capacity: 10, sortOrder: 2 },
    { name: '3rd–5th', minGrade: 3, maxGrade: 5, capacity: 10, sortOrder: 3 },
    { name: 'Overflow', kind: 'overflow', minAgeMonths: 18, maxAgeMonths: 71, capacity: 10, open: false, sortOrder: 9 },
  ];

  test('a 6-year-old with a birthdate and no grade goes to the K–2nd room; the record shows the grade as inferred until staff set it', async () => {
    const site = await buildSite(t.db, { rooms: SCHOOL });
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Gus', months: 78 }]);
    const r = await checkIn(site, fam.householdId, fam.childIds);
    expect(r.body.refused).toEqual([]);
    expect(r.body.checkins).toEqual([expect.objectContaining({ roomId: site.rooms['K–2nd'] })]);
    const rec = await t.api().get(`/api/households/${fam.householdId}`).set(bearer(site.tokens.staff));
    const child = rec.body.household.children[0];
    expect(child.grade).toBeNull();
    expect([0, 1]).toContain(child.inferredGrade);
    const set = await t.api().patch(`/api/households/${fam.householdId}/children/${fam.childIds[0]}`).set(bearer(site.tokens.staff)).send({ grade: 1 });
    expect(set.status).toBe(200);
    const after = (await t.api().get(`/api/households/${fam.householdId}`).set(bearer(site.tokens.staff))).body.household.children[0];
    expect(after).toEqual(expect.objectContaining({ grade: 1, inferredGrade: null }));
  });

  test('the organisation’s school cut-off decides the inferred grade', async () => {
    const site = await buildSite(t.db, { rooms: SCHOOL });
    const admin = await orgAdmin(site);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Hal', months: 9 * 12 }]);
    const grades: number[] = [];
    for (const cutoff of ['12-31', '01-01']) {
      expect((await t.api().patch('/api/org/settings').set(bearer(admin)).send({ schoolCutoff: cutoff })).status).toBe(200);
      grades.push((await t.api().get(`/api/households/${fam.householdId}`).set(bearer(site.tokens.staff))).body.household.children[0].inferredGrade);
    }
    // the later the cut-off, the earlier a child starts school: one grade higher (unless born on Jan 1)
    const born = (await t.db('children').where({ id: fam.childIds[0] }).first()).birthdate;
    const bornDay = (born instanceof Date ? born.toISOString() : String(born)).slice(5, 10);
    expect(grades[0]! - grades[1]!).toBe(bornDay === '01-01' ? 0 : 1);
  });

  test('a child no room takes: the alert offers only an overflow room that takes them, never one for other ages', async () => {
    const site = await buildSite(t.db, { rooms: SCHOOL });
    // 14 years old: past 5th grade (no room); the overflow room is for 18–71 months
    const teen = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ike', months: 14 * 12 + 3 }]);
    const r = await checkIn(site, teen.householdId, teen.childIds);
    expect(r.body.refused[0].reason).toBe('no_room_for_age');
    const alert = (await alerts(site)).find((a) => a.kind === 'room_full');
    expect(alert.roomIds).toEqual([]);

    const other = await buildSite(t.db, { rooms: [...SCHOOL.slice(0, 3), { name: 'Gym', kind: 'overflow', capacity: 30, open: false, sortOrder: 9 }] });
    const teen2 = await buildHousehold(t.db, other.siteId, [{ months: 14 * 12 + 3 }]);
    await checkIn(other, teen2.householdId, teen2.childIds);
    expect((await alerts(other)).find((a) => a.kind === 'room_full').roomIds).toEqual([other.rooms.Gym]);
  });

  test('a "full in ~N min" forecast clears when check-in closes; a standing "is full" alert does not', async () => {
    const site = await buildSite(t.db, { rooms: TODDLERS });
    const [forecast] = await t
      .db('alerts')
      .insert({
        site_id: site.siteId,
        service_id: site.serviceId,
        kind: 'open_room',
        age_group: 'Toddlers',
        room_ids: [site.rooms.Toddlers],
        message: 'Open a new Toddlers room — full in ~7 min at the current rate',
        projected_minutes: 7,
      })
      .returning('id');
    const [full] = await t
      .db('alerts')
      .insert({
        site_id: site.siteId,
        service_id: site.serviceId,
        kind: 'room_full',
        age_group: 'Toddlers',
        room_ids: [],
        message: 'full',
        projected_minutes: 0,
      })
      .returning('id');
    // still open: nothing cleared
    await t.ctx.tx((tx) => clearForecastsOfClosedServices(tx));
    expect((await t.db('alerts').where({ id: forecast.id }).first()).cleared_at).toBeNull();
    await t
      .db('services')
      .where({ id: site.serviceId })
      .update({ checkin_closes_at: new Date(Date.now() - 1000) });
    const staff = t.socket(site.tokens.staff);
    await connected(staff);
    const cleared = nextEvent<any>(staff, 'alert.cleared');
    await t.ctx.tx((tx) => clearForecastsOfClosedServices(tx));
    expect(await cleared).toEqual(expect.objectContaining({ id: forecast.id, kind: 'open_room' }));
    staff.close();
    expect((await t.db('alerts').where({ id: full.id }).first()).cleared_at).toBeNull();
  });
});
