/**
 * Migrations go all the way down and up again, and the physical-rooms migration carries a
 * database of the earlier shape forward: its batches become requests, its check-ins keep their
 * code, and a family's later check-in that day joins the code it already holds.
 */
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { migrateLatest, migrateRollbackAll } from '../../server/src/db/migrate';
import { MIGRATION_OPTS as OPTS, migrateDownTo } from '../support/migrations';
import { isolatedDatabaseUrl } from '../support/db';
import { buildHousehold, buildSite, key } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';

let db: Knex;
beforeAll(async () => {
  db = createDb(await isolatedDatabaseUrl('migrations'), 4);
});
afterAll(async () => {
  await db.destroy();
});

test('down all the way (no table of ours left), then up again', async () => {
  await migrateRollbackAll(db);
  const left = await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%'");
  expect(left.rows).toEqual([]);
  const applied = await migrateLatest(db);
  const [, pending] = await db.migrate.list(OPTS);
  expect(pending).toEqual([]);
  expect(applied.length).toBeGreaterThan(8);
});

test('a database from before physical rooms keeps its check-ins, codes and keys; the family joins its code after the upgrade', async () => {
  const site = await buildSite(db);
  const fam = await buildHousehold(db, site.siteId, [
    { firstName: 'Old', months: 24 },
    { firstName: 'New', months: 30 },
  ]);
  // back to the schema just before 20261201000300, and a check-in written the old way
  await migrateDownTo(db, '20261201000300');
  const service = await db('services').where({ id: site.serviceId }).first();
  const oldKey = key();
  const [batch] = await db('checkin_batches')
    .insert({
      site_id: site.siteId,
      service_id: site.serviceId,
      household_id: fam.householdId,
      service_date: service.service_date,
      security_code: 'BCDF',
      idempotency_key: oldKey,
    })
    .returning('id');
  await db('pickup_passes').insert({ batch_id: batch.id, token_hash: 'f'.repeat(64), expires_at: new Date(Date.now() + 86_400_000) });
  const [old] = await db('checkins')
    .insert({
      batch_id: batch.id,
      site_id: site.siteId,
      service_id: site.serviceId,
      room_id: site.rooms.Toddlers,
      child_id: fam.childIds[0],
      household_id: fam.householdId,
      security_code: 'BCDF',
    })
    .returning('id');

  await migrateLatest(db);
  const row = await db('checkins').where({ id: old.id }).first();
  expect(row).toMatchObject({ request_id: batch.id, service_date: service.service_date, security_code: 'BCDF', status: 'checked_in' });
  expect(await db('checkin_requests').where({ id: batch.id }).first()).toMatchObject({ idempotency_key: oldKey, batch_id: batch.id });
  expect((await db('checkin_batches').where({ id: batch.id }).first()).family_day).toBe(true);

  const t: TestApp = await startTestApp({ db });
  try {
    // the old key replays the old answer; a new check-in joins the family's code
    const replay = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: [fam.childIds[0]], idempotencyKey: oldKey });
    expect(replay.body).toMatchObject({ batchId: batch.id, securityCode: 'BCDF', checkins: [{ id: old.id }] });
    const later = await t
      .api()
      .post('/api/checkins')
      .set(bearer(site.tokens.kiosk))
      // the parent shows the tag with the day's code (a kiosk is never handed it by phone alone, DESIGN §16)
      .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: [fam.childIds[1]], idempotencyKey: key(), proof: 'BCDF' });
    expect(later.body).toMatchObject({ batchId: batch.id, securityCode: 'BCDF', joined: true });
    // headcount is physical: the old child counts in Toddlers
    const rooms = await t.api().get(`/api/services/${site.serviceId}/rooms`).set(bearer(site.tokens.staff));
    const toddlers = rooms.body.rooms.find((r: { name: string }) => r.name === 'Toddlers');
    expect(toddlers.headcount).toBe(2);
  } finally {
    await t.stop();
  }
});

test('SMS consent: guardians already opted in carry forward as legacy consent dated at their family creation; the rest have none', async () => {
  const site = await buildSite(db);
  const fam = await buildHousehold(db, site.siteId, [{ months: 24 }]);
  await migrateDownTo(db, '20261207090100');
  expect(await db('guardians').where({ id: fam.guardianId }).first()).not.toHaveProperty('sms_consent_source');
  const [no] = await db('guardians')
    .insert({ household_id: fam.householdId, first_name: 'No', last_name: 'Texts', phone: '+13125550999', sms_opt_in: false })
    .returning('id');
  await migrateLatest(db);
  const h = await db('households').where({ id: fam.householdId }).first('created_at');
  expect(await db('guardians').where({ id: fam.guardianId }).first('sms_consent_at', 'sms_consent_source')).toEqual({
    sms_consent_at: h.created_at,
    sms_consent_source: 'legacy',
  });
  expect(await db('guardians').where({ id: no.id }).first('sms_consent_at', 'sms_consent_source')).toEqual({ sms_consent_at: null, sms_consent_source: null });
  // the source is one of the known places, and comes with a time
  await expect(db('guardians').where({ id: no.id }).update({ sms_consent_at: db.fn.now(), sms_consent_source: 'body' })).rejects.toThrow(/check/);
  await expect(db('guardians').where({ id: no.id }).update({ sms_consent_source: 'kiosk' })).rejects.toThrow(/check/);
});
