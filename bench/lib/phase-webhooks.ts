/**
 * --webhooks-only (issue 32): the check-in path with 3 webhooks subscribed vs none; the receivers,
 * subscriptions and the outbox's drain are bench/lib/webhooks.ts. → bench/results/webhooks.json
 * With --webhooks-queued a third mode, `queued`: three endpoints subscribed but the deliveries not
 * due (written, never sent during the run), which splits the outbox write from the delivery work.
 * Besides throughput (noisy when the machine is shared), each run reports the CPU the server and
 * PostgreSQL spent per child checked in, in the window and, for `three`, until the outbox was
 * empty (deliveries a paced dispatcher sends after the window are counted there).
 */
import os from 'node:os';
import type { RunCtx } from './context';
import { saturate } from './load';
import { writeResult } from './measure';
import { CONNECTIONS, PLAN, flag, quick, REPEAT, log } from './options';
import { round } from './stats';
import { drainDeliveries, holdDeliveries, startReceivers, subscribeAll, walPosition } from './webhooks';
import type { Usage } from './proc';

/** CPU ms (server, PostgreSQL, both) per child checked in. */
const perChild = (u: Usage, children: number) => {
  const ms = (pct: number | null) => (children ? round((((pct ?? 0) / 100) * u.seconds * 1000) / children, 2) : null);
  return { server: ms(u.serverCpuPct), postgres: ms(u.postgresCpuPct), total: ms(u.serverCpuPct + (u.postgresCpuPct ?? 0)) };
};
import { workQueues } from './work';

export async function webhooksOnly(ctx: RunCtx, appSecret: string, stopServer: () => Promise<void>, meta: { startedAt: string; postgres: string }) {
  const { url, baseUrl, seeded, meter, checkinReq, fresh } = ctx;
  const { startedAt, postgres } = meta;
  // issue 32: the check-in path with 3 webhooks subscribed vs none, interleaved (none, 3, none, 3 …)
  // so drift on the machine hits both alike; after each subscribed run, how long the outbox takes to empty
  const receivers = await startReceivers(3);
  const modes = flag('webhooks-queued') ? (['none', 'queued', 'three'] as const) : (['none', 'three'] as const);
  const runs: Record<string, Record<string, unknown>[]> = Object.fromEntries(modes.map((m) => [m, []]));
  try {
    for (let rep = 1; rep <= REPEAT; rep++) {
      for (const mode of modes) {
        const endpoints = await subscribeAll(url, appSecret, mode === 'none' ? [] : receivers.urls);
        await holdDeliveries(url, mode === 'queued');
        await fresh(`webhooks ${mode}, repetition ${rep}`);
        const wal0 = await walPosition(url);
        const m = meter.start();
        const whole = meter.start();
        const sat = await saturate(baseUrl, { connections: CONNECTIONS, seconds: PLAN.satSeconds, next: checkinReq(workQueues(seeded).main) });
        const usage = m.stop();
        const wal1 = await walPosition(url);
        const drained = mode === 'three' ? await drainDeliveries(url) : null;
        const untilEmpty = whole.stop();
        const wal2 = await walPosition(url);
        // WAL bytes per child: what PostgreSQL wrote, which a busy machine does not change
        const walBytesPerChild = sat.children
          ? { window: Math.round((wal1 - wal0) / sat.children), untilEmpty: Math.round((wal2 - wal0) / sat.children) }
          : null;
        const cpuMsPerChild = perChild(usage, sat.children);
        runs[mode]!.push({
          childrenPerSec: sat.childrenPerSec,
          requestsPerSec: sat.requestsPerSec,
          latencyMs: sat.latencyMs,
          non2xx: sat.non2xx,
          endpoints,
          drained,
          usage,
          cpuMsPerChild,
          cpuMsPerChildUntilEmpty: drained ? perChild(untilEmpty, sat.children) : cpuMsPerChild,
          walBytesPerChild,
        });
        log(
          `  ${mode}: ${sat.childrenPerSec} children/s, ${cpuMsPerChild.total} CPU ms per child (server ${cpuMsPerChild.server}, PostgreSQL ${cpuMsPerChild.postgres}), WAL ${walBytesPerChild?.untilEmpty} B per child, others ${usage.otherCpuPct} %${drained ? `, outbox emptied ${drained.seconds} s after (${drained.delivered} delivered, ${drained.failed} failed)` : ''}`,
        );
      }
    }
  } finally {
    await holdDeliveries(url, false);
    await receivers.close();
  }
  await stopServer();
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const none = median(runs.none!.map((r) => r.childrenPerSec as number));
  const three = median(runs.three!.map((r) => r.childrenPerSec as number));
  const cpu = (mode: string, key: string) => median((runs[mode] ?? []).map((r) => (r[key] as { total: number }).total));
  const wal = (mode: string) => median((runs[mode] ?? []).map((r) => (r.walBytesPerChild as { untilEmpty: number } | null)?.untilEmpty ?? 0));
  const cpuMsPerChild = Object.fromEntries(
    modes.map((m) => [m, { window: cpu(m, 'cpuMsPerChild'), untilEmpty: cpu(m, 'cpuMsPerChildUntilEmpty'), walBytesPerChild: wal(m) }]),
  );
  const out = {
    bench: 'kids-club-checkin',
    mode: quick ? 'quick (webhooks only; not quotable)' : 'webhooks only',
    startedAt,
    repetitions: REPEAT,
    machine: { nproc: os.cpus().length, node: process.version, postgres, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    webhooks: {
      childrenPerSec: { none, three, ratio: none ? round(three / none, 3) : null },
      ...(runs.queued ? { queuedChildrenPerSec: median(runs.queued.map((r) => r.childrenPerSec as number)) } : {}),
      // the server's and PostgreSQL's CPU per child (medians): less sensitive to a shared machine than throughput
      cpuMsPerChild,
      receivedByReceivers: receivers.received(),
      runs,
    },
  };
  writeResult('webhooks.json', out);
}
