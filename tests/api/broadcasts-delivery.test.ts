/**
 * A broadcast goes out through the real dispatcher to a local Twilio-compatible server (DESIGN
 * §15): every guardian who takes texts gets it, in the family's language; a STOP number nothing;
 * staff hear each text's status change and the list counts them.
 */
import type { Knex } from 'knex';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { createDb } from '../../server/src/db/knex';
import { bearer, connected, startTestApp, type TestApp } from '../support/harness';
import { isolatedDatabaseUrl } from '../support/db';

let fake: FakeTwilio;
let t: TestApp;
let db: Knex;
beforeAll(async () => {
  fake = await startFakeTwilio();
  db = createDb(await isolatedDatabaseUrl('broadcast'), 10);
  t = await startTestApp({ db, dispatcher: true, env: { ...fake.env(), SMS_RETRY_BASE_MS: '40', SMS_RETRY_MAX_MS: '200', SMS_MAX_ATTEMPTS: '30' } });
});
afterAll(async () => {
  await t.stop();
  await db.destroy();
  await fake.close();
});

const ROOMS = [{ name: 'Toddlers', minAgeMonths: 18, maxAgeMonths: 35, capacity: 10, ratio: null, volunteers: 2 }];
const checkIn = (site: BuiltSite, householdId: string, childIds: string[]) =>
  t.api().post('/api/checkins').set(bearer(site.tokens.kiosk)).send({ serviceId: site.serviceId, householdId, childIds, idempotencyKey: key() });

test('the texts reach each guardian in the family language, never a STOP number; staff hear the statuses and the list counts them', async () => {
  const site = await buildSite(t.db, { rooms: ROOMS });
  const en = await buildHousehold(t.db, site.siteId, [{ months: 24 }]);
  const es = await buildHousehold(t.db, site.siteId, [{ months: 26 }]);
  await t.db('households').where({ id: es.householdId }).update({ language: 'es' });
  const stop = await buildHousehold(t.db, site.siteId, [{ months: 28 }]);
  await t.db('guardians').where({ id: stop.guardianId }).update({ sms_opted_out_at: new Date() });
  for (const f of [en, es, stop]) expect((await checkIn(site, f.householdId, f.childIds)).status).toBe(201);
  await waitFor(() => fake.messages.filter((m) => m.to === en.phone || m.to === es.phone).length === 2, 5000, 'the receipts');

  const socket = t.socket(site.tokens.staff);
  await connected(socket);
  const heard: string[] = [];
  socket.on('notification.updated', (e: { kind: string; status: string }) => {
    if (e.kind === 'broadcast') heard.push(e.status);
  });
  const r = await t
    .api()
    .post('/api/broadcasts')
    .set(bearer(site.tokens.staff))
    .send({ roomId: site.rooms.Toddlers, message: 'Doors open at the east entrance' });
  expect(r.status).toBe(202);
  expect(r.body.recipients).toBe(2);
  const broadcastTo = (phone: string) => fake.messages.filter((m) => m.to === phone && /east entrance/.test(m.body));
  await waitFor(() => broadcastTo(en.phone).length === 1 && broadcastTo(es.phone).length === 1, 5000, 'the broadcast texts');
  expect(broadcastTo(en.phone)[0]!.body).toMatch(/^Message from .+: Doors open at the east entrance$/);
  expect(broadcastTo(es.phone)[0]!.body).toMatch(/^Mensaje de .+: Doors open at the east entrance$/);
  expect(fake.messages.filter((m) => m.to === stop.phone && /east entrance/.test(m.body))).toEqual([]);
  await waitFor(() => heard.length >= 2, 5000, 'the status events');
  const list = async () => (await t.api().get('/api/broadcasts').set(bearer(site.tokens.staff))).body.broadcasts[0];
  await waitFor(async () => ((await list()).waiting === 0 ? true : undefined), 5000, 'the sent statuses');
  const b = await list();
  expect(b.sent + b.delivered).toBe(2);
  expect(b.failed).toBe(0);
});
