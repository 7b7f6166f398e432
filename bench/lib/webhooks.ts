/**
 * The webhooks phase (issue 32): check-in throughput with 3 webhook endpoints subscribed to every
 * event of every organisation, against local receivers answering 204, versus none. The endpoints
 * are written straight into the database with their secrets sealed under the server's APP_SECRET,
 * as the API would (server/src/webhooks/webhook-secrets.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { WEBHOOK_EVENTS } from '../../contracts/webhooks';
import { newWebhookSecret, sealSecret } from '../../server/src/webhooks/webhook-secrets';

export interface Receivers {
  urls: string[];
  received(): number;
  close(): Promise<void>;
}

export async function startReceivers(n: number): Promise<Receivers> {
  let count = 0;
  const servers: http.Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    servers.push(s);
    urls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}/hook/${i}`);
  }
  return {
    urls,
    received: () => count,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Subscribes every organisation to every event at each URL (replacing what was there); [] unsubscribes. */
export async function subscribeAll(url: string, appSecret: string, urls: string[]): Promise<number> {
  return withClient(url, async (c) => {
    // the tables locked in the order a check-in takes them (it reads the endpoints, then writes a
    // delivery): a TRUNCATE of both at once could deadlock with a check-in still finishing
    await c.query('BEGIN');
    await c.query('LOCK TABLE webhook_endpoints IN ACCESS EXCLUSIVE MODE');
    await c.query('LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE');
    await c.query('TRUNCATE webhook_deliveries, webhook_endpoints');
    await c.query('COMMIT');
    if (!urls.length) return 0;
    const { rows } = await c.query<{ id: string }>('SELECT id FROM organizations');
    for (const org of rows)
      for (const u of urls)
        await c.query('INSERT INTO webhook_endpoints (organization_id, url, events, secret_enc) VALUES ($1, $2, $3, $4)', [
          org.id,
          u,
          [...WEBHOOK_EVENTS],
          sealSecret(Buffer.from(appSecret, 'utf8'), newWebhookSecret()),
        ]);
    return rows.length * urls.length;
  });
}

/**
 * `--webhooks-queued`: deliveries are written as usual but not due for an hour (the outbox's
 * default), so the dispatcher finds nothing to send: the check-in's own outbox write, without
 * the delivery work. `false` puts the default back.
 */
export async function holdDeliveries(url: string, hold: boolean): Promise<void> {
  await withClient(url, (c) =>
    c.query(`ALTER TABLE webhook_deliveries ALTER COLUMN next_attempt_at SET DEFAULT ${hold ? "now() + interval '1 hour'" : 'now()'}`),
  );
}

/** The WAL position (bytes): the bench's PostgreSQL serves the bench alone, so a difference is this run's writes. */
export async function walPosition(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS b`)).rows[0]!.b));
}

/** Waits until no delivery is pending or in flight (at most `ms`); the seconds it took and the counts. */
export async function drainDeliveries(url: string, ms = 120_000): Promise<{ seconds: number; delivered: number; failed: number; left: number }> {
  const t0 = performance.now();
  return withClient(url, async (c) => {
    for (;;) {
      // (a delivery held an hour is one written by a check-in of a `queued` run that finished late)
      const { rows } = await c.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE next_attempt_at < now() + interval '30 minutes' GROUP BY status`,
      );
      const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
      const left = n('pending') + n('sending');
      if (!left || performance.now() - t0 > ms)
        return { seconds: Math.round(performance.now() - t0) / 1000, delivered: n('delivered'), failed: n('failed'), left };
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}
