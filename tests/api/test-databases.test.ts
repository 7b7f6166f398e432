/** The test databases give up commit durability (a clone does not inherit its template's settings, so each clone sets it). */
import { durableTests, isolatedDatabaseUrl, testDb } from '../support/db';
import { createDb } from '../../server/src/db/knex';

const show = async (db: ReturnType<typeof createDb>) => (await db.raw('SHOW synchronous_commit')).rows[0].synchronous_commit as string;

test('a worker database and an isolated one run with synchronous_commit off (on with TEST_PG_DURABLE=1)', async () => {
  const expected = durableTests() ? 'on' : 'off';
  const worker = await testDb(2);
  const isolated = createDb(await isolatedDatabaseUrl('durability'), 2);
  try {
    expect(await show(worker)).toBe(expected);
    expect(await show(isolated)).toBe(expected);
  } finally {
    await worker.destroy();
    await isolated.destroy();
  }
});
