/**
 * The organisation's settings are the live defaults of its campuses (DESIGN §10): a campus stores
 * only what it changed; a change of an organisation default reaches, at once, every campus that
 * did not change that key — its limits and alerts re-judged, its SMS wording — and no other
 * organisation's campus. Only an organisation admin changes the defaults.
 */
import { buildHousehold, buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let a1: BuiltSite; // no changes of its own
let a2: BuiltSite; // its own threshold and checkout wording
let b1: BuiltSite; // another organisation
let orgAdmin: string;
const checkinIds: Record<string, string> = {};

const ROOMS = [
  { name: 'T1', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10 },
  { name: 'T2', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, open: false },
];

/** A new family's toddler checked in at the site's kiosk (201), its answer. */
async function toddlerAtKiosk(site: BuiltSite) {
  const f = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const r = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: f.householdId, childIds: f.childIds, idempotencyKey: key() });
  expect(r.status).toBe(201);
  return r.body as { checkins: { id: string }[]; refused: { reason: string }[]; batchId: string };
}

async function fourToddlers(site: BuiltSite) {
  for (let i = 0; i < 4; i++) {
    checkinIds[site.siteId] = (await toddlerAtKiosk(site)).checkins[0]!.id;
  }
  await t
    .db('checkins')
    .where({ service_id: site.serviceId })
    .update({ checked_in_at: t.db.raw("now() - interval '30 minutes'") });
  await t.db('alerts').where({ service_id: site.serviceId }).del();
}
const openRoomAlerts = async (site: BuiltSite) => t.db('alerts').where({ service_id: site.serviceId, kind: 'open_room' }).whereNull('cleared_at');
const settingsOf = async (site: BuiltSite) => {
  const r = await t.api().get('/api/site/settings').set(bearer(site.tokens.admin));
  expect(r.status).toBe(200);
  return r.body;
};
const patchOrg = (token: string, body: object) => t.api().patch('/api/org/settings').set(bearer(token)).send(body);

beforeAll(async () => {
  t = await startTestApp();
  a1 = await buildSite(t.db, { rooms: ROOMS });
  a2 = await buildSite(t.db, { rooms: ROOMS, organizationId: a1.organizationId, settings: { softThresholdPct: 90 } });
  b1 = await buildSite(t.db, { rooms: ROOMS });
  for (const s of [a1, a2, b1]) await fourToddlers(s);
  const [u] = await t
    .db('users')
    .insert({ site_id: a1.siteId, email: `org-admin-${key()}@test.church`, name: 'Org Admin', role: 'admin', org_admin: true, password_hash: 'x' })
    .returning('id');
  orgAdmin = await sessionFor(t.db, u.id);
  const own = await t
    .api()
    .patch('/api/site/settings')
    .set(bearer(a2.tokens.admin))
    .send({ smsTemplates: { checkoutConfirmation: 'A2 picked up {{children}}' } });
  expect(own.status).toBe(200);
});
afterAll(async () => {
  await t.stop();
});

test('a campus admin cannot change the organisation defaults (403, nothing changed); an organisation admin can', async () => {
  const before = await t.db('organizations').where({ id: a1.organizationId }).first();
  const r = await patchOrg(a1.tokens.admin, { softThresholdPct: 30 });
  expect(r.status).toBe(403);
  expect(r.body.error.code).toBe('forbidden');
  expect(await t.db('organizations').where({ id: a1.organizationId }).first()).toEqual(before);
  expect(await openRoomAlerts(a1)).toEqual([]);
  // bad input names the field
  const bad = await patchOrg(orgAdmin, { softThresholdPct: 5 });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('softThresholdPct');
  const badWording = await patchOrg(orgAdmin, { smsTemplates: { page: 'come {{nope}}' } });
  expect(badWording.status).toBe(400);
  expect(badWording.body.error.message).toContain('smsTemplates.page');
});

test('an organisation default reaches at once every campus that did not change it — and no other organisation', async () => {
  const r = await patchOrg(orgAdmin, { softThresholdPct: 30, smsTemplates: { page: 'ORG: {{child}} to {{room}}. {{message}}' }, labelFooter: 'Org footer' });
  expect(r.status).toBe(200);
  expect(r.body.organization.defaults).toEqual(expect.objectContaining({ softThresholdPct: 30, labelFooter: 'Org footer' }));

  // a1 follows: effective settings, and the running service judged again (40 % ≥ 30 %: open a room)
  const s1 = await settingsOf(a1);
  expect(s1.settings).toEqual(expect.objectContaining({ softThresholdPct: 30, labelFooter: 'Org footer' }));
  expect(s1.organizationDefaults.softThresholdPct).toBe(30);
  expect(s1.overridden).toEqual([]);
  expect(await openRoomAlerts(a1)).toHaveLength(1);

  // a2 keeps its own threshold; wording merges message by message
  const s2 = await settingsOf(a2);
  expect(s2.settings.softThresholdPct).toBe(90);
  expect(s2.organizationDefaults.softThresholdPct).toBe(30);
  expect(s2.overridden.sort()).toEqual(['smsTemplates.checkoutConfirmation', 'softThresholdPct']);
  expect(s2.settings.smsTemplates.page).toBe('ORG: {{child}} to {{room}}. {{message}}');
  expect(s2.settings.smsTemplates.checkoutConfirmation).toBe('A2 picked up {{children}}');
  expect(s2.settings.smsTemplates.checkinReceipt).toMatch(/^\{\{site\}\}: \{\{children\}\} checked in/); // built-in
  expect(await openRoomAlerts(a2)).toEqual([]);

  // another organisation: untouched
  const sb = await settingsOf(b1);
  expect(sb.settings.softThresholdPct).toBe(80);
  expect(sb.settings.labelFooter).toBe('');
  expect(await openRoomAlerts(b1)).toEqual([]);

  // the SMS wording really used: a page at a1 is worded by the organisation
  const page = await t.api().post(`/api/checkins/${checkinIds[a1.siteId]}/page`).set(bearer(a1.tokens.staff)).send({ message: 'Now please' });
  expect(page.status).toBe(201);
  const sent = await t.db('notifications').where({ checkin_id: checkinIds[a1.siteId], kind: 'page' }).first();
  expect(sent.body).toMatch(/^ORG: Kid1 to T1\. Now please/);
  const pageB = await t.api().post(`/api/checkins/${checkinIds[b1.siteId]}/page`).set(bearer(b1.tokens.staff)).send({});
  expect(pageB.status).toBe(201);
  expect((await t.db('notifications').where({ checkin_id: checkinIds[b1.siteId], kind: 'page' }).first()).body).not.toContain('ORG:');
});

test("a campus's own value wins over the default; null puts the campus back on the organisation default", async () => {
  // the org changes the threshold again: a2 still keeps 90
  expect((await patchOrg(orgAdmin, { softThresholdPct: 35 })).status).toBe(200);
  expect((await settingsOf(a2)).settings.softThresholdPct).toBe(90);
  expect(await openRoomAlerts(a2)).toEqual([]);

  const reset = await t.api().patch('/api/site/settings').set(bearer(a2.tokens.admin)).send({ softThresholdPct: null });
  expect(reset.status).toBe(200);
  expect(reset.body.settings.softThresholdPct).toBe(35);
  expect(reset.body.overridden).toEqual(['smsTemplates.checkoutConfirmation']);
  expect(await openRoomAlerts(a2)).toHaveLength(1); // judged on the default at once
  const stored = await t.db('sites').where({ id: a2.siteId }).first();
  expect(stored.settings).toEqual({ smsTemplates: { checkoutConfirmation: 'A2 picked up {{children}}' } });

  // one wording back to the default; then the next default change reaches it
  const resetWording = await t
    .api()
    .patch('/api/site/settings')
    .set(bearer(a2.tokens.admin))
    .send({ smsTemplates: { checkoutConfirmation: null } });
  expect(resetWording.body.overridden).toEqual([]);
  expect((await t.db('sites').where({ id: a2.siteId }).first()).settings).toEqual({});
  expect((await patchOrg(orgAdmin, { smsTemplates: { checkoutConfirmation: 'ORG picked up {{children}}' } })).status).toBe(200);
  expect((await settingsOf(a2)).settings.smsTemplates.checkoutConfirmation).toBe('ORG picked up {{children}}');

  // the organisation resets its own key: built-in default everywhere that follows it
  expect((await patchOrg(orgAdmin, { softThresholdPct: null })).body.organization.defaults.softThresholdPct).toBe(80);
  expect((await settingsOf(a1)).settings.softThresholdPct).toBe(80);
  expect(await openRoomAlerts(a1)).toEqual([]); // 40 % < 80 %: cleared
  // and b1 never moved
  expect((await settingsOf(b1)).settings.softThresholdPct).toBe(80);
});

test('a campus from the template stores no overrides and follows the organisation; a copy takes the source campus’s own changes only', async () => {
  await t.api().patch('/api/site/settings').set(bearer(a2.tokens.admin)).send({ strategy: 'balance' });
  const fromTemplate = await t
    .api()
    .post('/api/org/campuses')
    .set(bearer(orgAdmin))
    .send({ name: `Template campus ${key()}` });
  expect(fromTemplate.status).toBe(201);
  expect((await t.db('sites').where({ id: fromTemplate.body.campus.id }).first()).settings).toEqual({});
  const copy = await t
    .api()
    .post('/api/org/campuses')
    .set(bearer(orgAdmin))
    .send({ name: `Copy campus ${key()}`, copyFromSiteId: a2.siteId });
  expect(copy.status).toBe(201);
  expect((await t.db('sites').where({ id: copy.body.campus.id }).first()).settings).toEqual({ strategy: 'balance' });
  expect((await patchOrg(orgAdmin, { checkinWindowMinutes: 45 })).status).toBe(200);
  const org = (await t.api().get('/api/org').set(bearer(orgAdmin))).body.organization;
  expect(org.defaults.checkinWindowMinutes).toBe(45);
  for (const id of [fromTemplate.body.campus.id, copy.body.campus.id]) {
    const row = await t
      .db('sites as s')
      .join('organizations as o', 'o.id', 's.organization_id')
      .where('s.id', id)
      .select('s.settings', 'o.settings as org')
      .first();
    expect(row.settings.checkinWindowMinutes).toBeUndefined();
    expect(row.org.checkinWindowMinutes).toBe(45);
  }
});

test('the check-in itself decides on the organisation default: ratio enforcement and the receipt wording', async () => {
  // two campuses of a new organisation with a 1-volunteer, 1:2 room (capacity 10): two toddlers fill its ratio
  const rooms = [{ name: 'R', ageGroup: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 2, volunteers: 1 }];
  const c1 = await buildSite(t.db, { rooms });
  const c2 = await buildSite(t.db, { rooms, organizationId: c1.organizationId, settings: { ratioEnforcement: 'warn' } });
  const [u] = await t
    .db('users')
    .insert({ site_id: c1.siteId, email: `org-admin-${key()}@test.church`, name: 'Org Admin 2', role: 'admin', org_admin: true, password_hash: 'x' })
    .returning('id');
  const admin = await sessionFor(t.db, u.id);
  const checkIn = toddlerAtKiosk;
  for (const s of [c1, c2]) for (let i = 0; i < 2; i++) expect((await checkIn(s)).checkins).toHaveLength(1);

  expect(
    (await patchOrg(admin, { ratioEnforcement: 'enforce', twoAdultRule: false, smsTemplates: { checkinReceipt: 'ORG2 {{children}} in. Code {{code}}' } }))
      .status,
  ).toBe(200);
  // c1 follows the organisation at once: the ratio binds (1 volunteer × 2)
  expect((await checkIn(c1)).refused[0]!.reason).toBe('waiting_for_volunteers');
  // c2 kept its own `warn`: admitted past the ratio (never past capacity), receipt in the organisation's words
  const third = await checkIn(c2);
  expect(third.checkins).toHaveLength(1);
  const receipt = await t.db('notifications').where({ batch_id: third.batchId, kind: 'checkin_receipt' }).first();
  expect(receipt.body).toMatch(/^ORG2 Kid1/);
});
