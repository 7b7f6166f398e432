/**
 * A real server process (server/src/main.ts) killed with SIGKILL in the middle of a webhook
 * delivery loses nothing: after a restart the delivery left in flight is sent again once its
 * lease runs out, with the same webhook-id, and a check-in made while the first attempt hung is
 * delivered too.
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { waitFor } from '../../server/src/dev/fake-twilio';
import { buildHousehold, buildSite, type BuiltSite } from '../support/factories';
import { serverSuite } from '../support/server-suite';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

const suite = serverSuite('whrestart', { firstPort: 3460, secret: 'webhook-restart-secret-webhook-restart-0' });
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(() => rx.close());

const startServer = () =>
  suite.start({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // the hung first attempt is still in flight (well within 2.5 s) when the process dies; the lease is 4× the timeout
    WEBHOOK_TIMEOUT_MS: '2500',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '200',
  });

async function checkIn(site: BuiltSite) {
  const r = await suite.checkIn(site, await buildHousehold(suite.db, site.siteId, [{ months: 24 }]));
  expect(r.status).toBe(201);
  return (await r.json()) as { batchId: string };
}
test('SIGKILL mid-delivery; after a restart the delivery is sent again with the same webhook-id, and nothing is lost', async () => {
  const site = await buildSite(suite.db);
  await suite.db('users').where({ id: site.userIds.admin }).update({ org_admin: true });
  let child = await startServer();
  const created = await fetch(`${suite.base}/api/org/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: rx.url, events: ['checkin.created'] }),
  });
  expect(created.status).toBe(201);
  const { secret } = (await created.json()) as { secret: string };

  // the first request is never answered: the server dies while delivering it
  rx.answer((_r, n) => (n === 1 ? 'hold' : { status: 200 }));
  const first = await checkIn(site);
  const [hung] = await rx.waitFor(1);
  const id = String(hung!.headers['webhook-id']);
  expect(await suite.db('webhook_deliveries').where({ id }).first()).toMatchObject({ status: 'sending', attempts: 1 });
  await child.kill('SIGKILL');

  child = await startServer();
  const second = await checkIn(site);
  await waitFor(async () => (await suite.db('webhook_deliveries').whereNot({ status: 'delivered' })).length === 0, 30_000, 'every delivery delivered', 100);
  const rows = await suite.db('webhook_deliveries').orderBy('created_at');
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({ id, status: 'delivered', attempts: 2 });
  expect(rows[1]).toMatchObject({ status: 'delivered', attempts: 1 });
  const ids = rx.received.map((r) => String(r.headers['webhook-id']));
  expect(ids.filter((x) => x === id)).toHaveLength(2); // at least once: the hung attempt and its retry
  expect(ids.filter((x) => x === rows[1].id)).toHaveLength(1);
  const v = new Verifier(secret);
  const bodies = rx.received.slice(1).map((r) => v.verify(r.body, r.headers as Record<string, string>) as { data: { batchId: string } });
  expect(bodies.map((b) => b.data.batchId).sort()).toEqual([first.batchId, second.batchId].sort());
  await child.kill('SIGTERM');
}, 90_000);
