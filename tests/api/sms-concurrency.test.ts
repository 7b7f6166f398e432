/**
 * Two dispatchers (separate connection pools, as two server instances would have) drain 1,000
 * queued messages through the real SDK: every row is sent exactly once, and both take part.
 */
import type { Knex } from 'knex';
import { createLogger } from '../../server/src/logger';
import { createDispatcher, type Dispatcher } from '../../server/src/notifications/dispatcher';
import { twilioTransport, type SmsTransport } from '../../server/src/notifications/transport';
import { createDb } from '../../server/src/db/knex';
import { isolatedDatabaseUrl } from '../support/db';
import { buildSite } from '../support/factories';
import { startFakeTwilio, waitFor, type FakeTwilio } from '../../server/src/dev/fake-twilio';

const N = 1000;
let fake: FakeTwilio;
const pools: Knex[] = [];
const dispatchers: Dispatcher[] = [];
beforeAll(async () => {
  fake = await startFakeTwilio({ callbacks: false });
});
afterAll(async () => {
  for (const d of dispatchers) await d.stop();
  for (const p of pools) await p.destroy();
  await fake.close();
});

test(`two dispatchers over ${N} queued rows send each exactly once`, async () => {
  const url = await isolatedDatabaseUrl('smsconc'); // only these 1,000 rows are due there
  const db = createDb(url, 5);
  pools.push(db);
  const site = await buildSite(db);
  const phones = Array.from({ length: N }, (_, i) => `+1555${2_000_001 + i}` /* never ...0000: the fake's invalid numbers */);
  for (let i = 0; i < N; i += 250) {
    await db('notifications').insert(
      phones.slice(i, i + 250).map((to, j) => ({ site_id: site.siteId, guardian_id: null, to, kind: 'page', body: `Message ${i + j}` })),
    );
  }
  const sentBy = [0, 0];
  for (const which of [0, 1]) {
    const pool = createDb(url, 6);
    pools.push(pool);
    const real = twilioTransport({ accountSid: fake.accountSid, authToken: fake.authToken, from: fake.from, apiBase: fake.url, timeoutMs: 10_000 });
    const counted: SmsTransport = {
      ...real,
      send: async (m) => {
        const r = await real.send(m);
        sentBy[which]!++;
        return r;
      },
    };
    dispatchers.push(
      createDispatcher({
        db: pool,
        logger: createLogger('silent'),
        secret: Buffer.from('x'.repeat(32)),
        publish: () => {},
        transport: counted,
        publicBase: 'http://127.0.0.1:9',
        maxAttempts: 5,
        retryBaseMs: 50,
        retryMaxMs: 200,
        leaseMs: 40_000,
        concurrency: 8,
        pollMs: 100,
      }),
    );
  }
  const started = Date.now();
  for (const d of dispatchers) d.start();
  await waitFor(
    async () => {
      const [row] = await db('notifications').where({ site_id: site.siteId }).whereIn('status', ['pending', 'sending']).count<{ n: number }[]>('* as n');
      return Number(row?.n) === 0;
    },
    // quiet, it takes a few seconds; the bound is for a machine shared with other work
    180_000,
    'every row sent or failed',
    200,
  );
  const elapsed = Date.now() - started;

  const mine = fake.messages.filter((m) => m.body.startsWith('Message '));
  expect(mine).toHaveLength(N);
  expect(new Set(mine.map((m) => m.to)).size).toBe(N);
  expect(sentBy[0]! + sentBy[1]!).toBe(N);
  expect(sentBy[0]).toBeGreaterThan(0);
  expect(sentBy[1]).toBeGreaterThan(0);
  const rows = await db('notifications').where({ site_id: site.siteId });
  expect(rows.filter((r) => r.status !== 'queued')).toEqual([]);
  expect(rows.every((r) => r.attempts === 1 && r.provider_id)).toBe(true);
  const bySid = new Map(mine.map((m) => [m.sid, m]));
  expect(rows.every((r) => bySid.get(r.provider_id)?.to === r.to)).toBe(true);
  process.stderr.write(`[sms] ${N} messages by two dispatchers in ${elapsed} ms (${sentBy.join(' + ')})\n`);
}, 240_000);
