/**
 * Retention (issue #31, DESIGN §19): the organisation's settings (validated, organisation admins
 * change them) and the daily pass, driven here with the clock moved forward: old import files and
 * message bodies go, families with no check-in for N months are erased when that is on, each run
 * counted in the audit log, and two instances running it at once do the work once.
 */
import { runRetention } from '../../server/src/privacy/retention.service';
import { buildHousehold, buildSite, key, sessionFor, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const DAY = 86_400_000;
const later = (days: number) => new Date(Date.now() + days * DAY);

async function orgAdminOf(site: BuiltSite) {
  const [u] = await t
    .db('users')
    .insert({
      organization_id: site.organizationId,
      site_id: site.siteId,
      email: `oa-${key()}@privacy.test`,
      name: 'OA',
      role: 'admin',
      password_hash: 'x',
      org_admin: true,
    })
    .returning('id');
  return sessionFor(t.db, u.id);
}

test('settings: built-in defaults, positive whole numbers only (400 naming the field), organisation admins change them, audited', async () => {
  const site = await buildSite(t.db);
  const oa = await orgAdminOf(site);
  const get = await t.api().get('/api/org/retention').set(bearer(site.tokens.admin));
  expect(get.status).toBe(200);
  expect(get.body.retention).toEqual({ importFileDays: 30, messageBodyDays: 180, inactiveFamilyMonths: null });
  for (const [field, value] of [
    ['importFileDays', 0],
    ['messageBodyDays', 1.5],
    ['inactiveFamilyMonths', -3],
    ['importFileDays', '30'],
  ] as const) {
    const r = await t
      .api()
      .patch('/api/org/retention')
      .set(bearer(oa))
      .send({ [field]: value });
    expect({ field, status: r.status, named: r.body.error?.field }).toEqual({ field, status: 400, named: field });
  }
  expect((await t.api().patch('/api/org/retention').set(bearer(oa)).send({ keepForever: true })).body.error.field).toBe('keepForever');
  expect((await t.api().patch('/api/org/retention').set(bearer(site.tokens.admin)).send({ importFileDays: 7 })).status).toBe(403);
  expect((await t.api().patch('/api/org/retention').set(bearer(site.tokens.staff)).send({ importFileDays: 7 })).status).toBe(403);
  const ok = await t.api().patch('/api/org/retention').set(bearer(oa)).send({ importFileDays: 7, inactiveFamilyMonths: 24 });
  expect(ok.status).toBe(200);
  expect(ok.body.retention).toEqual({ importFileDays: 7, messageBodyDays: 180, inactiveFamilyMonths: 24 });
  const back = await t.api().patch('/api/org/retention').set(bearer(oa)).send({ inactiveFamilyMonths: null });
  expect(back.body.retention.inactiveFamilyMonths).toBeNull();
  expect(await t.db('audit_log').where({ action: 'org.retention_update', entity_id: site.organizationId })).toHaveLength(2);
});

async function importJob(site: BuiltSite, text: string) {
  const [j] = await t
    .db('import_jobs')
    .insert({
      site_id: site.siteId,
      user_id: site.userIds.admin,
      format: 'generic',
      dry_run: false,
      status: 'done',
      total: 1,
      processed: 1,
      summary: '{}',
      problems: '[]',
      source_text: text,
      options: '{}',
    })
    .returning('id');
  return j.id as string;
}

test('the pass, with the clock moved forward: import files after 30 days, message bodies after 180, counted in the audit log; a second run changes nothing', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [{ firstName: 'Rhea', months: 40 }]);
  const job = await importJob(site, 'first,last,phone\nRhea,Keep,3125550100\n');
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  await t.db('notifications').where({ site_id: site.siteId }).update({ status: 'delivered' }); // sent long ago
  const source = async () => (await t.db('import_jobs').where({ id: job }).first()).source_text;
  const bodies = async () => (await t.db('notifications').where({ site_id: site.siteId }).pluck('body')) as string[];
  expect((await bodies()).every((b) => b.length > 0)).toBe(true);

  await runRetention(t.ctx, later(29));
  expect(await source()).toContain('Rhea');
  await runRetention(t.ctx, later(31));
  expect(await source()).toBeNull();
  expect((await bodies()).every((b) => b.length > 0)).toBe(true);
  await runRetention(t.ctx, later(181));
  expect((await bodies()).every((b) => b === '')).toBe(true);
  const passes = await t.db('audit_log').where({ action: 'retention.pass', entity_id: site.organizationId }).orderBy('id');
  expect(passes.map((p) => [p.details.importFiles, p.details.messageBodies])).toEqual([
    [1, 0],
    [0, (await bodies()).length],
  ]);
  // the attendance and the family stay (inactive families are off by default)
  expect((await t.db('households').where({ id: fam.householdId }).first()).erased_at).toBeNull();
  await runRetention(t.ctx, later(3 * 365));
  expect((await t.db('households').where({ id: fam.householdId }).first()).erased_at).toBeNull();
  expect(await t.db('audit_log').where({ action: 'retention.pass', entity_id: site.organizationId })).toHaveLength(2);
});

test('families with no check-in for N months are erased when the organisation turns it on; a recent one stays; two instances at once erase once', async () => {
  const site = await buildSite(t.db);
  const oa = await orgAdminOf(site);
  const gone = await buildHousehold(t.db, site.siteId, [{ firstName: 'Silas', months: 40 }], { lastName: 'Longgone' });
  const coming = await buildHousehold(t.db, site.siteId, [{ firstName: 'Nell', months: 40 }], { lastName: 'Stillhere' });
  // `coming` checked in 2 months before the moved clock: add a check-in dated then
  const ci = await t
    .api()
    .post('/api/checkins')
    .set(bearer(site.tokens.kiosk))
    .send({ serviceId: site.serviceId, householdId: coming.householdId, childIds: coming.childIds, idempotencyKey: key() });
  expect(ci.status).toBe(201);
  await t
    .db('checkins')
    .where({ household_id: coming.householdId })
    .update({ status: 'checked_out', checked_out_at: later(300), checked_in_at: later(300) });
  await t
    .db('households')
    .whereIn('id', [gone.householdId, coming.householdId])
    .update({ created_at: new Date(Date.now() - 400 * DAY) });

  const now = later(365);
  await runRetention(t.ctx, now);
  expect((await t.db('households').where({ id: gone.householdId }).first()).erased_at).toBeNull(); // off by default
  expect((await t.api().patch('/api/org/retention').set(bearer(oa)).send({ inactiveFamilyMonths: 6 })).status).toBe(200);

  const [a, b] = await Promise.all([runRetention(t.ctx, now), runRetention(t.ctx, now)]);
  expect(a.families + b.families).toBe(1);
  const h = await t.db('households').where({ id: gone.householdId }).first();
  expect(h.erased_at).not.toBeNull();
  expect(h.name).not.toContain('Longgone');
  expect(await t.db('guardians').where({ household_id: gone.householdId }).pluck('last_name')).not.toContain('Longgone');
  expect((await t.db('households').where({ id: coming.householdId }).first()).erased_at).toBeNull();
  const erasures = await t.db('audit_log').where({ action: 'household.erase', entity_id: gone.householdId });
  expect(erasures).toHaveLength(1);
  expect(erasures[0].details.via).toBe('retention');
  expect(erasures[0].actor_kind).toBe('anonymous');
});
