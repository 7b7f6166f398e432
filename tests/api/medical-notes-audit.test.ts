/**
 * Opening a child's medical notes is audited (issue #31, DESIGN §19): the staff family page shows
 * them, so opening it records who, when and which child — only children with a note, once per
 * viewer per quarter hour — and the row is in the child's audit trail.
 */
import { buildHousehold, buildSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

test('the family page records each look at a medical note: who, when, which child; visible in the child’s trail', async () => {
  const site = await buildSite(t.db);
  const fam = await buildHousehold(t.db, site.siteId, [
    { firstName: 'Asa', months: 40, medicalNotes: 'Diabetic: snack at 10' },
    { firstName: 'Bo', months: 30 },
  ]);
  const [withNote, without] = fam.childIds as [string, string];
  const open = (token: string) => t.api().get(`/api/households/${fam.householdId}`).set(bearer(token));
  expect((await open(site.tokens.staff)).body.household.children.find((c: { id: string }) => c.id === withNote).medicalNotes).toBe('Diabetic: snack at 10');
  const rows = () => t.db('audit_log').where({ action: 'child.medical_notes_read' }).whereIn('entity_id', fam.childIds).orderBy('id');
  const first = await rows();
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({ entity: 'child', entity_id: withNote, actor_kind: 'user', actor_id: site.userIds.staff, details: { via: 'family_page' } });
  expect(first[0].at).toBeTruthy();
  expect(JSON.stringify(first)).not.toContain('Diabetic');

  // the same viewer again at once: still one row; another viewer: their own
  await open(site.tokens.staff);
  expect(await rows()).toHaveLength(1);
  await open(site.tokens.admin);
  expect((await rows()).map((r) => r.actor_id)).toEqual([site.userIds.staff, site.userIds.admin]);
  expect((await rows()).some((r) => r.entity_id === without)).toBe(false);

  const trail = await t.api().get(`/api/children/${withNote}/audit`).set(bearer(site.tokens.staff));
  expect(trail.status).toBe(200);
  const viewed = trail.body.entries.filter((e: { action: string }) => e.action === 'child.medical_notes_read');
  expect(viewed.map((e: { actor: { id: string } }) => e.actor.id)).toEqual([site.userIds.staff, site.userIds.admin]);
});
