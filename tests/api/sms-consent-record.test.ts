/**
 * When and where a guardian agreed to texts (issue #31 point 3, DESIGN §19): set by the server
 * wherever the opt-in becomes true — 'kiosk' at a kiosk's registration or join, 'desk' for staff,
 * 'import' for the CSV import — never taken from a request body; cleared when staff withdraw it;
 * kept (with the opt-out time) when the number replies STOP; shown on the family record and in
 * the family's export.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startFakeTwilio, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
  t = await startTestApp({ env: fake.env() });
});
afterAll(async () => {
  await t.stop();
  await fake.close();
});

let n = 0;
const phone = () => `312555${String(3000 + (Date.now() % 5000) + n++).slice(-4)}`;
const e164 = (p: string) => `+1${p}`;
const dbNow = async (): Promise<number> => new Date((await t.db.raw('SELECT now() AS now')).rows[0].now).getTime();
const consentOf = (id: string) => t.db('guardians').where({ id }).first('sms_opt_in', 'sms_consent_at', 'sms_consent_source', 'sms_opted_out_at');
const guardianByPhone = (householdId: string, p: string) =>
  t
    .db('guardians')
    .where({ household_id: householdId, phone: e164(p) })
    .first();

function register(site: BuiltSite, token: string, g: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return t
    .api()
    .post('/api/households')
    .set(bearer(token))
    .send({
      guardians: [{ firstName: 'Pat', lastName: `Consent${n}`, ...g }],
      children: [{ firstName: `Kid${n}`, lastName: `Consent${n}`, birthdate: '2023-03-04' }],
      confirmNew: true,
      ...extra,
    });
}
const family = async (site: BuiltSite, id: string) => {
  const r = await t.api().get(`/api/households/${id}`).set(bearer(site.tokens.staff));
  expect(r.status).toBe(200);
  return r.body.household;
};

test('kiosk registration: consent stores source kiosk and the time; no consent stores none and queues no text', async () => {
  const site = await buildSite(t.db);
  const before = await dbNow();
  const yes = phone();
  const r = await register(site, site.tokens.kiosk, { phone: yes, smsOptIn: true });
  expect(r.status).toBe(201);
  const g = await guardianByPhone(r.body.household.id, yes);
  expect(g.sms_consent_source).toBe('kiosk');
  expect(new Date(g.sms_consent_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  expect(new Date(g.sms_consent_at).getTime()).toBeLessThanOrEqual((await dbNow()) + 1000);
  // shown on the family record, as an ISO instant and its source
  const shown = (await family(site, r.body.household.id)).guardians[0];
  expect(shown.smsConsent).toEqual({ at: new Date(g.sms_consent_at).toISOString(), source: 'kiosk' });

  const no = phone();
  const r2 = await register(site, site.tokens.kiosk, { phone: no, smsOptIn: false });
  expect(r2.status).toBe(201);
  const id = r2.body.household.id as string;
  const g2 = await guardianByPhone(id, no);
  expect(g2).toMatchObject({ sms_opt_in: false, sms_consent_at: null, sms_consent_source: null });
  expect((await family(site, id)).guardians[0].smsConsent).toBeNull();
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: id, childIds: [r2.body.household.children[0].id], idempotencyKey: key() });
  expect(ci.status).toBe(201);
  expect(await t.db('notifications').where({ guardian_id: g2.id })).toHaveLength(0);
});

test('the source and time come from the server, never from the body', async () => {
  const site = await buildSite(t.db);
  const smuggled = { smsConsentSource: 'legacy', smsConsentAt: '2001-01-01T00:00:00Z', sms_consent_source: 'api', sms_consent_at: '2001-01-01T00:00:00Z' };
  // a kiosk's body: unknown fields are dropped; what is stored is the kiosk's own
  const p = phone();
  const r = await register(site, site.tokens.kiosk, { phone: p, smsOptIn: true, ...smuggled }, { smsConsentSource: 'import' });
  expect(r.status).toBe(201);
  const g = await guardianByPhone(r.body.household.id, p);
  expect(g.sms_consent_source).toBe('kiosk');
  expect(new Date(g.sms_consent_at).getFullYear()).toBeGreaterThan(2001);
  // …and without consent, no field of the body gives one
  const p2 = phone();
  const r2 = await register(site, site.tokens.kiosk, { phone: p2, smsOptIn: false, ...smuggled });
  expect(r2.status).toBe(201);
  expect(await guardianByPhone(r2.body.household.id, p2)).toMatchObject({ sms_consent_at: null, sms_consent_source: null });
  // staff forms are strict: such a field is refused and nothing is written
  const id = r.body.household.id as string;
  const add = await t
    .api()
    .post(`/api/households/${id}/guardians`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: 'Sly', lastName: 'Body', phone: phone(), smsOptIn: true, smsConsentSource: 'legacy' });
  expect(add.status).toBe(400);
  expect(await t.db('guardians').where({ household_id: id })).toHaveLength(1);
  const edit = await t.api().patch(`/api/households/${id}/guardians/${g.id}`).set(bearer(site.tokens.staff)).send({ smsConsentSource: 'api' });
  expect(edit.status).toBe(400);
  expect((await consentOf(g.id)).sms_consent_source).toBe('kiosk');
});

test('staff: registration and a new guardian store desk; unticking clears it; an unchanged save keeps the first record; re-ticking records anew', async () => {
  const site = await buildSite(t.db);
  const p = phone();
  const r = await register(site, site.tokens.staff, { phone: p, smsOptIn: true });
  expect(r.status).toBe(201);
  const id = r.body.household.id as string;
  expect((await guardianByPhone(id, p)).sms_consent_source).toBe('desk');

  const add = await t
    .api()
    .post(`/api/households/${id}/guardians`)
    .set(bearer(site.tokens.staff))
    .send({ firstName: 'Lee', lastName: 'Desk', phone: phone(), smsOptIn: true });
  expect(add.status).toBe(201);
  const lee = (await family(site, id)).guardians.find((g: { firstName: string }) => g.firstName === 'Lee');
  expect(lee.smsConsent).toEqual({ at: expect.any(String), source: 'desk' });
  const first = await consentOf(lee.id);

  const patch = (body: Record<string, unknown>) => t.api().patch(`/api/households/${id}/guardians/${lee.id}`).set(bearer(site.tokens.staff)).send(body);
  // the form saved again with the box still ticked: the consent is the one given before
  expect((await patch({ firstName: 'Leigh', smsOptIn: true })).status).toBe(200);
  expect(await consentOf(lee.id)).toEqual(first);
  // withdrawn at the desk: no consent left
  expect((await patch({ smsOptIn: false })).status).toBe(200);
  expect(await consentOf(lee.id)).toMatchObject({ sms_opt_in: false, sms_consent_at: null, sms_consent_source: null });
  expect((await family(site, id)).guardians.find((g: { id: string }) => g.id === lee.id).smsConsent).toBeNull();
  // agreed again: a new record
  expect((await patch({ smsOptIn: true })).status).toBe(200);
  const again = await consentOf(lee.id);
  expect(again).toMatchObject({ sms_opt_in: true, sms_consent_source: 'desk' });
  expect(new Date(again.sms_consent_at).getTime()).toBeGreaterThan(new Date(first.sms_consent_at).getTime());
  // a new number, still ticked: the desk asked for this number, recorded now
  expect((await patch({ phone: phone(), smsOptIn: true })).status).toBe(200);
  expect(new Date((await consentOf(lee.id)).sms_consent_at).getTime()).toBeGreaterThan(new Date(again.sms_consent_at).getTime());
});

test('a kiosk join adds a guardian with consent recorded as kiosk', async () => {
  const site = await buildSite(t.db);
  const p = phone();
  const r = await register(site, site.tokens.kiosk, { phone: p, smsOptIn: true });
  const id = r.body.household.id as string;
  expect((await t.api().post(`/api/households/${id}/join-code`).set(bearer(site.tokens.kiosk)).send({ phone: p })).status).toBe(202);
  const sms = await t
    .db('notifications as n')
    .join('guardians as g', 'g.id', 'n.guardian_id')
    .where({ 'g.household_id': id, 'n.kind': 'join_code' })
    .first('n.body');
  const code = /(\d{6})/.exec(sms.body)![1]!;
  const newcomer = phone();
  const join = await t
    .api()
    .post('/api/households')
    .set(bearer(site.tokens.kiosk))
    .send({
      guardians: [
        { firstName: 'Pat', lastName: 'Joined', phone: p, smsOptIn: true },
        { firstName: 'Max', lastName: 'Joined', phone: newcomer, smsOptIn: true, smsConsentSource: 'desk' },
      ],
      children: [{ firstName: 'Newkid', lastName: 'Joined', birthdate: '2022-05-06' }],
      joinHouseholdId: id,
      joinCode: code,
    });
  expect(join.status).toBe(200);
  expect(await guardianByPhone(id, newcomer)).toMatchObject({ sms_opt_in: true, sms_consent_source: 'kiosk' });
});

test('STOP keeps the consent record and marks the opt-out time; START clears only the opt-out', async () => {
  const site = await buildSite(t.db);
  const p = phone();
  const r = await register(site, site.tokens.kiosk, { phone: p, smsOptIn: true });
  const id = r.body.household.id as string;
  const g = await guardianByPhone(id, p);
  const stop = await fake.sendInbound(`${t.baseUrl}/webhooks/twilio/inbound`, { from: e164(p), body: 'STOP' });
  expect(stop.status).toBe(200);
  const after = await consentOf(g.id);
  expect(after).toMatchObject({ sms_consent_source: 'kiosk', sms_consent_at: g.sms_consent_at });
  expect(after.sms_opted_out_at).not.toBeNull();
  const shown = (await family(site, id)).guardians[0];
  expect(shown).toMatchObject({ smsOptedOut: true, smsConsent: { source: 'kiosk' } });
  expect((await fake.sendInbound(`${t.baseUrl}/webhooks/twilio/inbound`, { from: e164(p), body: 'START' })).status).toBe(200);
  expect(await consentOf(g.id)).toMatchObject({ sms_opted_out_at: null, sms_consent_source: 'kiosk', sms_consent_at: g.sms_consent_at });
});

test('the family export holds both fields; an erasure clears them', async () => {
  const site = await buildSite(t.db);
  const p = phone();
  const r = await register(site, site.tokens.kiosk, { phone: p, smsOptIn: true });
  const id = r.body.household.id as string;
  const ex = await t.api().get(`/api/households/${id}/export`).set(bearer(site.tokens.admin));
  expect(ex.status).toBe(200);
  expect(ex.body.guardians).toHaveLength(1);
  expect(ex.body.guardians[0]).toMatchObject({ sms_opt_in: true, sms_consent_source: 'kiosk', sms_consent_at: expect.any(String) });
  const del = await t.api().delete(`/api/households/${id}`).set(bearer(site.tokens.admin)).send({ reason: 'asked by the family' });
  expect(del.status).toBeLessThan(300);
  expect(await t.db('guardians').where({ household_id: id }).first('sms_opt_in', 'sms_consent_at', 'sms_consent_source')).toEqual({
    sms_opt_in: false,
    sms_consent_at: null,
    sms_consent_source: null,
  });
});

test('the CSV import records its consent as import', async () => {
  const site = await buildSite(t.db);
  const csv = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'import', 'pco.csv'), 'utf8');
  const up = await t.api().post('/api/imports').set(bearer(site.tokens.admin)).set('Content-Type', 'text/csv').send(csv);
  expect(up.status).toBe(202);
  for (let i = 0; i < 200; i++) {
    const j = await t.api().get(`/api/imports/${up.body.import.jobId}`).set(bearer(site.tokens.admin));
    if (j.body.import.status !== 'running') break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const rows = await t
    .db('guardians as g')
    .join('households as h', 'h.id', 'g.household_id')
    .where('h.site_id', site.siteId)
    .select('g.sms_opt_in', 'g.sms_consent_source', 'g.sms_consent_at');
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toMatchObject({ sms_opt_in: true, sms_consent_source: 'import', sms_consent_at: expect.any(Date) });
});

test('a merge folding one person’s two rows keeps consent only when both agreed; its undo restores each record', async () => {
  const site = await buildSite(t.db);
  const shared = e164(phone());
  const keep = await buildHousehold(t.db, site.siteId, [{ months: 30 }], { phone: shared, lastName: 'Foldwell' });
  const dup = await buildHousehold(t.db, site.siteId, [{ months: 50 }], { phone: shared, lastName: 'Foldwell' });
  await t.db('guardians').where({ id: keep.guardianId }).update({ sms_consent_at: '2026-03-01T10:00:00Z', sms_consent_source: 'desk' });
  await t.db('guardians').where({ id: dup.guardianId }).update({ sms_opt_in: false });
  const before = await consentOf(keep.guardianId);
  const m = await t.api().post(`/api/households/${keep.householdId}/merge`).set(bearer(site.tokens.staff)).send({ fromHouseholdId: dup.householdId });
  expect(m.status).toBe(200);
  // one of the two rows had no consent: the person has none
  expect(await consentOf(keep.guardianId)).toMatchObject({ sms_opt_in: false, sms_consent_at: null, sms_consent_source: null });
  const u = await t.api().post(`/api/household-merges/${m.body.merge.id}/undo`).set(bearer(site.tokens.staff));
  expect(u.status).toBe(200);
  expect(await consentOf(keep.guardianId)).toEqual(before);
});
