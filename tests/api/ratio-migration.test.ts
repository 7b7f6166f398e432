/**
 * Migration 20261207030100 carries ratio settings and volunteer counts forward (DESIGN §15):
 * enforceRatios false → off, true → warn (nothing binds until an admin turns enforce on); the
 * volunteers a service assumed become those checked in; and back down again.
 */
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { isolatedDatabaseUrl } from '../support/db';
import { buildSite } from '../support/factories';
import { MIGRATION_OPTS as OPTS, migrateDownTo } from '../support/migrations';

const THIS = '20261207030100_ratio_enforcement';
let db: Knex;
beforeAll(async () => {
  db = createDb(await isolatedDatabaseUrl('ratiomig'), 4);
  await db.migrate.latest(OPTS);
});
afterAll(async () => {
  await db.destroy();
});

const downTo = (name: string) => migrateDownTo(db, name);

test('enforceRatios false → off, true → warn, unset → the default warn; volunteers become those checked in; down restores both', async () => {
  await downTo(THIS);
  const rooms = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: 5, volunteers: 2 }];
  const a = await buildSite(db, { rooms, settings: { enforceRatios: true, strategy: 'balance' } });
  const b = await buildSite(db, { rooms, organizationId: a.organizationId });
  const c = await buildSite(db, { rooms, settings: { enforceRatios: false } });
  await db('organizations')
    .where({ id: a.organizationId })
    .update({ settings: JSON.stringify({ enforceRatios: false }) });
  // one volunteer actually checked in to a's room; the service assumed 2
  const [u] = await db('users')
    .insert({ site_id: a.siteId, email: `v-${Date.now()}@test.church`, name: 'V', role: 'volunteer', password_hash: 'x' })
    .returning('id');
  await db('volunteer_shifts').insert({
    site_id: a.siteId,
    service_id: a.serviceId,
    room_id: a.rooms.Toddlers,
    user_id: u.id,
    organization_id: a.organizationId,
  });
  // a service that is over keeps its numbers (history)
  await db('services')
    .where({ id: c.serviceId })
    .update({
      checkin_opens_at: new Date(Date.now() - 7200_000),
      checkin_closes_at: new Date(Date.now() - 3600_000),
      starts_at: new Date(Date.now() - 5400_000),
    });

  await db.migrate.latest(OPTS);
  const settings = async (id: string) => (await db('sites').where({ id }).first()).settings;
  expect(await settings(a.siteId)).toEqual({ ratioEnforcement: 'warn', strategy: 'balance' });
  expect(await settings(b.siteId)).toEqual({});
  expect(await settings(c.siteId)).toEqual({ ratioEnforcement: 'off' });
  expect((await db('organizations').where({ id: a.organizationId }).first()).settings).toEqual({ ratioEnforcement: 'off' });
  const vols = async (s: { serviceId: string }) => (await db('service_rooms').where({ service_id: s.serviceId }).first()).volunteers;
  expect(await vols(a)).toBe(1);
  expect(await vols(b)).toBe(0);
  expect(await vols(c)).toBe(2);

  await downTo(THIS);
  expect(await settings(a.siteId)).toEqual({ enforceRatios: true, strategy: 'balance' });
  expect(await settings(c.siteId)).toEqual({ enforceRatios: false });
  expect((await db('organizations').where({ id: a.organizationId }).first()).settings).toEqual({ enforceRatios: false });
  expect(await vols(a)).toBe(3); // 1 checked in + 10 ÷ 5 assumed, as the old code counted
  expect(await vols(c)).toBe(2);
  await db.migrate.latest(OPTS);
});
