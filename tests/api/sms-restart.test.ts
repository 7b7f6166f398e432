/**
 * A real server process (tsx server/src/main.ts) killed with SIGKILL and started again resumes
 * what was queued — and a message Twilio had accepted just before the kill is not sent twice.
 */
import { waitFor } from '../../server/src/dev/fake-twilio';
import { buildHousehold, buildSite, type BuiltHousehold, type BuiltSite } from '../support/factories';
import { serverSuite } from '../support/server-suite';

const suite = serverSuite('smsrestart', { firstPort: 3410, secret: 'restart-test-secret-restart-test-secret-0', twilio: true });
const startServer = () => suite.start({ SMS_SEND_TIMEOUT_MS: '2500', SMS_RETRY_BASE_MS: '150', SMS_RETRY_MAX_MS: '600' });

async function checkIn(site: BuiltSite, fam: BuiltHousehold) {
  const r = await suite.checkIn(site, fam);
  expect(r.status).toBe(201);
  return (await r.json()) as { pickupUrl: string; batchId: string };
}
const rowOf = (batchId: string) => suite.db('notifications').where({ batch_id: batchId }).first();
const sentTo = (phone: string) => suite.fake.messages.filter((m) => m.to === phone);

test('SIGKILL mid-outage and mid-send; after a restart everything queued goes out exactly once', async () => {
  const site = await buildSite(suite.db);
  const [a, b, c] = [await buildHousehold(suite.db, site.siteId), await buildHousehold(suite.db, site.siteId), await buildHousehold(suite.db, site.siteId)];

  let child = await startServer();
  // the start banner says SMS go through Twilio (stdout may trail the first /healthz answer)
  await waitFor(() => child.output().includes(`SMS: Twilio (from ${suite.fake.from}, API at ${suite.fake.url})`), 5000, 'the Twilio banner');

  // C: Twilio accepts the message, but the answer never comes back before the crash (well
  // within the 2.5 s request timeout, so the row is still 'sending' when the process dies).
  suite.fake.hold(true);
  const cc = await checkIn(site, c);
  await waitFor(() => sentTo(c.phone).length === 1, 5000, "Twilio to hold C's message");
  // A and B: Twilio is down; their receipts wait in the outbox, retrying.
  suite.fake.setDown(true);
  const ca = await checkIn(site, a);
  const cb = await checkIn(site, b);
  await waitFor(async () => (await rowOf(ca.batchId))?.attempts >= 1 && (await rowOf(cb.batchId))?.attempts >= 1, 5000, 'A and B tried');

  await child.kill('SIGKILL');
  await waitFor(
    async () => {
      try {
        await fetch(`${suite.base}/healthz`);
        return false;
      } catch {
        return true;
      }
    },
    5000,
    'the server to be gone',
  );
  expect((await rowOf(cc.batchId)).status).toBe('sending');
  expect((await rowOf(ca.batchId)).provider_id).toBeNull();
  expect((await rowOf(cb.batchId)).provider_id).toBeNull();
  suite.fake.setDown(false);
  suite.fake.hold(false); // the held answer goes nowhere: the process that asked is gone
  await suite.fake.idle(); // and so do the status callbacks for C

  child = await startServer();
  await waitFor(
    async () => {
      const rows = await Promise.all([ca, cb, cc].map((x) => rowOf(x.batchId)));
      return rows.every((r) => r.provider_id && !['pending', 'sending'].includes(r.status));
    },
    30_000,
    'all three recorded at Twilio',
    100,
  ); // C only after its 10 s lease

  for (const f of [a, b, c]) expect(sentTo(f.phone)).toHaveLength(1);
  const rc = await rowOf(cc.batchId);
  expect(rc.provider_id).toBe(sentTo(c.phone)[0]!.sid); // adopted, not re-sent
  expect(rc.attempts).toBe(2);
  expect(sentTo(a.phone)[0]!.body).toContain(ca.pickupUrl);
  expect((await rowOf(ca.batchId)).provider_id).toBe(sentTo(a.phone)[0]!.sid);

  await child.kill('SIGTERM');
}, 90_000);
