/**
 * Care flags and who dropped off (DESIGN §16, issue #25.5–6): a severe allergy survives the
 * import and prints with its mark (ZPL captured on the local test printer); severity and care
 * needs show on rosters and at pickup; a room able to meet a care need is preferred; staff edit
 * them on the family; the check-in records which adult dropped the children off (a guardian of
 * that household only), shown on the roster and in the child's audit trail.
 */
import { buildHousehold, buildSite, givePrinter, key, type BuiltSite } from '../support/factories';
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

async function importCsv(site: BuiltSite, csv: string) {
  const r = await t.api().post('/api/imports').query({ format: 'generic' }).set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv);
  expect(r.status).toBe(202);
  for (let i = 0; i < 200; i++) {
    const j = await t.api().get(`/api/imports/${r.body.import.jobId}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') return j.body.import;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}
const checkIn = (site: BuiltSite, householdId: string, childIds: string[], extra: Record<string, unknown> = {}) =>
  t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key(), ...extra });

test('a life-threatening allergy and care needs survive the import, print with the mark, and show on the roster and at pickup', async () => {
  const site = await buildSite(t.db);
  await givePrinter(t.db, site.kioskId, printer.address);
  const born = (months: number) => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() - months);
    return d.toISOString().slice(0, 10);
  };
  const summary = await importCsv(
    site,
    [
      'household_id,household_name,person_id,role,first_name,last_name,mobile,birthdate,allergies,allergy_severity,care_needs',
      'H1,Okafor family,P1,adult,Ngozi,Okafor,+13125550161,,,,',
      `H1,Okafor family,P2,child,Ada,Okafor,,${born(24)},Peanuts,Life-threatening,needs a buddy; epinephrine in bag`,
      `H1,Okafor family,P3,child,Obi,Okafor,,${born(26)},Dust,mild,`,
      `H1,Okafor family,P4,child,Ife,Okafor,,${born(28)},Grass,whatever,`,
    ].join('\n'),
  );
  expect(summary.status).toBe('done');
  const kids = await t
    .db('children as c')
    .join('households as h', 'h.id', 'c.household_id')
    .where('h.site_id', site.siteId)
    .select('c.id', 'c.household_id', 'c.first_name', 'c.allergies', 'c.allergy_severity', 'c.care_needs')
    .orderBy('c.first_name');
  expect(kids.map((k) => [k.first_name, k.allergies, k.allergy_severity, k.care_needs])).toEqual([
    ['Ada', 'Peanuts', 'life-threatening', ['needs a buddy', 'epinephrine in bag']],
    ['Ife', 'Grass', null, []], // unknown severity: not recorded, not severe
    ['Obi', 'Dust', 'mild', []],
  ]);

  const r = await checkIn(
    site,
    kids[0].household_id,
    kids.map((k) => k.id),
  );
  expect(r.status).toBe(201);
  expect(r.body.checkins.find((c: { firstName: string }) => c.firstName === 'Ada').allergySeverity).toBe('life-threatening');
  const job = printer.nextJob();
  expect((await t.api().post('/api/print/labels').set(bearer(site.tokens.kiosk)).send({ batchId: r.body.batchId })).status).toBe(200);
  const labels = (await job).trim().split(/\n(?=\^XA)/);
  const label = (name: string) => labels.find((l) => l.includes(`^FD${name}^FS`))!;
  // the mark: "!! LIFE-THREATENING ALLERGY" and a white frame drawn inside the black allergy band
  expect(label('Ada')).toContain('^FD!! LIFE-THREATENING ALLERGY: Peanuts^FS');
  expect(label('Ada')).toContain('^GB740,80,4,W^FS');
  for (const mild of ['Obi', 'Ife']) {
    expect(label(mild)).toMatch(/\^FDALLERGY: (Dust|Grass)\^FS/);
    expect(label(mild)).not.toContain('!!');
    expect(label(mild)).not.toContain(',W^FS');
  }

  const roster = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.volunteer));
  expect(roster.status).toBe(200);
  const ada = roster.body.checkins.find((c: { firstName: string }) => c.firstName === 'Ada');
  expect(ada).toEqual(expect.objectContaining({ allergySeverity: 'life-threatening', careNeeds: ['needs a buddy', 'epinephrine in bag'] }));
  const v = await t.api().post('/api/pickups/verify').set(bearer(site.tokens.volunteer)).send({ securityCode: r.body.securityCode, serviceId: site.serviceId });
  expect(v.status).toBe(200);
  expect(v.body.checkins.find((c: { firstName: string }) => c.firstName === 'Ada')).toEqual(
    expect.objectContaining({ allergySeverity: 'life-threatening', careNeeds: ['needs a buddy', 'epinephrine in bag'] }),
  );
});

test('placement prefers a room able to meet the care need; without needs the first room in order as before', async () => {
  const rooms = [
    { name: 'Toddlers A', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 1 },
    { name: 'Toddlers B', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, sortOrder: 2 },
  ];
  const site = await buildSite(t.db, { rooms });
  const p = await t
    .api()
    .patch(`/api/rooms/${site.rooms['Toddlers B']}`)
    .set(bearer(site.tokens.admin))
    .send({ careNeeds: ['Epinephrine in bag', ' needs a buddy '] });
  expect(p.status).toBe(200);
  expect(p.body.room.careNeeds).toEqual(['Epinephrine in bag', 'needs a buddy']);
  const plain = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const needy = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const e = await t
    .api()
    .patch(`/api/households/${needy.householdId}/children/${needy.childIds[0]}`)
    .set(bearer(site.tokens.staff))
    .send({ careNeeds: ['epinephrine in bag'], allergySeverity: 'severe', allergies: 'Tree nuts' });
  expect(e.status).toBe(200);
  expect(e.body.household.children[0]).toEqual(
    expect.objectContaining({ allergies: 'Tree nuts', allergySeverity: 'severe', careNeeds: ['epinephrine in bag'] }),
  );
  expect((await checkIn(site, plain.householdId, plain.childIds)).body.checkins[0].roomName).toBe('Toddlers A');
  expect((await checkIn(site, needy.householdId, needy.childIds)).body.checkins[0].roomName).toBe('Toddlers B');
  // a severity that is not one of the three is refused naming the field
  const bad = await t
    .api()
    .patch(`/api/households/${needy.householdId}/children/${needy.childIds[0]}`)
    .set(bearer(site.tokens.staff))
    .send({ allergySeverity: 'deadly' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('allergySeverity');
});

test('who dropped off: a guardian of the family is recorded, on the roster and in the audit trail; any other id is a 400 naming the field', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 24 }], { lastName: 'Reyes' });
  const [sam] = await t.db('guardians').insert({ household_id: fam.householdId, first_name: 'Sam', last_name: 'Reyes', phone: '+13125550188' }).returning('id');
  const other = await buildHousehold(t.db, site.siteId);

  for (const wrong of [other.guardianId, fam.childIds[0], 'not-a-uuid']) {
    const r = await checkIn(site, fam.householdId, fam.childIds, { droppedOffBy: wrong });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('droppedOffBy');
  }
  expect(await t.db('checkins').where({ household_id: fam.householdId })).toEqual([]);

  const r = await checkIn(site, fam.householdId, fam.childIds, { droppedOffBy: sam.id });
  expect(r.status).toBe(201);
  expect(await t.db('checkin_requests').where({ id: r.body.requestId }).pluck('dropped_off_by')).toEqual([sam.id]);
  const roster = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.staff));
  expect(roster.body.checkins.find((c: { firstName: string }) => c.firstName === 'Mia').droppedOffBy).toBe('Sam Reyes');
  const trail = await t.api().get(`/api/children/${fam.childIds[0]}/audit`).set(bearer(site.tokens.staff));
  expect(trail.status).toBe(200);
  expect(trail.body.entries).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'checkin.dropped_off', details: expect.objectContaining({ guardianId: sam.id, name: 'Sam Reyes' }) }),
    ]),
  );
  // without it, nothing is recorded (older kiosks) and the roster says so
  const fam2 = await buildHousehold(t.db, site.siteId, [{ firstName: 'Zed', months: 24 }]);
  expect((await checkIn(site, fam2.householdId, fam2.childIds)).status).toBe(201);
  const roster2 = await t.api().get(`/api/services/${site.serviceId}/roster`).set(bearer(site.tokens.staff));
  expect(roster2.body.checkins.find((c: { firstName: string }) => c.firstName === 'Zed').droppedOffBy).toBeNull();
});
