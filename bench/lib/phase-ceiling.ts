/**
 * The ceilings on PostgreSQL's side, no server: pgbench -f of the check-in's own minimal writes
 * (bench/lib/pgbench.ts), the candidates against it (--ceiling-only --candidates), and
 * pgbench TPC-B on the same machine.
 */
import os from 'node:os';
import path from 'node:path';
import { PGBENCH_DB } from './db';
import { writeResult } from './measure';
import { CAPACITY, CEILING_CLIENTS, log, PLAN, REPEAT } from './options';
import { CEILING_CANDIDATES, pgbenchCeiling, pgbenchTpcb, prepareCeiling } from './pgbench';
import type { usageMeter } from './proc';
import { repeated, resetCheckins, settle } from './repeat';
import { round } from './stats';

type Meter = ReturnType<typeof usageMeter>;

/**
 * --ceiling-only --candidates: the candidates measured on PostgreSQL's side: each script
 * changes one thing against the check-in ceiling; run interleaved (A B C … A B C …) so drift on
 * the machine hits all alike. → bench/results/candidates.json
 */
export async function ceilingCandidates(url: string, meter: Meter, meta: { startedAt: string; postgres: string; cpus: number }) {
  const families = await prepareCeiling(url);
  const runs = new Map<string, Record<string, unknown>[]>(CEILING_CANDIDATES.map((c) => [c.name, []]));
  for (let rep = 1; rep <= REPEAT; rep++) {
    for (const c of CEILING_CANDIDATES) {
      await resetCheckins(url, CAPACITY);
      await settle(url, { vacuum: 'checkin-tables' });
      const m = meter.start();
      const r = await pgbenchCeiling(url, {
        clients: CEILING_CLIENTS,
        seconds: PLAN.pgbenchSeconds,
        scriptPath: path.join(os.tmpdir(), `kc-bench-${c.name}.sql`),
        families,
        script: c.script,
        scriptName: `CEILING_CANDIDATES ${c.name}`,
      });
      const u = m.stop();
      if ('error' in r) throw new Error(r.error);
      const checkinsPerSec = r.tps * c.checkinsPerTx;
      runs.get(c.name)!.push({
        ...r,
        checkinsPerSec,
        childrenPerSec: Math.round(r.tps * r.childrenPerTx),
        walBytesPerCheckin: r.walBytesPerTx != null ? Math.round(r.walBytesPerTx / c.checkinsPerTx) : null,
        postgresCpuMsPerCheckin: u.postgresCpuPct != null && checkinsPerSec ? round((u.postgresCpuPct * 10) / checkinsPerSec, 2) : null,
        otherCpuPct: u.otherCpuPct,
      });
      log(`  ${c.name} (run ${rep}): ${r.tps} tps = ${checkinsPerSec} check-ins/s, ${r.walBytesPerTx} B WAL per transaction, other CPU ${u.otherCpuPct} %`);
    }
  }
  const out = {
    ...meta,
    clients: CEILING_CLIENTS,
    seconds: PLAN.pgbenchSeconds,
    repetitions: REPEAT,
    candidates: CEILING_CANDIDATES.map((c) => ({ name: c.name, what: c.what, checkinsPerTx: c.checkinsPerTx, ...repeated(runs.get(c.name)!) })),
  };
  writeResult('candidates.json', out);
}

/** --ceiling-only: a development aid, the check-in ceiling alone (pgbench -f), no server. */
export async function ceilingOnly(url: string, meter: Meter) {
  const families = await prepareCeiling(url);
  const runs: Record<string, unknown>[] = [];
  for (let rep = 1; rep <= REPEAT; rep++) {
    await resetCheckins(url, CAPACITY);
    await settle(url, { vacuum: 'checkin-tables' });
    const m = meter.start();
    const r = await pgbenchCeiling(url, {
      clients: CEILING_CLIENTS,
      seconds: PLAN.pgbenchSeconds,
      scriptPath: path.join(os.tmpdir(), 'kc-bench-ceiling.sql'),
      families,
    });
    const u = m.stop();
    const tps = 'tps' in r ? r.tps : 0;
    const run = { ...r, usage: u, postgresCpuMsPerTx: u.postgresCpuPct != null && tps ? round((u.postgresCpuPct * 10) / tps, 2) : null };
    log(`  ${JSON.stringify(run)}`);
    runs.push(run);
  }
  process.stdout.write(`${JSON.stringify({ checkinCeiling: repeated(runs) }, null, 2)}\n`);
}

/**
 * The two ceilings of a full run on the same PostgreSQL and machine (server stopped): pgbench -f of
 * the check-in's own minimal writes on the bench's tables, with as many clients as the server has
 * connections to PostgreSQL, and pgbench TPC-B; each repeated from a fresh state.
 */
export async function ceilings(url: string, adminUrl: string, pgMeter: Meter, fresh: (what: string) => Promise<unknown>) {
  const families = await prepareCeiling(url);
  const ceilingRuns: Record<string, unknown>[] = [];
  const tpcbRuns: Record<string, unknown>[] = [];
  let pgbError: string | null = null;
  for (let rep = 1; rep <= REPEAT && !pgbError; rep++) {
    await fresh(`ceiling run ${rep}`);
    log(`pgbench -f (the check-in's minimal writes), ${CEILING_CLIENTS} clients, ${PLAN.pgbenchSeconds} s (run ${rep} of ${REPEAT})…`);
    const mm = pgMeter.start();
    const ceil = await pgbenchCeiling(url, {
      clients: CEILING_CLIENTS,
      seconds: PLAN.pgbenchSeconds,
      scriptPath: path.join(os.tmpdir(), 'kc-bench-ceiling.sql'),
      families,
    }).catch((e: Error) => ({ error: e.message }));
    if ('error' in ceil) {
      pgbError = ceil.error;
      log(`  pgbench: ${ceil.error}`);
      break;
    }
    const cu = mm.stop();
    ceilingRuns.push({
      ...ceil,
      usage: cu,
      postgresCpuMsPerTx: cu.postgresCpuPct != null && ceil.tps ? round((cu.postgresCpuPct * 10) / ceil.tps, 2) : null,
    });
    log(`  ${ceil.tps} tps (${ceil.childrenPerTx} children per transaction, ${ceil.walBytesPerTx} B WAL each, other CPU ${cu.otherCpuPct} %)`);
  }
  // TPC-B after every check-in ceiling run: its 150 MB of accounts would push the bench's own
  // tables out of shared_buffers, and the ceiling would then read them back from the OS (the
  // app's phases run with a warm cache, so the ceiling must too)
  for (let rep = 1; rep <= REPEAT && !pgbError; rep++) {
    await settle(url, { vacuum: 'none' });
    log(`pgbench TPC-B scale 10, 8 clients, ${PLAN.pgbenchSeconds} s (run ${rep} of ${REPEAT})…`);
    const mm = pgMeter.start();
    const pgb = await pgbenchTpcb(adminUrl, PGBENCH_DB, { scale: 10, clients: 8, seconds: PLAN.pgbenchSeconds, init: rep === 1 }).catch((e: Error) => ({
      error: e.message,
    }));
    if ('error' in pgb) {
      pgbError = pgb.error;
      log(`  pgbench: ${pgb.error}`);
      break;
    }
    tpcbRuns.push({ ...pgb, usage: mm.stop() });
    log(`  ${pgb.tps} tps`);
  }
  return { ceilingRuns, tpcbRuns, pgbError };
}
