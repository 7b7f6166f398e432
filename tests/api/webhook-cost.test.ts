/**
 * What three subscribed webhooks cost a check-in, counted (not timed, so a loaded machine does not
 * matter): statements the check-in request runs, rows it writes to the outbox, and the
 * dispatcher's statements per delivery (issue 32's bench target: within 5 % of none).
 */
import type { Knex } from 'knex';
import { startWebhooks, type WebhooksRuntime } from '../../server/src/webhooks/webhooks-runtime';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

let t: TestApp;
let wh: WebhooksRuntime;
let a: BuiltSite;
const rxs: Receiver[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  a = await buildSite(t.db);
  // the worker's database is shared by the test files it runs: endpoints and deliveries another file
  // left behind would be counted (and drained) here
  await t.db('webhook_deliveries').del();
  await t.db('webhook_endpoints').del();
  await t.db('users').where({ id: a.userIds.admin }).update({ org_admin: true });
});
afterAll(async () => {
  await wh?.stop();
  for (const rx of rxs) await rx.close();
  await t.stop();
});

/** The SQL statements `fn` runs through the app's pool (BEGIN/COMMIT included). */
async function counted(db: Knex, fn: () => Promise<unknown>): Promise<string[]> {
  const sql: string[] = [];
  // (the kiosk's sign-in lookup is cached for a while: whether it runs has nothing to do with webhooks)
  const on = (q: { sql: string }) => void (/from "kiosks"/.test(q.sql) || sql.push(q.sql));
  db.on('query', on);
  try {
    await fn();
  } finally {
    db.removeListener('query', on);
  }
  return sql;
}
async function checkIn() {
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }, { months: 48 }]);
  const res = await t
    .api()
    .post('/api/checkins')
    .set(bearer(a.tokens.kiosk))
    .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(res.status).toBe(201);
}
const outboxWrites = (sql: string[]) => sql.filter((s) => /webhook/i.test(s));

test('three webhooks add one INSERT (three rows) per check-in; the dispatcher needs two statements per batch, not per delivery', async () => {
  await checkIn(); // warm (prepared paths, caches)
  const none = await counted(t.db, checkIn);
  for (let i = 0; i < 3; i++) {
    const rx = await startReceiver();
    rxs.push(rx);
    expect(
      (
        await t
          .api()
          .post('/api/org/webhooks')
          .set(bearer(a.tokens.admin))
          .send({ url: rx.url, events: ['checkin.created', 'checkin.flagged'] })
      ).status,
    ).toBe(201);
  }
  const three = await counted(t.db, checkIn);
  const extra = three.length - none.length;
  console.log(`statements per check-in: none ${none.length}, three webhooks ${three.length}; outbox statements ${outboxWrites(three).length}`);
  // the subscriber lookup (with the names) is there either way; three endpoints add only the INSERT
  expect(outboxWrites(none)).toHaveLength(1);
  expect(outboxWrites(three)).toHaveLength(2);
  expect(extra).toBe(1);
  expect(await t.db('webhook_deliveries').where({ status: 'pending' }).count('* as n')).toEqual([{ n: 3 }]);

  // ten more check-ins queued, then one dispatcher empties the outbox: 33 deliveries
  for (let i = 0; i < 10; i++) await checkIn();
  wh = startWebhooks(t.ctx, { pollMs: 60_000 });
  const dispatch = await counted(t.db, () => wh.dispatcher!.drain());
  expect(await t.db('webhook_deliveries').where({ status: 'delivered' }).count('* as n')).toEqual([{ n: 33 }]);
  expect(rxs.reduce((n, rx) => n + rx.received.length, 0)).toBe(33);
  const claims = dispatch.filter((s) => /FOR UPDATE SKIP LOCKED/.test(s)).length;
  const records = dispatch.filter((s) => /^UPDATE webhook_deliveries d\s+SET status = o.status/.test(s.trim())).length;
  console.log(`dispatcher statements for 33 deliveries: ${dispatch.length} (${claims} claims, ${records} outcome updates)`);
  expect(records).toBeLessThanOrEqual(4);
  expect(dispatch.length).toBeLessThan(33);
});

test('during a rush, a paced dispatcher claims and records per round (at most one each 2 s … here 1 s), not per check-in', async () => {
  await wh?.stop();
  // three endpoints of this test's own
  await t.db('webhook_endpoints').update({ active: false });
  for (let i = 0; i < 3; i++) {
    const rx = await startReceiver();
    rxs.push(rx);
    const res = await t
      .api()
      .post('/api/org/webhooks')
      .set(bearer(a.tokens.admin))
      .send({ url: rx.url, events: ['checkin.created'] });
    expect(res.status).toBe(201);
  }
  const isClaim = (s: string) => /FOR UPDATE SKIP LOCKED/.test(s);
  const isRecord = (s: string) => /^UPDATE webhook_deliveries d\s+SET status = o.status/.test(s.trim());
  const got: Record<string, { statements: number; seconds: number }> = {};
  for (const mode of ['idle', 'paced'] as const) {
    const paceMs = 1000;
    // a campus of the same organisation (the endpoints hear all its campuses) with empty rooms:
    // one child per check-in, spread over three rooms of ten
    const site = await buildSite(t.db, { organizationId: a.organizationId });
    let i = 0;
    const oneChild = async () => {
      const fam = await buildHousehold(t.db, site.siteId, [{ months: [6, 24, 48][i++ % 3]! }]);
      const res = await t
        .api()
        .post('/api/checkins')
        .set(bearer(site.tokens.kiosk))
        .send({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
      expect([res.status, res.body.checkins?.length]).toEqual([201, 1]);
    };
    const runner = startWebhooks(t.ctx, { pollMs: 60_000, paceMs, busy: () => mode === 'paced' });
    const before = await t.db('webhook_deliveries').count('* as n').first();
    const t0 = Date.now();
    // twenty check-ins, four at a time, and until every delivery is sent
    const sql = await counted(t.db, async () => {
      for (let g = 0; g < 5; g++) await Promise.all([oneChild(), oneChild(), oneChild(), oneChild()]);
      for (;;) {
        const left = await t.db('webhook_deliveries').whereNot({ status: 'delivered' }).count('* as n').first();
        if (Number(left!.n) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    const seconds = (Date.now() - t0) / 1000;
    await runner.stop();
    const after = await t.db('webhook_deliveries').count('* as n').first();
    expect(Number(after!.n) - Number(before!.n)).toBe(60);
    const dispatcher = sql.filter((s) => isClaim(s) || isRecord(s)).length;
    got[mode] = { statements: dispatcher, seconds };
    if (mode === 'paced') {
      // a round (a claim of up to 256 and its outcome) at start and at most one a second after
      expect(dispatcher).toBeLessThanOrEqual(2 * (Math.ceil((seconds * 1000) / paceMs) + 2));
    }
  }
  console.log(`dispatcher claims + outcome updates for 20 check-ins (60 deliveries): idle ${JSON.stringify(got.idle)}, paced ${JSON.stringify(got.paced)}`);
  expect(got.paced!.statements).toBeLessThan(got.idle!.statements);
});
