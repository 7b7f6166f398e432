/**
 * A real server process (tsx server/src/main.ts) killed with SIGKILL and started again resumes
 * what was queued — and a message Twilio had accepted just before the kill is not sent twice.
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
let PORT = 3410;
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
  dbUrl = await isolatedDatabaseUrl('smsrestart');
  db = createDb(dbUrl, 4);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-sms-'));
});
afterAll(async () => {
  await child?.kill('SIGKILL');
  await db.destroy();
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startServer(): Promise<ServerProc> {
  return startServerProcess({
    DATABASE_URL: dbUrl,
    DEMO_SEED: 'false',
    SERVE_UI: 'false',
    PORT: String(PORT),
    PUBLIC_URL: BASE,
    DATA_DIR: dataDir,
    APP_SECRET: 'restart-test-secret-restart-test-secret-0',
    LOG_LEVEL: 'warn',
    ...fake.env(),
    SMS_SEND_TIMEOUT_MS: '2500',
    SMS_RETRY_BASE_MS: '150',
    SMS_RETRY_MAX_MS: '600',
  });
}

async function checkIn(site: BuiltSite, fam: BuiltHousehold) {
  const r = await fetch(`${BASE}/api/checkins`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.tokens.kiosk}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() }),
  });
  expect(r.status).toBe(201);
  return (await r.json()) as { pickupUrl: string; batchId: string };
}
const rowOf = (batchId: string) => db('notifications').where({ batch_id: batchId }).first();
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);

test('SIGKILL mid-outage and mid-send; after a restart everything queued goes out exactly once', async () => {
  const site = await buildSite(db);
  const [a, b, c] = [await buildHousehold(db, site.siteId), await buildHousehold(db, site.siteId), await buildHousehold(db, site.siteId)];

  child = await startServer();
  // the start banner says SMS go through Twilio (stdout may trail the first /healthz answer)
  await waitFor(() => child!.output().includes(`SMS: Twilio (from ${fake.from}, API at ${fake.url})`), 5000, 'the Twilio banner');

  // C: Twilio accepts the message, but the answer never comes back before the crash (well
  // within the 2.5 s request timeout, so the row is still 'sending' when the process dies).
  fake.hold(true);
  const cc = await checkIn(site, c);
  await waitFor(() => sentTo(c.phone).length === 1, 5000, "Twilio to hold C's message");
  // A and B: Twilio is down; their receipts wait in the outbox, retrying.
  fake.setDown(true);
  const ca = await checkIn(site, a);
  const cb = await checkIn(site, b);
  await waitFor(async () => (await rowOf(ca.batchId))?.attempts >= 1 && (await rowOf(cb.batchId))?.attempts >= 1, 5000, 'A and B tried');

  await child.kill('SIGKILL');
  await waitFor(
    async () => {
      try {
        await fetch(`${BASE}/healthz`);
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
  fake.setDown(false);
  fake.hold(false); // the held answer goes nowhere: the process that asked is gone
  await fake.idle(); // and so do the status callbacks for C

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
