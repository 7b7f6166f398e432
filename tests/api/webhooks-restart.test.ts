/**
 * A real server process (server/src/main.ts) killed with SIGKILL in the middle of a webhook
 * delivery loses nothing: after a restart the delivery left in flight is sent again once its
 * lease runs out, with the same webhook-id, and a check-in made while the first attempt hung is
 * delivered too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { Webhook as Verifier } from 'standardwebhooks';
import { createDb } from '../../server/src/db/knex';
import { portFree } from '../../server/src/db/embedded';
import { waitFor } from '../../server/src/dev/fake-twilio';
import { isolatedDatabaseUrl } from '../support/db';
import { buildHousehold, buildSite, key, type BuiltSite } from '../support/factories';
import { startServer as startServerProcess, type ServerProc } from '../support/processes';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

let PORT = 3460;
let BASE = '';
let db: Knex;
let dbUrl: string;
let dataDir: string;
let child: ServerProc | undefined;
let rx: Receiver;

beforeAll(async () => {
  while (!(await portFree(PORT))) PORT++;
  BASE = `http://127.0.0.1:${PORT}`;
  dbUrl = await isolatedDatabaseUrl('whrestart');
  db = createDb(dbUrl, 4);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-wh-'));
  rx = await startReceiver();
});
afterAll(async () => {
  await child?.kill('SIGKILL');
  await rx.close();
  await db.destroy();
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
    APP_SECRET: 'webhook-restart-secret-webhook-restart-0',
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // the hung first attempt is still in flight (well within 2.5 s) when the process dies; the lease is 4× the timeout
    WEBHOOK_TIMEOUT_MS: '2500',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '200',
  });

async function checkIn(site: BuiltSite) {
  const fam = await buildHousehold(db, site.siteId, [{ months: 24 }]);
  const r = await fetch(`${BASE}/api/checkins`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.tokens.kiosk}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ serviceId: site.serviceId, householdId: fam.householdId, childIds: fam.childIds, idempotencyKey: key() }),
  });
  expect(r.status).toBe(201);
  return (await r.json()) as { batchId: string };
}

test('SIGKILL mid-delivery; after a restart the delivery is sent again with the same webhook-id, and nothing is lost', async () => {
  const site = await buildSite(db);
  await db('users').where({ id: site.userIds.admin }).update({ org_admin: true });
  child = await startServer();
  const created = await fetch(`${BASE}/api/org/webhooks`, {
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
  expect(await db('webhook_deliveries').where({ id }).first()).toMatchObject({ status: 'sending', attempts: 1 });
  await child.kill('SIGKILL');

  child = await startServer();
  const second = await checkIn(site);
  await waitFor(async () => (await db('webhook_deliveries').whereNot({ status: 'delivered' })).length === 0, 30_000, 'every delivery delivered', 100);
  const rows = await db('webhook_deliveries').orderBy('created_at');
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
