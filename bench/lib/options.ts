/** The bench's options (argv) and fixed sizes, shared by run.ts and its phases. */
export const argv = process.argv.slice(2);
export const flag = (name: string) => argv.includes(`--${name}`);
export const num = (name: string, dflt: number) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};
export const quick = flag('quick');

export const PLAN = quick
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
export const FULL_SECONDS = quick ? 3 : 10;
export const SITES = 8;
export const SERVICES_PER_SITE = 2;
export const KIOSKS_PER_SITE = 4;
export const CONNECTIONS = num('connections', 32);
export const LATENCY_RATE = 200;
export const LOOKUP_RATE = 100;
export const PUSH_SOCKETS = 500;
export const PUSH_RATE = 20;
export const PUSH_PROCESSES = 2;
// 12 measured best on this 2-core machine (8: 686, 12: 695, 16: 663, 20: 641–676 children/s; see
// bench/RESULTS.md); the server's own default (config.ts) is 20
export const POOL = num('pool', Number(process.env.DB_POOL_MAX ?? 12));
export const PORT = num('port', 3700);
/**
 * Repetitions of every timed phase (DESIGN §9: at least 3 in a full run; 5, because the machine's
 * own speed drifts between minutes); the figures are their medians.
 */
export const REPEAT = num('repeat', quick ? 1 : 5);
/** pgbench -f of the check-in's own writes runs with as many clients as the server has connections to PostgreSQL. */
export const CEILING_CLIENTS = num('ceiling-clients', POOL);
export const CAPACITY = 400;
/** The history (bench/lib/history.ts): this many past Sundays, one household in HISTORY_EVERY checking in each week. */
export const HISTORY_WEEKS = num('history-weeks', 4);
export const HISTORY_EVERY = num('history-every', 16);

/**
 * The photo phase (issue 25): photos of this many families of the first site (children and
 * guardians: a few hundred), fetched by this many concurrent door stations at the pickup rush.
 */
export const PHOTO_FAMILIES = num('photo-families', 150);
export const PHOTO_CONNECTIONS = num('photo-connections', 24);

export const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

export const HELP = `npm run bench -- [options]
  --quick                 shorter phases, 1 repetition, 20,000 households (a smoke run; figures not quotable)
  --households=N --seconds=N --repeat=N --pool=N --connections=N --port=N
  --photos-only           only the photo phase (seed, photos, server, GET /api/photos/:id at the pickup rush)
                          → bench/results/photos.json; smoke run: --photos-only --quick --households=2000
  --photo-families=N      families whose children and guardians get photos (default ${PHOTO_FAMILIES})
  --photo-connections=N   concurrent door stations fetching photos (default ${PHOTO_CONNECTIONS})
  --photo-seconds=N       length of each photo repetition (default 10; quick 4)
  --webhooks-only         check-in throughput with 3 webhooks subscribed (local receivers) vs none,
                          interleaved repetitions → bench/results/webhooks.json
  --pg-port=N             the embedded PostgreSQL's port (default: the first free one in 5600–5699)
  --throughput-only --latency-only --ceiling-only [--candidates] --import[=N]
  --profile --pg-stats --keep --history-weeks=N --history-every=N
  --forecast-only [--forecast-weeks=N]  the forecast's backtest on a synthetic history (default 52 Sundays)
                          against its targets, and ms per service forecast → bench/results/forecast.json`;
