/** Event push (DESIGN §9): 500 staff sockets in child processes (bench/lib/push-clients.ts), REPEAT windows from a fresh state. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunCtx } from './context';
import { openLoop } from './load';
import { log, PLAN, PUSH_PROCESSES, PUSH_RATE, PUSH_SOCKETS, REPEAT } from './options';
import { percentiles } from './stats';
import { workQueues } from './work';

export async function pushPhase(ctx: RunCtx) {
  const { baseUrl, seeded, meter, usages, checkinReq, fresh } = ctx;
  // 4. event push to 500 staff sockets (connected once; REPEAT windows, each from a fresh state)
  log(`event push: connecting ${PUSH_SOCKETS} staff sockets…`);
  // the sockets live in PUSH_PROCESSES child processes (500 devices are not one event loop)
  const groups = Array.from({ length: PUSH_PROCESSES }, (_, i) => seeded.staffTokens.filter((_t, j) => j % PUSH_PROCESSES === i));
  const clients = groups.map(() =>
    fork(path.join(__dirname, 'push-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const reply = <T>(child: ChildProcess, key: string) =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`push clients: no ${key} within 60 s`)), 60_000);
      const on = (msg: Record<string, unknown>) => {
        if (key in msg) {
          clearTimeout(t);
          child.off('message', on);
          resolve(msg as T);
        }
      };
      child.on('message', on);
    });
  const pushRuns: Record<string, unknown>[] = [];
  try {
    const readyP = Promise.all(clients.map((c) => reply<{ ready: { connected: number; failed: number; ms: number } }>(c, 'ready')));
    clients.forEach((c, i) => c.send({ start: { url: baseUrl, tokens: groups[i] } }));
    const readies = (await readyP).map((r) => r.ready);
    const ready = {
      connected: readies.reduce((n, r) => n + r.connected, 0),
      failed: readies.reduce((n, r) => n + r.failed, 0),
      ms: Math.max(...readies.map((r) => r.ms)),
    };
    log(`  ${ready.connected} connected in ${ready.ms} ms (${PUSH_PROCESSES} client processes)`);
    for (let rep = 1; rep <= REPEAT; rep++) {
      await fresh(`push window ${rep}`);
      const pushWork = workQueues(seeded).push;
      log(`  push window ${rep} of ${REPEAT}: ${PUSH_RATE} check-ins/s for ${PLAN.pushSeconds} s at the first site…`);
      const m = meter.start();
      const sent = await openLoop(baseUrl, { rate: PUSH_RATE, seconds: PLAN.pushSeconds, next: checkinReq(pushWork) });
      await new Promise((r) => setTimeout(r, 1000));
      usages.push = m.stop();
      const doneP = Promise.all(clients.map((c) => reply<{ samples: number[]; perSocket: number[] }>(c, 'samples')));
      for (const c of clients) c.send({ take: true });
      const done = await doneP;
      const samples = done.flatMap((d) => d.samples);
      const perSocket = done.flatMap((d) => d.perSocket);
      const events = sent.statuses['201'] ?? 0;
      const p = percentiles(samples);
      pushRuns.push({
        sockets: PUSH_SOCKETS,
        clientProcesses: PUSH_PROCESSES,
        connected: ready.connected,
        connectMs: ready.ms,
        checkinsPerSec: PUSH_RATE,
        events,
        expectedDeliveries: events * ready.connected,
        deliveries: samples.length,
        socketsMissingEvents: perSocket.filter((n) => n < events).length,
        latencyMs: p,
        clock: 'receipt Date.now() − event.at (stamped inside the transaction just before COMMIT; same machine clock, 1 ms resolution)',
        checkinLatencyMs: sent.latencyMs,
        usage: usages.push,
      });
      log(`  ${samples.length}/${events * ready.connected} deliveries, p50 ${p.p50} ms, p99 ${p.p99} ms`);
    }
  } finally {
    for (const c of clients) if (c.exitCode == null) c.kill('SIGKILL');
  }
  return pushRuns;
}
