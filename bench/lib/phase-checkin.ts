/**
 * The check-in phases of a full run, repeated REPEAT times from a fresh state: latency at a fixed
 * 200/s (open loop), throughput at saturation, the same 200/s right after the burst, household
 * lookup by last 4, and the rooms-full refusal path. --throughput-only runs the saturation alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunCtx } from './context';
import { adminQuery, countCheckins, ROOT } from './db';
import { openLoop, saturate, type Req } from './load';
import { cpuPerCheckin, maintenanceRuns, maintenanceSince, walBytesSince, walLsn } from './measure';
import { CONNECTIONS, flag, FULL_SECONDS, LATENCY_RATE, log, LOOKUP_RATE, PLAN, REPEAT } from './options';
import { round } from './stats';
import { workQueues } from './work';

export async function checkinPhases(ctx: RunCtx) {
  const { url, baseUrl, seeded, meter, usages, checkinReq, fresh } = ctx;
  const latRuns: Record<string, unknown>[] = [];
  const satRuns: Record<string, unknown>[] = [];
  const afterRuns: Record<string, unknown>[] = [];
  const lookupRuns: Record<string, unknown>[] = [];
  const fullRuns: Record<string, unknown>[] = [];
  let found = 0;
  let work = workQueues(seeded);
  for (let rep = 1; rep <= REPEAT; rep++) {
    log(`— repetition ${rep} of ${REPEAT} —`);
    const settled = await fresh(`repetition ${rep}`);
    work = workQueues(seeded);
    // 1. latency at a fixed 200 check-ins/s, open loop, in a steady state (before the saturation
    // run: right after one, PostgreSQL's autovacuum and checkpoint work on the rows it wrote
    // lengthen the tail for a while, which is not the 200/s steady state the target is about)
    let m = meter.start();
    if (!flag('throughput-only')) {
      log(`check-in latency at ${LATENCY_RATE}/s open loop for ${PLAN.latSeconds} s…`);
      const mt0 = await maintenanceRuns(url);
      const lat = await openLoop(baseUrl, { rate: LATENCY_RATE, seconds: PLAN.latSeconds, next: checkinReq(work.main) });
      usages.latency = m.stop();
      latRuns.push({ ...lat, usage: usages.latency, settled, maintenance: await maintenanceSince(url, mt0) });
      log(`  p50 ${lat.latencyMs.p50} ms, p99 ${lat.latencyMs.p99} ms (other CPU ${usages.latency.otherCpuPct} %)`);
    }

    // 2. throughput at saturation
    log(`check-in saturation: ${CONNECTIONS} kiosk clients for ${PLAN.satSeconds} s…`);
    const before = await countCheckins(url);
    const wal0 = await walLsn(url);
    if (flag('pg-stats'))
      await adminQuery(url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements').then(() => adminQuery(url, 'SELECT pg_stat_statements_reset()'));
    const mt1 = await maintenanceRuns(url);
    m = meter.start();
    const sat = await saturate(baseUrl, { connections: CONNECTIONS, seconds: PLAN.satSeconds, next: checkinReq(work.main) });
    usages.throughput = m.stop();
    const maintenance = await maintenanceSince(url, mt1);
    const inserted = (await countCheckins(url)) - before;
    const walBytes = await walBytesSince(url, wal0);
    let statementsPerCheckin: number | null = null;
    if (flag('pg-stats')) {
      const top = await adminQuery(
        url,
        // track = all (bench/lib/db.ts): statements run by triggers and functions are listed too (toplevel false)
        `SELECT toplevel, calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, round(mean_plan_time::numeric, 3) AS mean_plan_ms, rows, wal_bytes, round(shared_blks_hit::numeric / greatest(calls, 1), 1) AS blocks_per_call, left(regexp_replace(query, '\\s+', ' ', 'g'), 400) AS query
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time + total_plan_time DESC LIMIT 60`,
      );
      const calls = top
        .filter((s) => s.toplevel && !/pg_current_wal_lsn|count\(\*\)::int AS n FROM checkins|pg_stat_statements/.test(String(s.query)))
        .reduce((n, s) => n + Number(s.calls), 0);
      statementsPerCheckin = round(calls / Math.max(1, sat.ok), 2);
      fs.writeFileSync(
        path.join(ROOT, 'bench/results/pg-statements.json'),
        `${JSON.stringify({ repetition: rep, checkins: sat.ok, statementsPerCheckin, statements: top }, null, 2)}\n`,
      );
      log(`  pg_stat_statements of the saturation run → bench/results/pg-statements.json (${statementsPerCheckin} statements per check-in)`);
    }
    log(
      `  ${sat.childrenPerSec} children/s (${sat.requestsPerSec} check-ins/s), non-2xx ${sat.non2xx}, errors ${sat.errors}; CPU/check-in ${cpuPerCheckin(usages.throughput, sat.requestsPerSec).total} ms (other CPU ${usages.throughput.otherCpuPct} %; autovacuum ${maintenance.autovacuum}, autoanalyze ${maintenance.autoanalyze} passes during it)`,
    );
    satRuns.push({
      childrenPerSec: sat.childrenPerSec,
      checkinsPerSec: sat.requestsPerSec,
      childrenPerCheckin: round(sat.children / Math.max(1, sat.ok), 2),
      concurrentKiosks: CONNECTIONS,
      seconds: sat.seconds,
      ok: sat.ok,
      non2xx: sat.non2xx,
      errors: sat.errors,
      timeouts: sat.timeouts,
      refusedChildren: sat.refused,
      rowsInserted: inserted,
      latencyMs: sat.latencyMs,
      usage: usages.throughput,
      cpuMsPerCheckin: cpuPerCheckin(usages.throughput, sat.requestsPerSec),
      walBytesPerCheckin: Math.round(walBytes / Math.max(1, sat.ok)),
      // autovacuum/autoanalyze passes PostgreSQL ran on the bench's tables during the phase (their CPU counts as PostgreSQL's)
      maintenance,
      ...(statementsPerCheckin != null ? { statementsPerCheckin } : {}),
    });
    if (flag('throughput-only')) continue; // a development aid: profile the check-in path alone

    // the same 200/s right after the burst, while PostgreSQL works off what it wrote (reported apart)
    log(`check-in latency at ${LATENCY_RATE}/s right after the saturation run, ${PLAN.afterBurstSeconds} s…`);
    m = meter.start();
    const afterBurst = await openLoop(baseUrl, { rate: LATENCY_RATE, seconds: PLAN.afterBurstSeconds, next: checkinReq(work.main) });
    usages.afterBurst = m.stop();
    afterRuns.push({ latencyMs: afterBurst.latencyMs, achievedRate: afterBurst.achievedRate, errors: afterBurst.errors, usage: usages.afterBurst });
    log(`  p50 ${afterBurst.latencyMs.p50} ms, p99 ${afterBurst.latencyMs.p99} ms`);

    // 3. household lookup by last 4
    log(`household lookup by last 4 at ${LOOKUP_RATE}/s for ${PLAN.lookupSeconds} s…`);
    let li = 0;
    found = 0;
    m = meter.start();
    const lookup = await openLoop(baseUrl, {
      rate: LOOKUP_RATE,
      seconds: PLAN.lookupSeconds,
      next: () => {
        const l = seeded.last4[li++ % seeded.last4.length]!;
        const tokens = seeded.kioskTokens.get(l.siteId)!;
        const service = seeded.services.get(l.siteId)![0]!;
        return { method: 'GET', path: `/api/households?phone=${l.last4}&serviceId=${service}`, headers: { authorization: `Bearer ${tokens[0]}` } };
      },
      onBody: (status, body) => {
        if (status === 200) found += (JSON.parse(body) as { households: unknown[] }).households.length;
      },
    });
    usages.lookup = m.stop();
    lookupRuns.push({ ...lookup, householdsFound: found, usage: usages.lookup });
    log(`  p50 ${lookup.latencyMs.p50} ms, p99 ${lookup.latencyMs.p99} ms`);

    // 3b. rooms full: every room of one service of the last site is at its limit (capacity 0, so
    // regular and overflow rooms are locked and counted and every child is refused room_full);
    // the refusal path must be as fast as an admission (DESIGN §9)
    log(`rooms full: the refusal path at ${LATENCY_RATE}/s for ${FULL_SECONDS} s, then ${CONNECTIONS} clients for ${FULL_SECONDS} s…`);
    await adminQuery(url, 'UPDATE service_rooms SET capacity = 0 WHERE service_id = $1', [work.fullServiceId]);
    let fi = 0;
    const fullReq = (): Req => {
      const p = work.full[fi++ % work.full.length]!;
      return checkinReq([p])()!;
    };
    m = meter.start();
    const fullLat = await openLoop(baseUrl, { rate: LATENCY_RATE, seconds: FULL_SECONDS, next: fullReq });
    usages.fullLatency = m.stop();
    m = meter.start();
    const fullSat = await saturate(baseUrl, { connections: CONNECTIONS, seconds: FULL_SECONDS, next: fullReq });
    usages.fullThroughput = m.stop();
    const admissionP99 = (latRuns[latRuns.length - 1]?.latencyMs as { p99: number | null } | undefined)?.p99;
    fullRuns.push({
      latencyAt200PerSec: {
        latencyMs: fullLat.latencyMs,
        achievedRate: fullLat.achievedRate,
        errors: fullLat.errors,
        statuses: fullLat.statuses,
        usage: usages.fullLatency,
      },
      saturation: {
        checkinsPerSec: fullSat.requestsPerSec,
        refusedChildren: fullSat.refused,
        admittedChildren: fullSat.children,
        non2xx: fullSat.non2xx,
        errors: fullSat.errors,
        latencyMs: fullSat.latencyMs,
        usage: usages.fullThroughput,
        cpuMsPerCheckin: cpuPerCheckin(usages.fullThroughput, fullSat.requestsPerSec),
      },
      p99RatioToAdmissionAt200PerSec: admissionP99 && fullLat.latencyMs.p99 != null ? round(fullLat.latencyMs.p99 / admissionP99, 2) : null,
    });
    log(
      `  p50 ${fullLat.latencyMs.p50} ms, p99 ${fullLat.latencyMs.p99} ms; ${fullSat.requestsPerSec} refusals/s (${fullSat.refused} children refused, ${fullSat.children} admitted)`,
    );
  }
  return { latRuns, satRuns, afterRuns, lookupRuns, fullRuns };
}
