/**
 * `npm run bench -- --import[=N]`: the CSV import alone (N households, default 10,000; households/s
 * and seconds, target under 60 s; see bench/lib/import.ts), on a fresh database, nothing else run.
 * `npm run bench [-- --quick] [-- --profile] [-- --pool=N] [-- --pg-stats] [-- --throughput-only] [-- --latency-only] [-- --keep]`:
 * the performance harness (DESIGN §9). --profile writes the server's CPU profile to bench/results
 * (summarise it with `npx tsx bench/profile-summary.ts`), --pg-stats the saturation run's
 * pg_stat_statements to bench/results/pg-statements.json.
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
import { fork, type ChildProcess } from 'node:child_process';
import {
  adminQuery,
  ROOMS_PER_SITE,
  BENCH_DB,
  PGBENCH_DB,
  ROOT,
  countCheckins,
  migrate,
  postmasterPid,
  recreateDatabase,
  seed,
  serverInfo,
  startBenchPostgres,
  type Seeded,
} from './lib/db';
import { openLoop, saturate, type Req } from './lib/load';
import { startServer, usageMeter, type Usage } from './lib/proc';
import { CEILING_CANDIDATES, pgbenchCeiling, pgbenchTpcb, prepareCeiling } from './lib/pgbench';
import { repeated, resetCheckins, settle } from './lib/repeat';
import { buildUisIfMissing, kioskFirstPaint, uiSizes } from './lib/ui';
import { percentiles, round, shuffle } from './lib/stats';
import { benchImport } from './lib/import';
import { seedHistory } from './lib/history';
import { photoRequests, seedPhotos, type SeededPhotos } from './lib/photos';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};
const quick = flag('quick');

const PLAN = quick
  ? {
      households: num('households', 20_000),
      warmSeconds: 2,
      satSeconds: num('seconds', 6),
      latSeconds: 5,
      afterBurstSeconds: 3,
      lookupSeconds: 3,
      pushSeconds: 4,
      photoSeconds: num('photo-seconds', 4),
      pgbenchSeconds: 5,
    }
  : {
      households: num('households', 100_000),
      warmSeconds: 5,
      satSeconds: num('seconds', 30),
      latSeconds: 20,
      afterBurstSeconds: 10,
      lookupSeconds: 10,
      pushSeconds: 10,
      photoSeconds: num('photo-seconds', 10),
      pgbenchSeconds: 20,
    };
/** The rooms-full phase: the refusal path at the latency rate, then at saturation, for this long each. */
const FULL_SECONDS = quick ? 3 : 10;
const SITES = 8;
const SERVICES_PER_SITE = 2;
const KIOSKS_PER_SITE = 4;
const CONNECTIONS = num('connections', 32);
const LATENCY_RATE = 200;
const LOOKUP_RATE = 100;
const PUSH_SOCKETS = 500;
const PUSH_RATE = 20;
const PUSH_PROCESSES = 2;
// 12 measured best on this 2-core machine (8: 686, 12: 695, 16: 663, 20: 641–676 children/s; see
// bench/RESULTS.md); the server's own default (config.ts) is 20
const POOL = num('pool', Number(process.env.DB_POOL_MAX ?? 12));
const PORT = num('port', 3700);
/**
 * Repetitions of every timed phase (DESIGN §9: at least 3 in a full run; 5, because the machine's
 * own speed drifts between minutes); the figures are their medians.
 */
const REPEAT = num('repeat', quick ? 1 : 5);
/** pgbench -f of the check-in's own writes runs with as many clients as the server has connections to PostgreSQL. */
const CEILING_CLIENTS = num('ceiling-clients', POOL);
const CAPACITY = 400;
/** The history (bench/lib/history.ts): this many past Sundays, one household in HISTORY_EVERY checking in each week. */
const HISTORY_WEEKS = num('history-weeks', 4);
const HISTORY_EVERY = num('history-every', 16);

/**
 * The photo phase (issue 25): photos of this many families of the first site (children and
 * guardians: a few hundred), fetched by this many concurrent door stations at the pickup rush.
 */
const PHOTO_FAMILIES = num('photo-families', 150);
const PHOTO_CONNECTIONS = num('photo-connections', 24);

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const HELP = `npm run bench -- [options]
  --quick                 shorter phases, 1 repetition, 20,000 households (a smoke run; figures not quotable)
  --households=N --seconds=N --repeat=N --pool=N --connections=N --port=N
  --photos-only           only the photo phase (seed, photos, server, GET /api/photos/:id at the pickup rush)
                          → bench/results/photos.json; smoke run: --photos-only --quick --households=2000
  --photo-families=N      families whose children and guardians get photos (default ${PHOTO_FAMILIES})
  --photo-connections=N   concurrent door stations fetching photos (default ${PHOTO_CONNECTIONS})
  --photo-seconds=N       length of each photo repetition (default 10; quick 4)
  --pg-port=N             the embedded PostgreSQL's port (default: the first free one in 5600–5699)
  --throughput-only --latency-only --ceiling-only [--candidates] --import[=N]
  --profile --pg-stats --keep --history-weeks=N --history-every=N`;

/** Autovacuum and autoanalyze passes so far on the bench database's tables (pg_stat_user_tables). */
async function maintenanceRuns(url: string): Promise<{ autovacuum: number; autoanalyze: number }> {
  const r = await adminQuery(
    url,
    'SELECT coalesce(sum(autovacuum_count), 0)::int AS v, coalesce(sum(autoanalyze_count), 0)::int AS a FROM pg_stat_user_tables',
  );
  return { autovacuum: Number(r[0]!.v), autoanalyze: Number(r[0]!.a) };
}
async function maintenanceSince(url: string, before: { autovacuum: number; autoanalyze: number }) {
  const now = await maintenanceRuns(url);
  return { autovacuum: now.autovacuum - before.autovacuum, autoanalyze: now.autoanalyze - before.autoanalyze };
}

/**
 * GET /api/photos/:id for the photos the doors show (each verify: the child's and the guardians'),
 * by PHOTO_CONNECTIONS concurrent stations with staff sessions of the site, closed loop; a
 * warm-up, then REPEAT runs (each after a CHECKPOINT); medians with their spread.
 */
async function photoPhase(baseUrl: string, url: string, photos: SeededPhotos, tokens: string[], meter: ReturnType<typeof usageMeter>) {
  const next = photoRequests(photos, tokens);
  log(`photos: warm-up ${PLAN.warmSeconds} s…`);
  await saturate(baseUrl, { connections: 4, seconds: PLAN.warmSeconds, next });
  const runs: Record<string, unknown>[] = [];
  for (let rep = 1; rep <= REPEAT; rep++) {
    await settle(url, { vacuum: 'none' });
    log(`photos at the pickup rush: ${PHOTO_CONNECTIONS} door stations for ${PLAN.photoSeconds} s (run ${rep} of ${REPEAT})…`);
    const m = meter.start();
    const r = await saturate(baseUrl, { connections: PHOTO_CONNECTIONS, seconds: PLAN.photoSeconds, next });
    const usage = m.stop();
    runs.push({
      requestsPerSec: r.requestsPerSec,
      requests: r.requests,
      ok: r.requests - r.non2xx - r.errors - r.timeouts,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      latencyMs: r.latencyMs,
      mbPerSec: round(r.bytesPerSec / 2 ** 20, 2),
      usage,
      cpuMsPerPhoto: cpuPerCheckin(usage, r.requestsPerSec),
    });
    log(
      `  p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${r.requestsPerSec} photos/s, non-2xx ${r.non2xx}, errors ${r.errors} (other CPU ${usage.otherCpuPct} %)`,
    );
  }
  return {
    what: 'GET /api/photos/:id (staff session of the campus; JPEG ≤ 512 px) for the child and guardian photos of each verify, families in random order, closed loop (autocannon)',
    target: null,
    photos: photos.photos,
    families: photos.families,
    meanPhotoBytes: photos.meanBytes,
    seedSeconds: photos.seconds,
    concurrentDoors: PHOTO_CONNECTIONS,
    seconds: PLAN.photoSeconds,
    ...repeated(runs),
  };
}

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
    const url = await recreateDatabase(pg.adminUrl, BENCH_DB);
    await migrate(url);
    const importArg = argv.find((x) => x === '--import' || x.startsWith('--import='));
    if (importArg) {
      const n = importArg.includes('=') ? Number(importArg.split('=')[1]) : 10_000;
      if (!Number.isInteger(n) || n < 1) throw new Error(`--import=N: N must be a positive whole number, not "${importArg.split('=')[1]}"`);
      const csvImport = await benchImport(url, n, log);
      const out = { startedAt: startedAt.toISOString(), postgres: info.version, cpus: os.cpus().length, csvImport };
      fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'bench/results/import.json'), `${JSON.stringify(out, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
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

    if (flag('ceiling-only') && flag('candidates')) {
      // the issue's candidates measured on PostgreSQL's side: each script changes one thing against
      // the check-in ceiling; run interleaved (A B C … A B C …) so drift on the machine hits all alike
      const families = await prepareCeiling(url);
      const meter = usageMeter(process.pid, postmasterPid(info.dataDirectory));
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
        startedAt: startedAt.toISOString(),
        postgres: info.version,
        cpus: os.cpus().length,
        clients: CEILING_CLIENTS,
        seconds: PLAN.pgbenchSeconds,
        repetitions: REPEAT,
        candidates: CEILING_CANDIDATES.map((c) => ({ name: c.name, what: c.what, checkinsPerTx: c.checkinsPerTx, ...repeated(runs.get(c.name)!) })),
      };
      fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'bench/results/candidates.json'), `${JSON.stringify(out, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    if (flag('ceiling-only')) {
      // a development aid: the check-in ceiling alone (pgbench -f), no server
      const families = await prepareCeiling(url);
      const meter = usageMeter(process.pid, postmasterPid(info.dataDirectory));
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
        APP_SECRET: crypto.randomBytes(32).toString('hex'),
        DATA_DIR: path.join(ROOT, '.data/bench-app'),
        // the lookup phase drives one kiosk per site far past a lobby's pace (the limit is measured elsewhere)
        KIOSK_LOOKUPS_PER_MINUTE: '1000000',
      },
    });
    log(`server pid ${server.pid} on ${server.baseUrl} (DB_POOL_MAX=${POOL}${profileDir ? ', --cpu-prof' : ''})`);
    const meter = usageMeter(server.pid, postmasterPid(info.dataDirectory));
    const checkinReq = (q: Pair[]) => (): Req | null => {
      const p = q.pop();
      if (!p) return null;
      const tokens = seeded.kioskTokens.get(p.siteId)!;
      return {
        method: 'POST',
        path: '/api/checkins',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` },
        body: JSON.stringify({ serviceId: p.serviceId, householdId: p.householdId, childIds: p.childIds, idempotencyKey: crypto.randomUUID() }),
      };
    };
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
      fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'bench/results/photos.json'), `${JSON.stringify(out, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
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
        const lat = await openLoop(server.baseUrl, { rate: LATENCY_RATE, seconds: PLAN.latSeconds, next: checkinReq(work.main) });
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
      const sat = await saturate(server.baseUrl, { connections: CONNECTIONS, seconds: PLAN.satSeconds, next: checkinReq(work.main) });
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
      const afterBurst = await openLoop(server.baseUrl, { rate: LATENCY_RATE, seconds: PLAN.afterBurstSeconds, next: checkinReq(work.main) });
      usages.afterBurst = m.stop();
      afterRuns.push({ latencyMs: afterBurst.latencyMs, achievedRate: afterBurst.achievedRate, errors: afterBurst.errors, usage: usages.afterBurst });
      log(`  p50 ${afterBurst.latencyMs.p50} ms, p99 ${afterBurst.latencyMs.p99} ms`);

      // 3. household lookup by last 4
      log(`household lookup by last 4 at ${LOOKUP_RATE}/s for ${PLAN.lookupSeconds} s…`);
      let li = 0;
      found = 0;
      m = meter.start();
      const lookup = await openLoop(server.baseUrl, {
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
      const fullLat = await openLoop(server.baseUrl, { rate: LATENCY_RATE, seconds: FULL_SECONDS, next: fullReq });
      usages.fullLatency = m.stop();
      m = meter.start();
      const fullSat = await saturate(server.baseUrl, { connections: CONNECTIONS, seconds: FULL_SECONDS, next: fullReq });
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
    if (flag('throughput-only')) {
      await server.stop();
      process.stdout.write(`${JSON.stringify({ checkinThroughput: repeated(satRuns) }, null, 2)}\n`);
      return;
    }

    // 4. event push to 500 staff sockets (connected once; REPEAT windows, each from a fresh state)
    log(`event push: connecting ${PUSH_SOCKETS} staff sockets…`);
    // the sockets live in PUSH_PROCESSES child processes (500 devices are not one event loop)
    const groups = Array.from({ length: PUSH_PROCESSES }, (_, i) => seeded.staffTokens.filter((_t, j) => j % PUSH_PROCESSES === i));
    const clients = groups.map(() =>
      fork(path.join(__dirname, 'lib/push-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
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
      clients.forEach((c, i) => c.send({ start: { url: server!.baseUrl, tokens: groups[i] } }));
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
        const sent = await openLoop(server.baseUrl, { rate: PUSH_RATE, seconds: PLAN.pushSeconds, next: checkinReq(pushWork) });
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

    // 6. the two ceilings on the same PostgreSQL and machine (server stopped): pgbench -f of the
    // check-in's own minimal writes on the bench's tables, with as many clients as the server has
    // connections, and pgbench TPC-B; each repeated from a fresh state
    const families = await prepareCeiling(url);
    const pgMeter = usageMeter(process.pid, postmasterPid(info.dataDirectory));
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
      const pgb = await pgbenchTpcb(pg.adminUrl, PGBENCH_DB, { scale: 10, clients: 8, seconds: PLAN.pgbenchSeconds, init: rep === 1 }).catch((e: Error) => ({
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

/** CPU time per check-in (ms): steadier than throughput on a machine shared with other work. */
function cpuPerCheckin(u: Usage, perSec: number) {
  const ms = (pct: number | null) => (pct == null || !perSec ? null : round((pct * 10) / perSec, 2));
  const server = ms(u.serverCpuPct);
  const postgres = ms(u.postgresCpuPct);
  const bench = ms(u.benchCpuPct);
  const total = server != null && postgres != null && bench != null ? round(server + postgres + bench, 2) : null;
  return {
    server,
    postgres,
    loadGenerator: bench,
    total,
    /** what these costs allow on this machine's cores with nothing else running: an estimate, not a measurement */
    cpuBoundCheckinsPerSec: total ? round((os.cpus().length * 1000) / total) : null,
  };
}

const walLsn = async (url: string) => String((await adminQuery(url, 'SELECT pg_current_wal_lsn() AS lsn'))[0]!.lsn);
const walBytesSince = async (url: string, lsn: string) => Number((await adminQuery(url, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn]))[0]!.n);

interface Pair {
  householdId: string;
  siteId: string;
  serviceId: string;
  childIds: string[];
}

/**
 * Every household once, for one of its site's services (a child still in a room is refused a
 * second service, so household × service would measure refusals), shuffled; some of the first
 * site's set aside for the push run, and some of the last site's first service for the rooms-full
 * phase (reused in turn: a refused family checks nobody in).
 */
function workQueues(s: Seeded): { main: Pair[]; push: Pair[]; full: Pair[]; fullServiceId: string } {
  const pairs: Pair[] = [];
  const fullSite = s.siteIds[s.siteIds.length - 1]!;
  const fullServiceId = s.services.get(fullSite)![0]!;
  const full: Pair[] = [];
  for (const h of s.households) {
    const services = s.services.get(h.siteId)!;
    const p = { householdId: h.id, siteId: h.siteId, serviceId: services[Math.floor(Math.random() * services.length)]!, childIds: h.childIds };
    if (h.siteId === fullSite && full.length < 2000) full.push({ ...p, serviceId: fullServiceId });
    else pairs.push(p);
  }
  shuffle(pairs);
  const needPush = PUSH_RATE * PLAN.pushSeconds + 50;
  const push: Pair[] = [];
  const main: Pair[] = [];
  for (const p of pairs) (p.siteId === s.siteIds[0] && push.length < needPush ? push : main).push(p);
  return { main, push, full, fullServiceId };
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
