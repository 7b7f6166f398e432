/** The 'logged' status migration carries rows the log transport marked 'sent' forward, and only those. */
import type { Knex } from 'knex';
import { buildSite } from '../support/factories';
import { testDb } from '../support/db';
import { down, up } from '../../migrations/20261204000100_notifications_logged_status';

let db: Knex;
beforeAll(async () => {
  db = await testDb(3);
});
afterAll(async () => {
  await db.destroy();
});

test("rows logged without a provider become 'logged'; texts Twilio sent stay 'sent'; down undoes it", async () => {
  const site = await buildSite(db);
  const row = (status: string, provider_id: string | null) => ({ site_id: site.siteId, to: '+13125550100', kind: 'page', body: 'x', status, provider_id });
  const ids = await db('notifications')
    .insert([row('sent', `LOG${'a'.repeat(32)}`), row('sent', `SM${'b'.repeat(32)}`), row('delivered', `SM${'c'.repeat(32)}`), row('pending', null)])
    .returning<{ id: string }[]>('id');
  const statuses = async () =>
    (
      await db('notifications')
        .whereIn(
          'id',
          ids.map((r) => r.id),
        )
        .select('id', 'status')
    )
      .map((r) => [ids.findIndex((x) => x.id === r.id), r.status])
      .sort();
  await up(db);
  expect(await statuses()).toEqual([
    [0, 'logged'],
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'pending'],
  ]);
  await down(db);
  expect((await statuses())[0]).toEqual([0, 'sent']);
  await up(db); // the worker's database is shared by the files after this one
});
