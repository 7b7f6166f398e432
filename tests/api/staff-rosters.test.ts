import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function checkIn(site: BuiltSite, householdId: string, childIds: string[]) {
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { securityCode: string; checkins: { id: string; childId: string; roomId: string }[] };
}

describe('GET /api/services/:id/roster', () => {
  test("lists a room's children with flags, code and time; the note's text is never on it (staff open it, audited); volunteers get the flag", async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ada', months: 24, allergies: 'Peanuts', medicalNotes: 'Inhaler in bag' }]);
    const other = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ben', months: 48 }]);
    await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan', note: '' });
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    await checkIn(site, other.householdId, other.childIds);

    const staff = await t.api().get(`/api/services/${site.serviceId}/roster`).query({ roomId: site.rooms.Toddlers }).set(bearer(site.tokens.staff));
    expect(staff.status).toBe(200);
    expect(staff.body.checkins).toHaveLength(1);
    expect(staff.body.checkins[0]).toEqual(
      expect.objectContaining({
        id: ci.checkins[0]!.id,
        childId: fam.childIds[0],
        firstName: 'Ada',
        roomName: 'Toddlers',
        allergies: 'Peanuts',
        hasMedicalNotes: true,
        canReadMedicalNotes: true,
        hasCustodyAlert: true,
        securityCode: ci.securityCode,
        status: 'checked_in',
        ageMonths: 24,
        pages: [],
      }),
    );
    expect(Date.parse(staff.body.checkins[0].checkedInAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(staff.body)).not.toContain('Inhaler');
    const note = await t.api().get(`/api/checkins/${ci.checkins[0]!.id}/medical-notes`).set(bearer(site.tokens.staff));
    expect(note.body.note).toEqual({ checkinId: ci.checkins[0]!.id, childId: fam.childIds[0], firstName: 'Ada', medicalNotes: 'Inhaler in bag' });

    const vol = await t.api().get(`/api/services/${site.serviceId}/roster`).query({ roomId: site.rooms.Toddlers }).set(bearer(site.tokens.volunteer));
    expect(vol.status).toBe(200);
    expect(vol.body.checkins[0]).toEqual(
      expect.objectContaining({ firstName: 'Ada', allergies: 'Peanuts', hasMedicalNotes: true, canReadMedicalNotes: false }),
    );
    expect((await t.api().get(`/api/checkins/${ci.checkins[0]!.id}/medical-notes`).set(bearer(site.tokens.volunteer))).status).toBe(403);
    expect(JSON.stringify(vol.body)).not.toContain('Inhaler');

    // the whole service
    const all = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.volunteer));
    expect(all.body.checkins.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Ada', 'Ben']);
  });

  test('checked-out children appear only with status=all; the latest page shows its delivery status', async () => {
    const site = await buildSite(t.db);
    const fam = await buildHousehold(t.db, site.siteId, [
      { firstName: 'Ada', months: 24 },
      { firstName: 'Cy', months: 30 },
    ]);
    const ci = await checkIn(site, fam.householdId, fam.childIds);
    const [ada, cy] = ci.checkins;
    const out = await t
      .api()
      .post('/api/checkouts')
      .set(bearer(site.tokens.volunteer))
      .send({ checkinIds: [cy!.id], securityCode: ci.securityCode, pickupPersonId: fam.guardianId });
    expect(out.status).toBe(200);
    const old = new Date(Date.now() - 60_000);
    await t.db('notifications').insert([
      {
        site_id: site.siteId,
        guardian_id: fam.guardianId,
        checkin_id: ada!.id,
        to: fam.phone,
        kind: 'page',
        body: 'old',
        status: 'delivered',
        created_at: old,
        updated_at: old,
      },
      {
        site_id: site.siteId,
        guardian_id: fam.guardianId,
        checkin_id: ada!.id,
        to: fam.phone,
        kind: 'page',
        body: 'new',
        status: 'failed',
        error: 'invalid number',
      },
    ]);
    const now = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.volunteer));
    expect(now.body.checkins.map((c: { id: string }) => c.id)).toEqual([ada!.id]);
    expect(now.body.checkins[0].pages).toEqual([expect.objectContaining({ status: 'failed', error: 'invalid number' })]);
    const all = await t.api().get(`/api/services/${site.serviceId}/roster`).query({ status: 'all' }).set(bearer(site.tokens.volunteer));
    expect(all.body.checkins.find((c: { id: string }) => c.id === cy!.id)).toEqual(
      expect.objectContaining({ status: 'checked_out', pickedUpBy: expect.stringMatching(/^Pat Fam/) }),
    );
  });

  test('validation 400 naming the field', async () => {
    const site = await buildSite(t.db);
    const bad = [
      [`/api/services/nope/roster`, {}, 'id'],
      [`/api/services/${site.serviceId}/roster`, { roomId: 'x' }, 'roomId'],
      [`/api/services/${site.serviceId}/roster`, { status: 'gone' }, 'status'],
    ] as const;
    for (const [path, query, field] of bad) {
      const r = await t.api().get(path).query(query).set(bearer(site.tokens.volunteer));
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe(field);
    }
  });

  test("401 without a token, 403 for a kiosk, 404 for another site's service or a room not in the service", async () => {
    const a = await buildSite(t.db);
    const b = await buildSite(t.db);
    expect((await t.api().get(`/api/services/${a.serviceId}/roster`)).status).toBe(401);
    expect((await t.api().get(`/api/services/${a.serviceId}/roster`).set(bearer(a.tokens.kiosk))).status).toBe(403);
    expect((await t.api().get(`/api/services/${b.serviceId}/roster`).set(bearer(a.tokens.admin))).status).toBe(404);
    expect((await t.api().get(`/api/services/${a.serviceId}/roster`).query({ roomId: b.rooms.Toddlers }).set(bearer(a.tokens.admin))).status).toBe(404);
  });
});
