/**
 * Volunteers in the room (DESIGN §13): check-in and check-out drive the room's volunteer count
 * and ratio limit, only cleared adults serve, guardrails on the staff controls, roll call and
 * headcounts, and medical notes for the volunteers of the child's room.
 */
import { buildHousehold, buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, connected, nextEvent, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const TODDLERS = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 0 }];
/** ratios that bind (DESIGN §15), without the two-adult rule: these tests are about the ratio itself */
const ENFORCE = { ratioEnforcement: 'enforce', twoAdultRule: false };
const inYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
const clear = (site: BuiltSite, userId: string, expiresOn = inYear(), status = 'cleared') =>
  t.api().put(`/api/people/${userId}/background-check`).set(bearer(site.tokens.admin)).send({ status, expiresOn });
const serve = (site: BuiltSite, roomId: string, token: string, userId?: string) =>
  t
    .api()
    .post(`/api/services/${site.serviceId}/rooms/${roomId}/volunteers`)
    .set(bearer(token))
    .send(userId ? { userId } : {});
const leave = (shiftId: string, token: string) => t.api().post(`/api/volunteer-shifts/${shiftId}/checkout`).set(bearer(token));
const room = async (site: BuiltSite, name = 'Toddlers') =>
  ((await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff))).body.rooms as any[]).find((r) => r.name === name);
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
const alerts = async (site: BuiltSite) =>
  (await t.api().get('/api/alerts').query({ serviceId: site.serviceId }).set(bearer(site.tokens.staff))).body.alerts as any[];
async function extraVolunteer(site: BuiltSite, name: string) {
  const [u] = await t
    .db('users')
    .insert({ site_id: site.siteId, email: `${name.toLowerCase()}-${key()}@test.church`, name, role: 'volunteer', password_hash: 'x' })
    .returning('id');
  return { id: u.id as string, token: await sessionFor(t.db, u.id) };
}

test('a volunteer checks in to a room (the count and limit follow), gets a name tag without a code, checks out; the report keeps who served where and when', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS, settings: ENFORCE });
  expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 0, limit: 0 }));
  expect((await clear(site, site.userIds.volunteer)).body.person.backgroundCheck).toEqual(expect.objectContaining({ status: 'cleared', current: true }));
  // staff check the volunteer in
  const r = await serve(site, site.rooms.Toddlers!, site.tokens.staff, site.userIds.volunteer);
  expect(r.status).toBe(201);
  expect(r.body.volunteers).toBe(1);
  expect(r.body.shift).toEqual(expect.objectContaining({ userId: site.userIds.volunteer, roomName: 'Toddlers', name: 'Test volunteer', checkedOutAt: null }));
  expect(r.body.label).toEqual(expect.objectContaining({ name: 'Test volunteer', roomName: 'Toddlers', serviceName: 'Test Service' }));
  expect(r.body.label.zpl).toMatch(/^\^XA/);
  expect(r.body.label.zpl).toContain('^FDTest volunteer^FS');
  expect(r.body.label.zpl).toContain('^FDToddlers^FS');
  expect(r.body.label.zpl).toContain('VOLUNTEER');
  expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 1, limit: 5 }));
  // twice in the same room is refused; nobody but staff checks someone else in
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.volunteer)).body.error.code).toBe('already_serving');
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.volunteer, site.userIds.staff)).status).toBe(403);
  const listed = await t.api().get(`/api/services/${site.serviceId}/volunteers`).set(bearer(site.tokens.volunteer));
  expect(listed.body.mine.id).toBe(r.body.shift.id);
  expect(listed.body.candidates.map((c: any) => c.userId)).toEqual([site.userIds.volunteer]);
  const staffList = await t.api().get(`/api/services/${site.serviceId}/volunteers`).set(bearer(site.tokens.staff));
  expect(staffList.body.candidates.map((c: any) => c.userId).sort()).toEqual(Object.values(site.userIds).sort());

  const out = await leave(r.body.shift.id, site.tokens.volunteer);
  expect(out.status).toBe(200);
  expect(out.body.volunteers).toBe(0);
  expect(out.body.shift.checkedOutAt).not.toBeNull();
  expect((await leave(r.body.shift.id, site.tokens.volunteer)).body.error.code).toBe('already_checked_out');
  expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 0, limit: 0 }));
  const audit = await t.db('audit_log').where({ entity_id: site.rooms.Toddlers }).whereIn('action', ['volunteer.checkin', 'volunteer.checkout']).orderBy('id');
  expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
    ['volunteer.checkin', site.userIds.staff],
    ['volunteer.checkout', site.userIds.volunteer],
  ]);

  const today = out.body.shift.checkedInAt.slice(0, 10);
  const from = new Date(Date.parse(today) - 2 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.parse(today) + 2 * 86_400_000).toISOString().slice(0, 10);
  const report = await t.api().get('/api/reports/volunteers').query({ from, to }).set(bearer(site.tokens.staff));
  expect(report.status).toBe(200);
  expect(report.body.shifts).toEqual([expect.objectContaining({ name: 'Test volunteer', roomName: 'Toddlers', serviceName: 'Test Service', minutes: 0 })]);
  expect((await t.api().get('/api/reports/volunteers').query({ from, to }).set(bearer(site.tokens.volunteer))).status).toBe(403);
  // another campus's report does not show it
  const other = await buildSite(t.db);
  expect((await t.api().get('/api/reports/volunteers').query({ from, to }).set(bearer(other.tokens.staff))).body.shifts).toEqual([]);
});

test('checking in to another room of the service moves the volunteer: one room loses, the other gains', async () => {
  const site = await buildSite(t.db, { rooms: [...TODDLERS, { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: 3, volunteers: 0 }] });
  await clear(site, site.userIds.volunteer);
  await serve(site, site.rooms.Toddlers!, site.tokens.volunteer);
  const moved = await serve(site, site.rooms.Nursery!, site.tokens.volunteer);
  expect(moved.status).toBe(201);
  expect((await room(site, 'Toddlers')).volunteers).toBe(0);
  expect((await room(site, 'Nursery')).volunteers).toBe(1);
  const shifts = await t.db('volunteer_shifts').where({ service_id: site.serviceId }).orderBy('checked_in_at');
  expect(shifts.map((s) => [s.room_id, s.checked_out_at != null])).toEqual([
    [site.rooms.Toddlers, true],
    [site.rooms.Nursery, false],
  ]);
});

test('only cleared adults serve: no check, an expired or pending check is refused (audited); the organisation can turn the rule off; admins see who expires within 30 days', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS });
  const none = await serve(site, site.rooms.Toddlers!, site.tokens.volunteer);
  expect(none.status).toBe(409);
  expect(none.body.error.code).toBe('background_check_required');
  const refusal = await t.db('audit_log').where({ action: 'volunteer.checkin_refused', entity_id: site.userIds.volunteer }).first();
  expect(refusal.details).toEqual(expect.objectContaining({ reason: 'background_check_required', roomId: site.rooms.Toddlers }));
  await clear(site, site.userIds.volunteer, '2020-01-01');
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.volunteer)).body.error.code).toBe('background_check_required');
  expect((await clear(site, site.userIds.volunteer, null as any, 'cleared')).status).toBe(400);
  await clear(site, site.userIds.volunteer, inYear(), 'pending');
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.volunteer)).body.error.code).toBe('background_check_required');
  expect((await room(site)).volunteers).toBe(0);
  expect(await t.db('volunteer_shifts').where({ service_id: site.serviceId })).toEqual([]);

  // expiring within 30 days (and expired) — the staff member's runs out in 10 days, the admin's in 100
  const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await clear(site, site.userIds.staff, soon);
  await clear(site, site.userIds.admin, new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10));
  await clear(site, site.userIds.volunteer, '2020-01-01');
  const expiring = await t.api().get('/api/people').query({ expiring: 30 }).set(bearer(site.tokens.admin));
  expect(expiring.status).toBe(200);
  expect(expiring.body.people.map((p: any) => [p.id, p.backgroundCheck.expiresOn])).toEqual([
    [site.userIds.volunteer, '2020-01-01'],
    [site.userIds.staff, soon],
  ]);
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.staff)).status).toBe(201);

  await t
    .db('organizations')
    .where({ id: site.organizationId })
    .update({ settings: JSON.stringify({ requireBackgroundCheck: false }) });
  expect((await serve(site, site.rooms.Toddlers!, site.tokens.volunteer)).status).toBe(201);
  expect((await room(site)).volunteers).toBe(2);
});

test('a volunteer leaving a room that falls below ratio raises below_ratio live, stops check-ins beyond the ratio, and a new volunteer clears it', async () => {
  const site = await buildSite(t.db, { rooms: TODDLERS, settings: ENFORCE });
  const second = await extraVolunteer(site, 'Robin');
  await clear(site, site.userIds.volunteer);
  await clear(site, second.id);
  const a = (await serve(site, site.rooms.Toddlers!, site.tokens.volunteer)).body.shift;
  await serve(site, site.rooms.Toddlers!, second.token);
  for (let i = 0; i < 7; i++) {
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    expect((await checkIn(site, fam.householdId, fam.childIds)).body.checkins).toHaveLength(1);
  }
  expect(await room(site)).toEqual(expect.objectContaining({ headcount: 7, volunteers: 2, limit: 10, status: 'open' }));
  const staff = t.socket(site.tokens.staff);
  await connected(staff);
  const raised = nextEvent<any>(staff, 'alert.raised');
  const updated = nextEvent<any>(staff, 'room.updated');
  expect((await leave(a.id, site.tokens.volunteer)).body.volunteers).toBe(1);
  expect(await raised).toEqual(
    expect.objectContaining({ kind: 'below_ratio', roomIds: [site.rooms.Toddlers], message: 'Toddlers is below ratio: 7 children, 1 volunteer — needs 2' }),
  );
  expect((await updated).room).toEqual(expect.objectContaining({ headcount: 7, volunteers: 1, limit: 5, status: 'over_ratio' }));
  staff.close();
  // no new check-in beyond the ratio
  const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const refused = await checkIn(site, fam.householdId, fam.childIds);
  expect(refused.body.checkins).toEqual([]);
  expect(refused.body.refused[0].reason).toBe('waiting_for_volunteers');
  // a volunteer arrives: cleared
  await serve(site, site.rooms.Toddlers!, site.tokens.volunteer);
  const list = await alerts(site);
  expect(list.find((x) => x.kind === 'below_ratio').clearedAt).not.toBeNull();
  expect(await room(site)).toEqual(expect.objectContaining({ volunteers: 2, limit: 10, status: 'open' }));
});

test('guardrails: fewer volunteers than the children need, or closing a room with children, needs confirm: true (audited); over ratio is its own status', async () => {
  const site = await buildSite(t.db, { rooms: [{ ...TODDLERS[0]!, volunteers: 3 }], settings: ENFORCE });
  for (let i = 0; i < 11; i++) {
    const fam = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
    await checkIn(site, fam.householdId, fam.childIds);
  }
  // a staff correction of the volunteers present says why (DESIGN §15)
  const patch = (body: Record<string, unknown>) =>
    t
      .api()
      .patch(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}`)
      .set(bearer(site.tokens.staff))
      .send(body.volunteers != null ? { reason: 'counted in the room', ...body } : body);
  expect(await room(site)).toEqual(expect.objectContaining({ headcount: 10, limit: 10, status: 'full' }));
  const fine = await patch({ volunteers: 2 }); // 10 children, 2 × 5: still enough
  expect(fine.status).toBe(200);
  expect(fine.body.room.status).toBe('full');
  const short = await patch({ volunteers: 1 });
  expect(short.status).toBe(409);
  expect(short.body.error).toEqual(expect.objectContaining({ code: 'below_ratio_needs_confirmation', needed: 2, headcount: 10 }));
  expect((await room(site)).volunteers).toBe(2);
  const confirmed = await patch({ volunteers: 1, confirm: true });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.room).toEqual(expect.objectContaining({ volunteers: 1, limit: 5, headcount: 10, status: 'over_ratio' }));
  const audit = await t.db('audit_log').where({ entity_id: site.rooms.Toddlers, action: 'room.volunteers_corrected' }).orderBy('id', 'desc').first();
  expect(audit.details).toEqual(expect.objectContaining({ confirmed: true, headcount: 10, before: expect.objectContaining({ volunteers: 2 }) }));
  expect((await alerts(site)).filter((x) => x.kind === 'below_ratio' && !x.clearedAt)).toHaveLength(1);
  // confirm alone is not a change
  expect((await patch({ confirm: true })).status).toBe(400);

  const close = await patch({ open: false });
  expect(close.status).toBe(409);
  expect(close.body.error.code).toBe('room_has_children');
  expect((await room(site)).open).toBe(true);
  expect((await patch({ open: false, confirm: true })).body.room.status).toBe('closed');
  // an empty room closes without asking
  const empty = await buildSite(t.db, { rooms: TODDLERS });
  expect(
    (await t.api().patch(`/api/services/${empty.serviceId}/rooms/${empty.rooms.Toddlers}`).set(bearer(empty.tokens.staff)).send({ open: false })).status,
  ).toBe(200);
});

test('roll call, headcounts and medical notes: only for a volunteer checked in to the room (staff always)', async () => {
  const site = await buildSite(t.db, { rooms: [...TODDLERS, { name: 'Nursery', minAgeMonths: 0, maxAgeMonths: 17, capacity: 10, ratio: 3, volunteers: 1 }] });
  await t.db('service_rooms').where({ service_id: site.serviceId, room_id: site.rooms.Toddlers }).update({ volunteers: 1 });
  const tod = await buildHousehold(t.db, site.siteId, [{ months: 24, medicalNotes: 'Epipen in the blue bag' }]);
  const nur = await buildHousehold(t.db, site.siteId, [{ months: 6, medicalNotes: 'Reflux: keep upright' }]);
  const todIn = (await checkIn(site, tod.householdId, tod.childIds)).body.checkins[0];
  const nurIn = (await checkIn(site, nur.householdId, nur.childIds)).body.checkins[0];
  const roster = async (token: string, roomId?: string) =>
    (
      await t
        .api()
        .get(`/api/services/${site.serviceId}/roster`)
        .query(roomId ? { roomId } : {})
        .set(bearer(token))
    ).body;

  const note = (checkinId: string, token: string) => t.api().get(`/api/checkins/${checkinId}/medical-notes`).set(bearer(token));
  const opened = (checkinId: string) => t.db('audit_log').where({ action: 'child.medical_notes_read' }).whereRaw(`details->>'checkinId' = ?`, [checkinId]);
  let r = await roster(site.tokens.volunteer);
  expect(r.checkins.map((c: any) => [c.firstName, c.hasMedicalNotes, c.canReadMedicalNotes])).toEqual([
    ['Kid1', true, false],
    ['Kid1', true, false],
  ]);
  expect(JSON.stringify(r)).not.toMatch(/Epipen|Reflux/);
  expect((await note(todIn.id, site.tokens.volunteer)).status).toBe(403);
  // the refusal is on record too
  expect(await t.db('audit_log').where({ action: 'child.medical_notes_refused', entity_id: tod.childIds[0] })).toHaveLength(1);
  expect((await t.api().put(`/api/checkins/${todIn.id}/present`).set(bearer(site.tokens.volunteer)).send({ present: true })).status).toBe(403);
  expect(
    (await t.api().post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/headcounts`).set(bearer(site.tokens.volunteer)).send({ count: 1 }))
      .status,
  ).toBe(403);

  await clear(site, site.userIds.volunteer);
  await serve(site, site.rooms.Toddlers!, site.tokens.volunteer);
  r = await roster(site.tokens.volunteer);
  expect(r.servingRoomIds).toEqual([site.rooms.Toddlers]);
  const byRoom = Object.fromEntries(r.checkins.map((c: any) => [c.roomName, c]));
  expect(byRoom.Toddlers.canReadMedicalNotes).toBe(true);
  expect(byRoom.Nursery.canReadMedicalNotes).toBe(false);
  expect(JSON.stringify(r)).not.toMatch(/Epipen|Reflux/);
  // opening the note: their room's child only, and each opening is audited (who, when, which child)
  expect(await opened(todIn.id)).toEqual([]);
  const read = await note(todIn.id, site.tokens.volunteer);
  expect(read.status).toBe(200);
  expect(read.body.note.medicalNotes).toBe('Epipen in the blue bag');
  await note(todIn.id, site.tokens.volunteer);
  const audits = await opened(todIn.id);
  expect(audits).toHaveLength(2);
  expect(audits[0]).toEqual(expect.objectContaining({ actor_id: site.userIds.volunteer, entity: 'child', entity_id: tod.childIds[0] }));
  expect(Date.parse(audits[0].at)).toBeGreaterThan(Date.now() - 60_000);
  expect((await note(nurIn.id, site.tokens.volunteer)).status).toBe(403);
  expect(byRoom.Toddlers.securityCode).toBeUndefined();

  expect(byRoom.Toddlers.presentAt).toBeNull();
  const mark = await t.api().put(`/api/checkins/${todIn.id}/present`).set(bearer(site.tokens.volunteer)).send({ present: true });
  expect(mark.status).toBe(200);
  expect((await t.api().put(`/api/checkins/${nurIn.id}/present`).set(bearer(site.tokens.volunteer)).send({ present: true })).status).toBe(403);
  const hc = await t
    .api()
    .post(`/api/services/${site.serviceId}/rooms/${site.rooms.Toddlers}/headcounts`)
    .set(bearer(site.tokens.volunteer))
    .send({ count: 2 });
  expect(hc.status).toBe(201);
  expect(hc.body.headcount).toEqual(expect.objectContaining({ count: 2, systemCount: 1, recordedBy: 'Test volunteer' }));
  r = await roster(site.tokens.volunteer, site.rooms.Toddlers);
  expect(r.checkins[0].presentAt).not.toBeNull();
  expect(r.headcount).toEqual(expect.objectContaining({ count: 2, systemCount: 1 }));
  // not yet arrived again
  await t.api().put(`/api/checkins/${todIn.id}/present`).set(bearer(site.tokens.staff)).send({ present: false });
  expect((await roster(site.tokens.volunteer, site.rooms.Toddlers)).checkins[0].presentAt).toBeNull();
  // after leaving the room, the notes go back to a flag
  const mine = (await t.api().get(`/api/services/${site.serviceId}/volunteers`).set(bearer(site.tokens.volunteer))).body.mine;
  await leave(mine.id, site.tokens.volunteer);
  expect((await roster(site.tokens.volunteer, site.rooms.Toddlers)).checkins[0].canReadMedicalNotes).toBe(false);
  expect((await note(todIn.id, site.tokens.volunteer)).status).toBe(403);
  expect((await note(nurIn.id, site.tokens.staff)).body.note.medicalNotes).toBe('Reflux: keep upright');
  expect(await opened(nurIn.id)).toHaveLength(1);
});
