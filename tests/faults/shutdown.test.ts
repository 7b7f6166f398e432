/**
 * Graceful shutdown (SIGTERM) with an SMS in flight: the server waits for the send it started,
 * records Twilio's answer, exits 0, and after a restart nothing is lost and nothing is sent twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../server/src/db/knex';
import { isolatedDatabaseUrl } from '../support/db';
import { buildHousehold, buildSite, key, type BuiltHousehold, type BuiltSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';
import { startServer as startServerProcess, type ServerProc } from '../support/processes';
import { portFree } from '../../server/src/db/embedded';

// a port of its own: a fixed one may be held by another run's server on a shared machine (then every request reaches that one)
let PORT = 3420;
let BASE = '';
let fake: FakeTwilio;
let db: Knex;
let dbUrl: string;
let dataDir: string;
let child: ServerProc | undefined;

beforeAll(async () => {
  while (!(await portFree(PORT))) PORT++;
  BASE = `http://127.0.0.1:${PORT}`;
  fake = await startFakeTwilio();
  dbUrl = await isolatedDatabaseUrl('shutdown');
  db = createDb(dbUrl, 4);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-shutdown-'));
});
afterAll(async () => {
  await child?.kill('SIGKILL');
  await db.destroy();
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const startServer = () =>
  startServerProcess({
    DATABASE_URL: dbUrl,
    DEMO_SEED: 'false',
    SERVE_UI: 'false',
    PORT: String(PORT),
    PUBLIC_URL: BASE,
    DATA_DIR: dataDir,
    APP_SECRET: 'shutdown-test-secret-shutdown-test-secret',
    LOG_LEVEL: 'info',
    SOCKET_SWEEP_MS: '0',
    ...fake.env(),
    SMS_SEND_TIMEOUT_MS: '8000',
    SMS_RETRY_BASE_MS: '150',
    SMS_RETRY_MAX_MS: '600',
  });

async function checkIn(site: BuiltSite, fam: BuiltHousehold) {
  const r = await fetch(`${BASE}/api/checkins`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.tokens.kiosk}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() }),
  });
  expect(r.status).toBe(201);
  return (await r.json()) as { batchId: string };
}
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);

test('SIGTERM while Twilio is still answering a send: the server waits for it, exits 0, and nothing is lost or doubled after a restart', async () => {
  const site = await buildSite(db);
  const [a, b] = [await buildHousehold(db, site.siteId), await buildHousehold(db, site.siteId)];
  child = await startServer();
  fake.hold(true);
  const { batchId } = await checkIn(site, a);
  await waitFor(() => sentTo(a.phone).length === 1, 10_000, 'the receipt reached Twilio (held)');

  const exited = child.kill('SIGTERM');
  // still running while the send is unanswered: it does not drop the message mid-send — it says it
  // waits for the send, and answers a request after saying so
  await child.waitFor(/waiting for SMS sends in flight before stopping/, 10_000);
  expect((await fetch(`${BASE}/healthz`)).status).toBe(200);
  expect(child.child.exitCode).toBeNull();
  fake.hold(false);
  await exited;
  expect(child.child.exitCode).toBe(0);
  const row = await db('notifications').where({ batch_id: batchId }).first();
  expect(['queued', 'sent', 'delivered']).toContain(row.status);

  // after a restart: the next family's receipt goes out (a marker: the dispatcher has run), the first is not sent again
  child = await startServer();
  await checkIn(site, b);
  await waitFor(() => sentTo(b.phone).length === 1, 10_000, 'the receipt after the restart');
  expect(sentTo(a.phone)).toHaveLength(1);
  // and every outcome is recorded (the second send's answer may still be on its way to the row)
  await waitFor(async () => (await db('notifications').whereIn('status', ['pending', 'sending'])).length === 0, 10_000, 'all outcomes recorded');
  await child.kill('SIGTERM');
});
