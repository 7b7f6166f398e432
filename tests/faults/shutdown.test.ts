/**
 * Graceful shutdown (SIGTERM) with an SMS in flight: the server waits for the send it started,
 * records Twilio's answer, exits 0, and after a restart nothing is lost and nothing is sent twice.
 */
import { waitFor } from '../../server/src/dev/fake-twilio';
import { buildHousehold, buildSite, type BuiltHousehold, type BuiltSite } from '../support/factories';
import { serverSuite } from '../support/server-suite';

const suite = serverSuite('shutdown', { firstPort: 3420, secret: 'shutdown-test-secret-shutdown-test-secret', twilio: true });
const startServer = () =>
  suite.start({ LOG_LEVEL: 'info', SOCKET_SWEEP_MS: '0', SMS_SEND_TIMEOUT_MS: '8000', SMS_RETRY_BASE_MS: '150', SMS_RETRY_MAX_MS: '600' });

async function checkIn(site: BuiltSite, fam: BuiltHousehold) {
  const r = await suite.checkIn(site, fam);
  expect(r.status).toBe(201);
  return (await r.json()) as { batchId: string };
}
const sentTo = (phone: string) => suite.fake.messages.filter((m) => m.to === phone);

test('SIGTERM while Twilio is still answering a send: the server waits for it, exits 0, and nothing is lost or doubled after a restart', async () => {
  const site = await buildSite(suite.db);
  const [a, b] = [await buildHousehold(suite.db, site.siteId), await buildHousehold(suite.db, site.siteId)];
  let child = await startServer();
  suite.fake.hold(true);
  const { batchId } = await checkIn(site, a);
  await waitFor(() => sentTo(a.phone).length === 1, 10_000, 'the receipt reached Twilio (held)');

  const exited = child.kill('SIGTERM');
  // still running while the send is unanswered: it does not drop the message mid-send — it says it
  // waits for the send, and answers a request after saying so
  await child.waitFor(/waiting for SMS sends in flight before stopping/, 10_000);
  expect((await fetch(`${suite.base}/healthz`)).status).toBe(200);
  expect(child.child.exitCode).toBeNull();
  suite.fake.hold(false);
  await exited;
  expect(child.child.exitCode).toBe(0);
  const row = await suite.db('notifications').where({ batch_id: batchId }).first();
  expect(['queued', 'sent', 'delivered']).toContain(row.status);

  // after a restart: the next family's receipt goes out (a marker: the dispatcher has run), the first is not sent again
  child = await startServer();
  await checkIn(site, b);
  await waitFor(() => sentTo(b.phone).length === 1, 10_000, 'the receipt after the restart');
  expect(sentTo(a.phone)).toHaveLength(1);
  // and every outcome is recorded (the second send's answer may still be on its way to the row)
  await waitFor(async () => (await suite.db('notifications').whereIn('status', ['pending', 'sending'])).length === 0, 10_000, 'all outcomes recorded');
  await child.kill('SIGTERM');
});
