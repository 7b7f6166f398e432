/**
 * --webhooks-only (issue 32): the check-in path with 3 webhooks subscribed vs none; the receivers,
 * subscriptions and the outbox's drain are bench/lib/webhooks.ts. → bench/results/webhooks.json
 */
import os from 'node:os';
import type { RunCtx } from './context';
import { saturate } from './load';
import { writeResult } from './measure';
import { CONNECTIONS, PLAN, quick, REPEAT, log } from './options';
import { round } from './stats';
import { drainDeliveries, startReceivers, subscribeAll } from './webhooks';
import { workQueues } from './work';

export async function webhooksOnly(ctx: RunCtx, appSecret: string, stopServer: () => Promise<void>, meta: { startedAt: string; postgres: string }) {
  const { url, baseUrl, seeded, meter, checkinReq, fresh } = ctx;
  const { startedAt, postgres } = meta;
  // issue 32: the check-in path with 3 webhooks subscribed vs none, interleaved (none, 3, none, 3 …)
  // so drift on the machine hits both alike; after each subscribed run, how long the outbox takes to empty
  const receivers = await startReceivers(3);
  const runs: Record<string, Record<string, unknown>[]> = { none: [], three: [] };
  try {
    for (let rep = 1; rep <= REPEAT; rep++) {
      for (const mode of ['none', 'three'] as const) {
        const endpoints = await subscribeAll(url, appSecret, mode === 'none' ? [] : receivers.urls);
        await fresh(`webhooks ${mode}, repetition ${rep}`);
        const m = meter.start();
        const sat = await saturate(baseUrl, { connections: CONNECTIONS, seconds: PLAN.satSeconds, next: checkinReq(workQueues(seeded).main) });
        const usage = m.stop();
        const drained = mode === 'three' ? await drainDeliveries(url) : null;
        runs[mode]!.push({
          childrenPerSec: sat.childrenPerSec,
          requestsPerSec: sat.requestsPerSec,
          latencyMs: sat.latencyMs,
          non2xx: sat.non2xx,
          endpoints,
          drained,
          usage,
        });
        log(
          `  ${mode}: ${sat.childrenPerSec} children/s${drained ? `, outbox emptied ${drained.seconds} s after (${drained.delivered} delivered, ${drained.failed} failed)` : ''}`,
        );
      }
    }
  } finally {
    await receivers.close();
  }
  await stopServer();
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const none = median(runs.none!.map((r) => r.childrenPerSec as number));
  const three = median(runs.three!.map((r) => r.childrenPerSec as number));
  const out = {
    bench: 'kids-club-checkin',
    mode: quick ? 'quick (webhooks only; not quotable)' : 'webhooks only',
    startedAt,
    repetitions: REPEAT,
    machine: { nproc: os.cpus().length, node: process.version, postgres, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    webhooks: { childrenPerSec: { none, three, ratio: none ? round(three / none, 3) : null }, receivedByReceivers: receivers.received(), runs },
  };
  writeResult('webhooks.json', out);
}
