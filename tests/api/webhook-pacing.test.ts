/**
 * The webhook dispatcher paces itself while check-ins compete for the server (issue 32): ordinary
 * deliveries wait for the next round (at most `paceMs`), urgent ones (`checkin.flagged`,
 * `emergency.started`) are claimed as soon as their commit lands, a round sends everything due in
 * larger batches, and delivery stays at least once with a stable webhook-id. "Busy" is forced in
 * these tests (the `busy` option); the probe the server uses is tested on its own (pool waiters).
 */
import { Webhook as Verifier } from 'standardwebhooks';
import type { WebhookCreated } from '../../contracts';
import { busyProbe, createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from '../../server/src/webhooks/webhook-dispatcher';
import { createLogger } from '../../server/src/logger';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { bearer, startTestApp, type TestApp } from '../support/harness';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

let t: TestApp;
let a: BuiltSite;
let d: WebhookDispatcher | undefined;
let rx: Receiver | undefined;

beforeAll(async () => {
  // no dispatcher of the app's own: each test runs the one it describes
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
  a = await buildSite(t.db);
  await t.db('users').where({ id: a.userIds.admin }).update({ org_admin: true });
});
afterEach(async () => {
  await d?.stop();
  d = undefined;
  await rx?.close();
  rx = undefined;
});
afterAll(() => t.stop());

function dispatcher(o: Partial<WebhookDispatcherOptions>): WebhookDispatcher {
  d = createWebhookDispatcher({
    db: t.db,
    logger: createLogger('silent'),
    secret: t.ctx.secret,
    allowPrivate: true,
    timeoutMs: 30_000,
    retryBaseMs: 20,
    retryMaxMs: 50,
    giveUpMs: 60_000,
    pollMs: 60_000,
    busy: () => true,
    ...o,
  });
  return d;
}

/** A fresh receiver and endpoint (every other endpoint of the organisation paused). */
async function listen(events: string[]): Promise<WebhookCreated> {
  await t.db('webhook_endpoints').where({ organization_id: a.organizationId }).update({ active: false });
  rx = await startReceiver();
  const res = await t.api().post('/api/org/webhooks').set(bearer(a.tokens.admin)).send({ url: rx.url, events });
  expect(res.status).toBe(201);
  return res.body as WebhookCreated;
}

async function checkIn(custodyAlert = false) {
  const fam = await buildHousehold(t.db, a.siteId, [{ months: 24 }]);
  if (custodyAlert) await t.db('custody_alerts').insert({ household_id: fam.householdId, name: 'Jordan Doe', note: 'court order' });
  const res = await t
    .api()
    .post('/api/checkins')
    .set(bearer(a.tokens.kiosk))
    .send({ serviceId: a.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() });
  expect(res.status).toBe(201);
  return res.body as { batchId: string };
}
const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;

test('while busy, an urgent checkin.flagged is sent at once; the check-in itself waits for the next round', async () => {
  const hook = await listen(['checkin.created', 'checkin.flagged']);
  // a round has just begun (at start) and the next is a minute away: only an urgent claim can send now
  dispatcher({ paceMs: 60_000 }).start();
  const { batchId } = await checkIn(true);
  const [first] = await rx!.waitFor(1);
  expect(typeOf(first!.body)).toBe('checkin.flagged');
  expect(JSON.parse(first!.body).data.batchId).toBe(batchId);
  const rows = await t.db('webhook_deliveries').where({ endpoint_id: hook.webhook.id }).select('event', 'status', 'attempts');
  expect(rows.find((r) => r.event === 'checkin.created')).toMatchObject({ status: 'pending', attempts: 0 });
  expect(rx!.received.map((r) => typeOf(r.body))).toEqual(['checkin.flagged']);
  // the round that was due then sends what waited
  await d!.drain();
  expect(rx!.received.map((r) => typeOf(r.body))).toContain('checkin.created');
});

test('while busy, emergency.started is sent at once too', async () => {
  await listen(['emergency.started']);
  dispatcher({ paceMs: 60_000 }).start();
  const started = await t.api().post('/api/emergency').set(bearer(a.tokens.staff)).send({});
  expect(started.status).toBe(201);
  const [r] = await rx!.waitFor(1);
  expect(typeOf(r!.body)).toBe('emergency.started');
});

test('while busy, an ordinary delivery waits at most paceMs for its round', async () => {
  const hook = await listen(['checkin.created']);
  const paceMs = 1000;
  dispatcher({ paceMs }).start();
  await checkIn();
  // from the commit (the check-in's answer) to the receiver
  const t0 = Date.now();
  // the bound, with room for a loaded machine's claim and POST after the round begins
  const [r] = await rx!.waitFor(1, paceMs + 4000);
  expect(typeOf(r!.body)).toBe('checkin.created');
  expect(Date.now() - t0).toBeLessThan(paceMs + 4000);
  const [row] = await t.db('webhook_deliveries').where({ endpoint_id: hook.webhook.id }).select('status', 'attempts');
  expect(row!.attempts).toBe(1);
});

test('a paced round sends a backlog larger than its batch, each delivery once; a failed one is retried with the same webhook-id', async () => {
  const hook = await listen(['checkin.created']);
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await t.api().post(`/api/org/webhooks/${hook.webhook.id}/test`).set(bearer(a.tokens.admin))).body.delivery.id);
  rx!.answer((_r, n) => ({ status: n === 1 ? 500 : 204 }));
  const claims = new Map<string, number>();
  // the poll is what picks up a retry that was not yet due when its round ended (1 s in production)
  dispatcher({
    paceMs: 200,
    pollMs: 100,
    batchSize: 2,
    pacedBatchSize: 4,
    concurrency: 2,
    onClaim: (row) => claims.set(row.id, (claims.get(row.id) ?? 0) + 1),
  }).start();
  await rx!.waitFor(11);
  for (;;) {
    const rows = await t.db('webhook_deliveries').whereIn('id', ids).select('id', 'status', 'attempts');
    if (rows.every((r) => r.status === 'delivered')) {
      expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
      break;
    }
    await d!.drain();
  }
  const got = rx!.received.map((r) => String(r.headers['webhook-id']));
  expect(got.length).toBe(11);
  expect(new Set(got)).toEqual(new Set(ids));
  // the one answered 500 came again with the same id and body, still signed
  const again = got.find((id, i) => got.indexOf(id) !== i)!;
  const twice = rx!.received.filter((r) => r.headers['webhook-id'] === again);
  expect(twice[1]!.body).toBe(twice[0]!.body);
  expect(() => new Verifier(hook.secret).verify(twice[1]!.body, twice[1]!.headers as Record<string, string>)).not.toThrow();
  expect([...claims.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
});

test('the busy probe: a query waiting for a pool connection makes the server busy', async () => {
  // (a threshold above 1: the event loop alone never counts as busy here)
  const probe = busyProbe(t.db, 2);
  expect(probe()).toBe(false);
  const max = (t.db.client as { pool: { max: number } }).pool.max;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // every connection held in a transaction, and one more query waiting for one
  const holders = Array.from({ length: max }, () => t.db.transaction(() => held));
  const waiting = t.db.raw('SELECT 1');
  for (let i = 0; i < 100 && !probe(); i++) await new Promise((r) => setImmediate(r));
  expect(probe()).toBe(true);
  release();
  await Promise.all([...holders, waiting]);
  expect(probe()).toBe(false);
});
