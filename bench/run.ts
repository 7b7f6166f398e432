/**
 * `npm run bench -- --import[=N]`: the CSV import alone (N households, default 10,000; households/s
 * and seconds, target under 60 s; see bench/lib/import.ts), on a fresh database, nothing else run.
 * `npm run bench [-- --quick] [-- --profile] [-- --pool=N] [-- --pg-stats] [-- --throughput-only] [-- --latency-only] [-- --keep]`:
 * the performance harness (DESIGN §9). --profile writes the server's CPU profile to bench/results
 * (summarise it with `npx tsx bench/profile-summary.ts`), --pg-stats the saturation run's
 * pg_stat_statements to bench/results/pg-statements.json.
 * `npm run bench -- --webhooks-only [--quick]`: check-in throughput with 3 webhooks subscribed vs
 * none (local receivers), interleaved repetitions, written to bench/results/webhooks.json.
 * `npm run bench -- --photos-only [--quick] [--households=N]`: the photo phase alone (seed, photos,
 * server, GET /api/photos/:id at the pickup rush), written to bench/results/photos.json; with
 * `--quick --households=2000` a smoke run of well under a minute. `--help` lists the options.
 *
 * Starts PostgreSQL (DATABASE_URL, else an embedded one under .data/bench-pg), seeds a fresh
 * database, starts the server as a child process, and measures over real HTTP and real sockets:
 * check-in throughput at saturation, check-in latency at a fixed 200/s (open loop), household
 * lookup by last 4, event push to 500 staff sockets, serving photos at the pickup rush (the child's
 * and the guardians' photos of each verify, bench/lib/photos.ts), a pgbench TPC-B run on the same machine,
 * the server's CPU and memory, and the UIs' bundle sizes and kiosk first paint. Prints one JSON
 * document and writes it to bench/results/latest.json. Progress goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  adminQuery,
  ROOMS_PER_SITE,
  BENCH_DB,
  PGBENCH_DB,
  ROOT,
  migrate,
  postmasterPid,
  recreateDatabase,
  seed,
  serverInfo,
  startBenchPostgres,
} from './lib/db';
import { openLoop, saturate } from './lib/load';
import { startServer, usageMeter, type Usage } from './lib/proc';
import { repeated, resetCheckins, settle } from './lib/repeat';
import { buildUisIfMissing, kioskFirstPaint, uiSizes } from './lib/ui';
import { round } from './lib/stats';
import { benchImport } from './lib/import';
import { seedHistory } from './lib/history';
import { seedPhotos } from './lib/photos';
// forecast (DESIGN §17): --forecast-only
import { benchForecast, FORECAST_DB } from './lib/forecast';
import {
  argv,
  CAPACITY,
  flag,
  HELP,
  HISTORY_EVERY,
  HISTORY_WEEKS,
  KIOSKS_PER_SITE,
  LATENCY_RATE,
  log,
  num,
  PHOTO_FAMILIES,
  PLAN,
  POOL,
  PORT,
  PUSH_SOCKETS,
  quick,
  REPEAT,
  SERVICES_PER_SITE,
  SITES,
} from './lib/options';
import { writeResult } from './lib/measure';
import { checkinRequests, workQueues } from './lib/work';
import type { RunCtx } from './lib/context';
import { photoPhase } from './lib/phase-photos';
import { ceilingCandidates, ceilingOnly, ceilings } from './lib/phase-ceiling';
import { webhooksOnly } from './lib/phase-webhooks';
import { checkinPhases } from './lib/phase-checkin';
import { pushPhase } from './lib/phase-push';

async function main() {
  if (flag('help')) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const pg = await startBenchPostgres(log, { statementStats: flag('pg-stats'), port: num('pg-port', 0) || undefined });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const info = await serverInfo(pg.adminUrl);
    // forecast (DESIGN §17): alone, in a database of its own
    if (flag('forecast-only')) {
      const furl = await recreateDatabase(pg.adminUrl, FORECAST_DB);
      await migrate(furl);
      const forecast = await benchForecast(furl, num('forecast-weeks', 52), log);
      const out = { startedAt: startedAt.toISOString(), postgres: info.version, cpus: os.cpus().length, forecast };
      writeResult('forecast.json', out);
      const o = forecast.overall;
      log(
        `forecast: totals ${o.totalMaePct} % of the mean (target ≤ 10; typical Sundays ${o.typicalTotalMaePct} %, late ${(o.typicalLateShare * 100).toFixed(1)} %), fill ${o.fillMaeMinutes} min (≤ 5), late ${(o.lateShare * 100).toFixed(1)} % (< 10), ${o.msPerServiceForecast} ms per service`,
      );
      if (!flag('keep')) await adminQuery(pg.adminUrl, `DROP DATABASE IF EXISTS "${FORECAST_DB}" WITH (FORCE)`);
      return;
    }
    const url = await recreateDatabase(pg.adminUrl, BENCH_DB);
    await migrate(url);
    const importArg = argv.find((x) => x === '--import' || x.startsWith('--import='));
    if (importArg) {
      const n = importArg.includes('=') ? Number(importArg.split('=')[1]) : 10_000;
      if (!Number.isInteger(n) || n < 1) throw new Error(`--import=N: N must be a positive whole number, not "${importArg.split('=')[1]}"`);
      const csvImport = await benchImport(url, n, log);
      const out = { startedAt: startedAt.toISOString(), postgres: info.version, cpus: os.cpus().length, csvImport };
      writeResult('import.json', out);
      log(`import: ${csvImport.householdsPerSecond} households/s, ${csvImport.seconds} s for ${n.toLocaleString('en-US')} (target < 60 s)`);
      return;
    }
    log(`seeding ${PLAN.households.toLocaleString('en-US')} households across ${SITES} sites × ${SERVICES_PER_SITE} services…`);
    const seeded = await seed(url, {
      households: PLAN.households,
      sites: SITES,
      servicesPerSite: SERVICES_PER_SITE,
      kiosksPerSite: KIOSKS_PER_SITE,
      staffSockets: PUSH_SOCKETS,
    });
    log(`seeded ${seeded.households.length} households, ${seeded.guardians} guardians, ${seeded.children} children in ${seeded.seconds.toFixed(1)} s`);
    // a running church's past Sundays, so that no plan is made against an empty check-in table
    // (not for the photo phase alone: no check-in is made)
    const history = flag('photos-only') ? null : await seedHistory(url, { weeks: HISTORY_WEEKS, every: HISTORY_EVERY });
    if (history)
      log(
        `history: ${history.weeks} past Sundays, ${history.batches.toLocaleString('en-US')} families, ${history.checkins.toLocaleString('en-US')} check-ins in ${history.seconds} s`,
      );
    // photos of the first site's families, as the server stores them (bench/lib/photos.ts)
    const photos = await seedPhotos(url, seeded, { families: PHOTO_FAMILIES });
    log(`photos: ${photos.photos} of ${photos.families} families (mean ${photos.meanBytes} B) in ${photos.seconds} s`);
    // settle before anything is timed: VACUUM ANALYZE, CHECKPOINT, no autovacuum worker running
    const settledAfterSeed = await settle(url, { vacuum: 'all' });
    log(
      `settled: VACUUM ANALYZE ${settledAfterSeed.vacuumMs} ms, CHECKPOINT ${settledAfterSeed.checkpointMs} ms, autovacuum idle after ${settledAfterSeed.autovacuumWaitMs} ms`,
    );

    if (flag('ceiling-only')) {
      const meter = usageMeter(process.pid, postmasterPid(info.dataDirectory));
      if (flag('candidates')) await ceilingCandidates(url, meter, { startedAt: startedAt.toISOString(), postgres: info.version, cpus: os.cpus().length });
      else await ceilingOnly(url, meter);
      return;
    }
    // (the photo phase alone serves no UI: nothing is built for it)
    if (!flag('photos-only'))
      try {
        buildUisIfMissing(log);
      } catch (e) {
        log(`UI build failed: ${(e as Error).message.split('\n')[0]}`);
      }
    const kioskBuilt = fs.existsSync(path.join(ROOT, 'kiosk-ui/dist/index.html'));
    const staffBuilt = fs.existsSync(path.join(ROOT, 'staff-ui/dist/index.html'));
    const serveUi = kioskBuilt && staffBuilt && !flag('photos-only');
    const profileDir = flag('profile') ? path.join(ROOT, 'bench/results') : undefined;
    const appSecret = crypto.randomBytes(32).toString('hex');
    server = await startServer({
      port: PORT,
      cpuProfDir: profileDir,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        DB_POOL_MAX: String(POOL),
        DEMO_SEED: 'false',
        SERVE_UI: String(serveUi),
        LOG_LEVEL: 'warn',
        SMS_DISPATCH: 'false',
        SOCKET_ADAPTER: 'memory',
        APP_SECRET: appSecret,
        // the webhooks phase delivers to receivers on this machine
        WEBHOOK_ALLOW_PRIVATE: String(flag('webhooks-only')),
        DATA_DIR: path.join(ROOT, '.data/bench-app'),
        // the lookup phase drives one kiosk per site far past a lobby's pace (the limit is measured elsewhere)
        KIOSK_LOOKUPS_PER_MINUTE: '1000000',
      },
    });
    log(`server pid ${server.pid} on ${server.baseUrl} (DB_POOL_MAX=${POOL}${profileDir ? ', --cpu-prof' : ''})`);
    const meter = usageMeter(server.pid, postmasterPid(info.dataDirectory));
    const checkinReq = checkinRequests(seeded);
    const usages: Record<string, Usage> = {};

    if (flag('photos-only')) {
      const photoServing = await photoPhase(server.baseUrl, url, photos, seeded.staffTokens, meter);
      await server.stop();
      const out = {
        bench: 'kids-club-checkin',
        mode: quick ? 'quick (photos only)' : 'photos only',
        startedAt: startedAt.toISOString(),
        wallSeconds: round((performance.now() - t0) / 1000),
        repetitions: REPEAT,
        machine: { nproc: os.cpus().length, node: process.version, postgres: info.version, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
        setup: { households: seeded.households.length, dbPoolMax: POOL },
        photoServingAtPickupRush: photoServing,
      };
      writeResult('photos.json', out);
      log(`written to bench/results/photos.json in ${out.wallSeconds} s`);
      return;
    }

    // a warm-up (JIT, pool, caches) before anything is measured
    log(`warm-up ${PLAN.warmSeconds} s…`);
    await saturate(server.baseUrl, { connections: 8, seconds: PLAN.warmSeconds, next: checkinReq(workQueues(seeded).main) });
    // every repetition starts from the state the first one did: the check-in tables emptied, the
    // rooms as seeded, the database settled (no checkpoint or autovacuum left over from before)
    const fresh = async (what: string) => {
      await resetCheckins(url, CAPACITY);
      const s = await settle(url, { vacuum: 'checkin-tables' });
      log(
        `  settled for ${what}: checkpoint ${s.checkpointMs} ms, autovacuum idle after ${s.autovacuumWaitMs} ms${s.autovacuumStillRunning ? ` (${s.autovacuumStillRunning} still running)` : ''}`,
      );
      return s;
    };
    const ctx: RunCtx = { url, baseUrl: server.baseUrl, seeded, meter, usages, checkinReq, fresh };
    if (flag('webhooks-only')) {
      const running = server;
      await webhooksOnly(ctx, appSecret, () => running.stop(), { startedAt: startedAt.toISOString(), postgres: info.version });
      return;
    }
    if (flag('latency-only')) {
      // a development aid: the open-loop latency alone, after the warm-up
      await fresh('the latency run');
      const m0 = meter.start();
      const only = await openLoop(server.baseUrl, { rate: num('rate', LATENCY_RATE), seconds: PLAN.latSeconds, next: checkinReq(workQueues(seeded).main) });
      const usage = m0.stop();
      await server.stop();
      process.stdout.write(`${JSON.stringify({ checkinLatency: only, usage }, null, 2)}\n`);
      return;
    }

    const { latRuns, satRuns, afterRuns, lookupRuns, fullRuns } = await checkinPhases(ctx);
    if (flag('throughput-only')) {
      await server.stop();
      process.stdout.write(`${JSON.stringify({ checkinThroughput: repeated(satRuns) }, null, 2)}\n`);
      return;
    }

    // 4. event push to 500 staff sockets (connected once; REPEAT windows, each from a fresh state)
    const pushRuns = await pushPhase(ctx);

    // 4b. photos at the pickup rush: the child's and the guardians' photos of each verify (issue 25)
    const photoServing = await photoPhase(server.baseUrl, url, photos, seeded.staffTokens, meter);

    // 5. the kiosk UI, served by the same server
    const kioskPaint = await kioskFirstPaint(server.baseUrl, serveUi).catch((e: Error) => ({
      ms: null,
      firstContentfulPaintMs: null,
      note: `failed: ${e.message.split('\n')[0]}`,
    }));
    const idle = meter.start();
    await new Promise((r) => setTimeout(r, 500));
    usages.idle = idle.stop();
    await server.stop();
    const serverLog = server.output().trim();
    if (process.env.BENCH_SERVER_LOG) fs.writeFileSync(process.env.BENCH_SERVER_LOG, serverLog);

    // 6. the two ceilings on the same PostgreSQL and machine (server stopped)
    const pgMeter = usageMeter(process.pid, postmasterPid(info.dataDirectory));
    const { ceilingRuns, tpcbRuns, pgbError } = await ceilings(url, pg.adminUrl, pgMeter, fresh);

    const throughput = repeated(satRuns);
    const latency = repeated(latRuns) as unknown as Awaited<ReturnType<typeof openLoop>> & { usage: Usage };
    const lookup = repeated(lookupRuns) as unknown as Awaited<ReturnType<typeof openLoop>>;
    const push = repeated(pushRuns) as unknown as Record<string, unknown> & {
      latencyMs: { p99: number | null };
      deliveries: number;
      expectedDeliveries: number;
    };
    const tpcb = tpcbRuns.length ? (repeated(tpcbRuns) as unknown as Record<string, unknown> & { tps: number }) : null;
    const ceiling = ceilingRuns.length ? (repeated(ceilingRuns) as unknown as Record<string, unknown> & { tps: number }) : null;
    const childrenPerSec = throughput.childrenPerSec as number;
    const checkinsPerSec = throughput.checkinsPerSec as number;
    const satUsage = throughput.usage as Usage;
    const latUsage = latency.usage;
    const doc = {
      bench: 'kids-club-checkin',
      mode: quick ? 'quick' : 'full',
      startedAt: startedAt.toISOString(),
      wallSeconds: round((performance.now() - t0) / 1000),
      repetitions: REPEAT,
      method:
        'each timed phase repeated from the same state (check-in tables emptied, rooms as seeded, VACUUM ANALYZE of those tables, CHECKPOINT, autovacuum idle); every figure is the median of the repetitions, `spread` has its median/min/max, `runs` each repetition; usage.otherCpuPct is what else ran on the machine (from /proc/stat) during that phase',
      machine: {
        nproc: os.cpus().length,
        memoryGb: round(os.totalmem() / 2 ** 30),
        cpuModel: os.cpus()[0]?.model ?? null,
        kernel: os.release(),
        node: process.version,
        postgres: info.version,
        postgresSource: pg.embedded ? 'embedded (.data/bench-pg)' : 'DATABASE_URL',
        transport: 'TCP (loopback)',
        postgresSettings: info.settings,
        note: 'the load generator, the server and PostgreSQL share the same cores',
        loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)),
      },
      setup: {
        sites: SITES,
        servicesPerSite: SERVICES_PER_SITE,
        roomsPerSite: ROOMS_PER_SITE,
        roomCapacity: CAPACITY,
        households: seeded.households.length,
        guardians: seeded.guardians,
        children: seeded.children,
        seedSeconds: round(seeded.seconds),
        history,
        settledAfterSeed,
        dbPoolMax: POOL,
        server: 'node --import tsx server/src/main.ts, NODE_ENV=production, LOG_LEVEL=warn',
      },
      checkinThroughput: { target: '>= 1000 children/s', met: childrenPerSec >= 1000, ...throughput },
      pgbench: tpcb ?? { tps: null, error: pgbError },
      checkinCeiling: ceiling
        ? {
            what: "pgbench -f of the check-in's minimal writes (lock the group's rooms, batch + pass + request, 2 check-ins, SMS row, audit row; bench/lib/pgbench.ts CEILING_SCRIPT)",
            ...ceiling,
          }
        : { tps: null, error: pgbError },
      ratioToPgbenchTps: tpcb?.tps ? round(childrenPerSec / tpcb.tps, 3) : null,
      checkinsRatioToPgbenchTps: tpcb?.tps ? round(checkinsPerSec / tpcb.tps, 3) : null,
      ratioToCheckinCeiling: ceiling?.tps ? round(childrenPerSec / (2 * ceiling.tps), 3) : null,
      ratioToCheckinCeilingTarget: '>= 0.7',
      checkinLatencyAt200PerSec: {
        target: 'p99 < 50 ms',
        met: latency.latencyMs.p99 != null && latency.latencyMs.p99 < 50 && latency.errors === 0,
        ...latency,
        measuredBefore: 'the saturation run (steady state at 200/s)',
      },
      checkinLatencyAt200PerSecAfterBurst: { note: 'the same open loop right after the saturation run: not the steady state', ...repeated(afterRuns) },
      roomsFull: {
        target: 'the refusal path as fast as an admission',
        serviceRooms: 'capacity 0 (regular and overflow locked, every child refused room_full)',
        ...repeated(fullRuns),
      },
      photoServingAtPickupRush: photoServing,
      householdLookupByLast4: {
        target: 'p99 < 10 ms',
        met: lookup.latencyMs.p99 != null && lookup.latencyMs.p99 < 10,
        households: seeded.households.length,
        ...lookup,
      },
      eventPush: { target: 'p99 < 50 ms', met: push.latencyMs.p99 != null && push.latencyMs.p99 < 50 && push.deliveries === push.expectedDeliveries, ...push },
      server: {
        rssMbMax: round(Math.max(...Object.values(usages).map((u) => u.serverRssMbMax))),
        rssMbIdleAfter: usages.idle.serverRssMbAvg,
        cpuPctAtSaturation: satUsage.serverCpuPct,
        cpuPctAt200PerSec: latUsage.serverCpuPct,
        postgresCpuPctAtSaturation: satUsage.postgresCpuPct,
        errorsLogged: serverLog ? serverLog.split('\n').filter((l) => /"level":(50|60)/.test(l)).length : 0,
      },
      ui: {
        budgetGzipKb: 250,
        kiosk: uiSizes('kiosk-ui'),
        staff: uiSizes('staff-ui'),
        kioskFirstPaint: { target: '< 1000 ms', met: kioskPaint.ms != null ? kioskPaint.ms < 1000 : null, ...kioskPaint },
      },
    };
    const json = JSON.stringify(doc, null, 2);
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), `${json}\n`);
    process.stdout.write(`${json}\n`);
    log(`written to bench/results/latest.json in ${doc.wallSeconds} s`);
  } finally {
    await server?.stop().catch(() => {});
    // the bench's databases go (--keep leaves them for a look); the server is left as it was
    if (!flag('keep')) for (const db of [BENCH_DB, PGBENCH_DB]) await adminQuery(pg.adminUrl, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => {});
    await pg.stop().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
