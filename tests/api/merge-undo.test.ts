/**
 * Merges you cannot get wrong (DESIGN §16, issue #25.7 and #26): the duplicate search shows
 * guardians with masked numbers and ranks the families that share a number or a guardian's name
 * first; the preview says when the two share neither; a merge moves every row (express codes,
 * pre-check-ins, links included) and can be undone once, within 24 hours, putting both families
 * back exactly — compared row by row, every column, every table that belongs to a household.
 */
import { randomBytes } from 'node:crypto';
import { HOUSEHOLD_TABLES } from '../../server/src/families/merge.repo';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const staff = (site: BuiltSite) => bearer(site.tokens.staff);

/** Two families with a row of every kind, sharing one guardian's number (which a merge folds into one guardian). */
async function twoFamiliesWithEverything() {
  const site = await buildSite(t.db);
  const keep = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Johnson', phone: '+13125550189' });
  const dup = await buildHousehold(
    t.db,
    site.siteId,
    [
      { firstName: 'Ava', months: 24 },
      { firstName: 'Leo', grade: 1 },
    ],
    { lastName: 'Johnson', phone: '+13125550189' },
  );
  const [alex] = await t
    .db('guardians')
    .insert({ household_id: dup.householdId, first_name: 'Alex', last_name: 'Johnson', phone: '+13125550187' })
    .returning('id');
  await t.db('guardians').where({ id: dup.guardianId }).update({ sms_opted_out_at: new Date() });
  await t.db('authorized_pickups').insert({ household_id: dup.householdId, name: 'Grandma Joy', relationship: 'grandmother' });
  await t.db('custody_alerts').insert({ household_id: dup.householdId, name: 'Jordan Doe', note: 'court order', child_id: dup.childIds[0] });
  for (const [entity, id, ext] of [
    ['household', dup.householdId, 'H-1'],
    ['guardian', dup.guardianId, 'P-1'],
    ['child', dup.childIds[0], 'P-2'],
  ] as const)
    await t.db('external_ids').insert({ site_id: site.siteId, source: 'pco', entity, external_id: ext, entity_id: id });
  // both families checked in today (two codes), each with its express key tag
  for (const fam of [keep, dup]) {
    const r = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds.slice(0, 1), idempotencyKey: key() });
    expect(r.status).toBe(201);
    expect((await t.api().post(`/api/households/${fam.householdId}/express-code`).set(staff(site))).status).toBe(201);
  }
  // the duplicate's first child was picked up by the guardian the merge folds
  await t.db('checkins').where({ household_id: dup.householdId }).update({
    status: 'checked_out',
    checked_out_at: new Date(),
    picked_up_kind: 'guardian',
    picked_up_person_id: dup.guardianId,
    picked_up_by: 'Pat Johnson',
  });
  const service = await t.db('services').where({ id: site.serviceId }).first();
  // both sent this week's pre-check-in link; both chose children for the same service (pending)
  for (const fam of [keep, dup]) {
    const linkId = crypto.randomUUID();
    await t.db('precheckin_links').insert({
      id: linkId,
      site_id: site.siteId,
      household_id: fam.householdId,
      token_hash: randomBytes(32).toString('hex'),
      reason: 'scheduled',
      send_date: service.service_date,
      expires_at: new Date(Date.now() + 86_400_000),
    });
    await t
      .db('precheckins')
      .insert({ site_id: site.siteId, household_id: fam.householdId, service_id: site.serviceId, link_id: linkId, child_ids: fam.childIds });
  }
  await t.db('household_join_codes').insert({
    site_id: site.siteId,
    household_id: dup.householdId,
    guardian_id: dup.guardianId,
    code_hash: randomBytes(32).toString('hex'),
    expires_at: new Date(Date.now() + 600_000),
  });
  await t.db('notifications').insert({
    site_id: site.siteId,
    guardian_id: dup.guardianId,
    to: dup.phone,
    kind: 'page',
    body: 'Please come to Toddlers',
    status: 'delivered',
  });
  return { site, keep, dup, alexId: alex.id as string };
}

/** Every row, every column (as PostgreSQL renders it), that belongs to either family or points at one of their people. */
async function snapshot(householdIds: string[]) {
  const out: Record<string, unknown[]> = {};
  const q = async (sql: string, b: Record<string, unknown>) => (await t.db.raw(sql, b)).rows.map((r: { row: unknown }) => r.row);
  out.households = await q('SELECT to_jsonb(x)::text AS row FROM households x WHERE id = ANY(:ids::uuid[]) ORDER BY id', { ids: householdIds });
  for (const table of HOUSEHOLD_TABLES)
    out[table] = await q(`SELECT to_jsonb(x)::text AS row FROM ${table} x WHERE household_id = ANY(:ids::uuid[]) ORDER BY id`, { ids: householdIds });
  const people = (out.guardians as string[]).map((r) => JSON.parse(r).id).concat((out.children as string[]).map((r) => JSON.parse(r).id));
  const batches = (out.checkin_batches as string[]).map((r) => JSON.parse(r).id);
  out.external_ids = await q('SELECT to_jsonb(x)::text AS row FROM external_ids x WHERE entity_id = ANY(:ids::uuid[]) ORDER BY id', {
    ids: [...householdIds, ...people],
  });
  out.notifications = await q(
    'SELECT to_jsonb(x)::text AS row FROM notifications x WHERE guardian_id = ANY(:ids::uuid[]) OR batch_id = ANY(:b::uuid[]) ORDER BY id',
    {
      ids: people,
      b: batches,
    },
  );
  out.checkin_requests = await q('SELECT to_jsonb(x)::text AS row FROM checkin_requests x WHERE batch_id = ANY(:b::uuid[]) ORDER BY id', { b: batches });
  out.pickup_passes = await q('SELECT to_jsonb(x)::text AS row FROM pickup_passes x WHERE batch_id = ANY(:b::uuid[]) ORDER BY id', { b: batches });
  out.room_day_children = await q('SELECT to_jsonb(x)::text AS row FROM room_day_children x WHERE child_id = ANY(:ids::uuid[]) ORDER BY child_id, room_id', {
    ids: people,
  });
  return out;
}

test('every table with a household_id is one the merge moves', async () => {
  const { rows } = await t.db.raw(
    "SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'household_id' AND table_name NOT IN ('household_merges') ORDER BY 1",
  );
  expect(rows.map((r: { table_name: string }) => r.table_name).sort()).toEqual([...HOUSEHOLD_TABLES].sort());
});

test('a merge moves the key tag, the pending pre-check-in and the links (nothing deleted); undo puts both families back exactly', async () => {
  const { site, keep, dup, alexId } = await twoFamiliesWithEverything();
  const before = await snapshot([keep.householdId, dup.householdId]);
  expect(before.household_express_codes).toHaveLength(2);
  expect(before.precheckins).toHaveLength(2);

  const r = await t.api().post(`/api/households/${keep.householdId}/merge`).set(staff(site)).send({ fromHouseholdId: dup.householdId });
  expect(r.status).toBe(200);
  expect(r.body.merge).toEqual({ id: expect.any(String), undoUntil: expect.any(String) });
  const merged = await snapshot([keep.householdId, dup.householdId]);
  // nothing deleted but the household and the guardian folded into its twin; the clashing pending pre-check-in was folded into the kept one
  expect(merged.households).toHaveLength(1);
  expect(merged.guardians).toHaveLength(before.guardians!.length - 1);
  expect(merged.household_express_codes).toHaveLength(2);
  const codes = await t.db('household_express_codes').where({ household_id: keep.householdId }).orderBy('created_at');
  expect(codes.map((c) => c.revoked_at == null)).toEqual([true, false]); // the kept family's tag stays the family's
  expect(merged.precheckin_links).toHaveLength(2);
  const pending = await t.db('precheckins').where({ household_id: keep.householdId }).whereNull('used_at');
  expect(pending).toHaveLength(1);
  expect([...pending[0].child_ids].sort()).toEqual([...keep.childIds, ...dup.childIds].sort());
  expect(merged.household_join_codes).toHaveLength(1);
  expect(merged.checkins).toEqual(before.checkins!.map(() => expect.stringContaining(keep.householdId)));
  expect(await t.db('guardians').where({ id: alexId }).pluck('household_id')).toEqual([keep.householdId]);

  const list = await t.api().get(`/api/households/${keep.householdId}/merges`).set(staff(site));
  expect(list.body.merges).toEqual([expect.objectContaining({ id: r.body.merge.id, fromHouseholdId: dup.householdId, fromName: 'Johnson family' })]);

  const u = await t.api().post(`/api/household-merges/${r.body.merge.id}/undo`).set(staff(site));
  expect(u.status).toBe(200);
  expect(u.body.from.id).toBe(dup.householdId);
  expect(u.body.from.children.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Ava', 'Leo']);
  expect(u.body.into.children.map((c: { firstName: string }) => c.firstName)).toEqual(['Mia']);
  expect(await snapshot([keep.householdId, dup.householdId])).toEqual(before);

  const audits = await t
    .db('audit_log')
    .whereIn('action', ['household.merge', 'household.merge_undo'])
    .whereIn('entity_id', [keep.householdId, dup.householdId]);
  expect(audits.map((a) => [a.action, a.entity_id]).sort()).toEqual(
    [
      ['household.merge', keep.householdId],
      ['household.merge_undo', dup.householdId],
      ['household.merge_undo', keep.householdId],
    ].sort(),
  );
  expect(audits.every((a) => a.actor_id === site.userIds.staff)).toBe(true);

  // twice: a clear 409; the list no longer offers it
  const again = await t.api().post(`/api/household-merges/${r.body.merge.id}/undo`).set(staff(site));
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('merge_already_undone');
  expect((await t.api().get(`/api/households/${keep.householdId}/merges`).set(staff(site))).body.merges).toEqual([]);
});

test('two undos at once: one restores, the other is refused 409', async () => {
  const { site, keep, dup } = await twoFamiliesWithEverything();
  const r = await t.api().post(`/api/households/${keep.householdId}/merge`).set(staff(site)).send({ fromHouseholdId: dup.householdId });
  const both = await Promise.all([0, 1].map(() => t.api().post(`/api/household-merges/${r.body.merge.id}/undo`).set(staff(site))));
  expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
});

test('after 24 hours an undo is refused with a clear 409; another campus cannot see or undo the merge', async () => {
  const { site, keep, dup } = await twoFamiliesWithEverything();
  const r = await t.api().post(`/api/households/${keep.householdId}/merge`).set(staff(site)).send({ fromHouseholdId: dup.householdId });
  const other = await buildSite(t.db);
  expect((await t.api().post(`/api/household-merges/${r.body.merge.id}/undo`).set(staff(other))).status).toBe(404);
  await t.db.raw("UPDATE household_merges SET created_at = now() - interval '25 hours', undo_until = now() - interval '1 hour' WHERE id = :id", {
    id: r.body.merge.id,
  });
  const u = await t.api().post(`/api/household-merges/${r.body.merge.id}/undo`).set(staff(site));
  expect(u.status).toBe(409);
  expect(u.body.error).toEqual({ code: 'merge_undo_expired', message: expect.stringContaining('24 hours') });
  expect(await t.db('households').where({ id: dup.householdId }).first()).toBeUndefined();
});

test('the duplicate search shows guardians with masked numbers and ranks shared numbers and names first; the preview says what they share', async () => {
  const site = await buildSite(t.db);
  const me = await buildHousehold(t.db, site.siteId, [{ firstName: 'Mia', months: 40 }], { lastName: 'Garcia', phone: '+13125550100' });
  // eleven unrelated Garcias, then the real duplicate (same number), and one sharing only a guardian's name
  for (let i = 0; i < 11; i++) await buildHousehold(t.db, site.siteId, [{ months: 30 }], { lastName: 'Garcia' });
  const twin = await buildHousehold(t.db, site.siteId, [{ firstName: 'Ava', months: 20 }], { lastName: 'Garcia', phone: '+13125550100' });
  await t.db('households').where({ id: twin.householdId }).update({ name: 'Zz Garcia family' }); // last by name
  const namesake = await buildHousehold(t.db, site.siteId, [{ months: 30 }], { lastName: 'Garcia' });
  await t.db('households').where({ id: namesake.householdId }).update({ name: 'Zy Garcia family' });
  await t.db('guardians').where({ id: me.guardianId }).update({ first_name: 'Rosa' });
  await t.db('guardians').where({ id: namesake.guardianId }).update({ first_name: 'ROSA' });

  const r = await t.api().get(`/api/households/${me.householdId}/merge/candidates`).query({ q: 'Garcia' }).set(staff(site));
  expect(r.status).toBe(200);
  const c = r.body.candidates;
  expect(c).toHaveLength(13);
  expect(c[0]).toEqual({
    id: twin.householdId,
    name: 'Zz Garcia family',
    guardians: [{ id: twin.guardianId, firstName: 'Pat', lastName: 'Garcia', phoneMasked: '•••-•••-0100' }],
    children: [{ id: twin.childIds[0], firstName: 'Ava', lastName: 'Garcia' }],
    shares: { phone: true, guardianName: false },
  });
  expect(c[1]).toEqual(expect.objectContaining({ id: namesake.householdId, shares: { phone: false, guardianName: true } }));
  expect(c.slice(2).every((x: { shares: object }) => JSON.stringify(x.shares) === '{"phone":false,"guardianName":false}')).toBe(true);
  expect(JSON.stringify(c)).not.toContain('5550100');
  // without a query: only the likely duplicates
  const likely = await t.api().get(`/api/households/${me.householdId}/merge/candidates`).set(staff(site));
  expect(likely.body.candidates.map((x: { id: string }) => x.id)).toEqual([twin.householdId, namesake.householdId]);

  const pv = (from: string) => t.api().post(`/api/households/${me.householdId}/merge/preview`).set(staff(site)).send({ fromHouseholdId: from });
  expect((await pv(twin.householdId)).body.preview.shares).toEqual({ phone: true, guardianName: false });
  expect((await pv(c[5].id)).body.preview.shares).toEqual({ phone: false, guardianName: false });
  expect((await t.api().get(`/api/households/${me.householdId}/merge/candidates`).set(bearer(site.tokens.volunteer))).status).toBe(403);
});
