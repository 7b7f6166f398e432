/** A pgbench TPC-B run (the machine's physical ceiling for small durable transactions). */
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { adminQuery, recreateDatabase, withDatabase } from './db';

const run = promisify(execFile);

export const PGBENCH_INSTALL_HINT =
  'pgbench not found: on Debian/Ubuntu `apt-get install -y postgresql` (it ships /usr/lib/postgresql/<v>/bin/pgbench), or set PGBENCH=/path/to/pgbench';

export function findPgbench(): string | null {
  if (process.env.PGBENCH && fs.existsSync(process.env.PGBENCH)) return process.env.PGBENCH;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(`${base}/${v}/bin/pgbench`))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return `${base}/${versions[0]}/bin/pgbench`;
  for (const p of ['/usr/bin/pgbench', '/usr/local/bin/pgbench']) if (fs.existsSync(p)) return p;
  return null;
}

export interface PgbenchResult {
  binary: string;
  version: string;
  scale: number;
  clients: number;
  threads: number;
  seconds: number;
  initSeconds: number;
  tps: number;
  latencyAvgMs: number | null;
  transactions: number | null;
  walBytesPerTx: number | null;
}

export async function pgbenchTpcb(
  adminUrl: string,
  dbName: string,
  opts: { scale: number; clients: number; seconds: number; init?: boolean },
): Promise<PgbenchResult | { error: string }> {
  const bin = findPgbench();
  if (!bin) return { error: PGBENCH_INSTALL_HINT };
  const version = (await run(bin, ['--version'])).stdout.trim();
  const t0 = performance.now();
  let url = withDatabase(adminUrl, dbName);
  // init once per bench run (--init false: the repetitions reuse it; VACUUM it as pgbench does)
  if (opts.init !== false) {
    url = await recreateDatabase(adminUrl, dbName);
    await run(bin, ['-i', '-q', '-s', String(opts.scale), url], { maxBuffer: 16 << 20 });
  } else {
    // one statement each: several in one query run as one transaction block, where VACUUM may not
    for (const sql of ['VACUUM pgbench_branches, pgbench_tellers', 'TRUNCATE pgbench_history', 'CHECKPOINT']) await adminQuery(url, sql);
  }
  const initSeconds = (performance.now() - t0) / 1000;
  const threads = Math.min(opts.clients, 2);
  const lsn = (await adminQuery(url, 'SELECT pg_current_wal_lsn() AS lsn'))[0]!.lsn;
  const { stdout } = await run(bin, ['-c', String(opts.clients), '-j', String(threads), '-T', String(opts.seconds), '-n', url], { maxBuffer: 16 << 20 });
  const tps = Number(
    /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1],
  );
  const lat = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
  const tx = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  const wal = Number((await adminQuery(url, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn]))[0]!.n);
  return {
    binary: bin,
    version,
    scale: opts.scale,
    clients: opts.clients,
    threads,
    seconds: opts.seconds,
    initSeconds: Math.round(initSeconds * 10) / 10,
    tps: Math.round(tps),
    latencyAvgMs: lat ? Number(lat) : null,
    transactions: tx ? Number(tx) : null,
    walBytesPerTx: tx ? Math.round(wal / Number(tx)) : null,
  };
}

/**
 * The check-in's own minimal writes as a pgbench script (DESIGN §9: the physical limit for this
 * transaction shape): lock the rooms of one age group (FOR UPDATE, in id order, as the check-in
 * does), insert the family's batch + pickup pass + request row, two check-ins, the SMS receipt
 * and the audit row, COMMIT — BEGIN, three statements, COMMIT, prepared (`-M prepared`), on the
 * bench's own tables, indexes, foreign keys and triggers. Each transaction takes the next family
 * of `bench_ceiling` (households with at least two children, a service of their site, an age
 * group's rooms) from a sequence, so no row conflicts and every transaction writes everything.
 */
export const CEILING_SCRIPT = String.raw`-- the check-in's minimal writes (bench/lib/pgbench.ts)
BEGIN;
SELECT w.n, (SELECT count(*) FROM (SELECT r.id FROM rooms r WHERE r.id = ANY(w.room_ids) ORDER BY r.id FOR UPDATE) l) AS locked FROM bench_ceiling w WHERE w.n = (SELECT ((nextval('bench_ceiling_seq') - 1) % :nfam + 1)::int) \gset
WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n),
  b AS (INSERT INTO checkin_batches (site_id, service_id, household_id, service_date, security_code, family_day) SELECT w.site_id, w.service_id, w.household_id, w.service_date, 'C' || lpad(w.n::text, 7, '0'), true FROM w RETURNING id),
  p AS (INSERT INTO pickup_passes (batch_id, token_hash, expires_at) SELECT b.id, md5(random()::text) || md5(random()::text), now() + interval '1 day' FROM b),
  q AS (INSERT INTO checkin_requests (site_id, batch_id, idempotency_key, request_hash, service_ids) SELECT w.site_id, b.id, gen_random_uuid()::text, md5(random()::text) || md5(random()::text), ARRAY[w.service_id] FROM w, b RETURNING id)
SELECT (SELECT id FROM b) AS batch_id, (SELECT id FROM q) AS request_id \gset
WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n),
  ins AS (INSERT INTO checkins (batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id, security_code) SELECT CAST(:batch_id AS uuid), CAST(:request_id AS uuid), w.site_id, w.service_id, w.service_date, w.room_id, k.child_id, w.household_id, 'BENCH' FROM w, unnest(ARRAY[w.child1, w.child2]) AS k(child_id) RETURNING id, child_id, room_id, service_id),
  rcp AS (INSERT INTO notifications (site_id, guardian_id, batch_id, "to", kind, body) SELECT w.site_id, g.id, CAST(:batch_id AS uuid), g.phone, 'checkin_receipt', 'Kid1 (Toddlers A) and Kid2 (Toddlers A) are checked in. Pickup code BENCH.' FROM w JOIN guardians g ON g.household_id = w.household_id AND g.sms_opt_in AND g.sms_opted_out_at IS NULL RETURNING id),
  aud AS (INSERT INTO audit_log (site_id, actor_kind, actor_id, action, entity, entity_id, details) SELECT w.site_id, 'kiosk', NULL, 'checkin.create', 'checkin_batch', CAST(:batch_id AS uuid), jsonb_build_object('requestId', CAST(:request_id AS text), 'admitted', (SELECT jsonb_agg(jsonb_build_object('checkinId', id, 'childId', child_id, 'roomId', room_id, 'serviceId', service_id)) FROM ins), 'refused', '[]'::jsonb) FROM w RETURNING id)
SELECT (SELECT count(*) FROM ins) AS admitted, (SELECT count(*) FROM rcp) AS receipts, (SELECT count(*) FROM aud) AS audited;
COMMIT;
`;

// The candidates of the "performance you can repeat" issue, measured on PostgreSQL's side with the
// same tables, clients and families as CEILING_SCRIPT (`npm run bench -- --ceiling-only --candidates`).
// Each changes one thing against it; what the app would have to do to get there is in bench/RESULTS.md.

const NEXT_FAMILY = String.raw`(SELECT ((nextval('bench_ceiling_seq') - 1) % :nfam + 1)::int)`;
const LOCK_LINE = String.raw`SELECT w.n, (SELECT count(*) FROM (SELECT r.id FROM rooms r WHERE r.id = ANY(w.room_ids) ORDER BY r.id FOR UPDATE) l) AS locked FROM bench_ceiling w WHERE w.n = ${NEXT_FAMILY} \gset`;
const FAMILY_LINE = String.raw`WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n),
  b AS (INSERT INTO checkin_batches (site_id, service_id, household_id, service_date, security_code, family_day) SELECT w.site_id, w.service_id, w.household_id, w.service_date, 'C' || lpad(w.n::text, 7, '0'), true FROM w RETURNING id),
  p AS (INSERT INTO pickup_passes (batch_id, token_hash, expires_at) SELECT b.id, md5(random()::text) || md5(random()::text), now() + interval '1 day' FROM b),
  q AS (INSERT INTO checkin_requests (site_id, batch_id, idempotency_key, request_hash, service_ids) SELECT w.site_id, b.id, gen_random_uuid()::text, md5(random()::text) || md5(random()::text), ARRAY[w.service_id] FROM w, b RETURNING id)
SELECT (SELECT id FROM b) AS batch_id, (SELECT id FROM q) AS request_id \gset`;
const CHECKINS_CTE = String.raw`ins AS (INSERT INTO checkins (batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id, security_code) SELECT CAST(:batch_id AS uuid), CAST(:request_id AS uuid), w.site_id, w.service_id, w.service_date, w.room_id, k.child_id, w.household_id, 'BENCH' FROM w, unnest(ARRAY[w.child1, w.child2]) AS k(child_id) RETURNING id, child_id, room_id, service_id)`;
const RECEIPT_CTE = String.raw`rcp AS (INSERT INTO notifications (site_id, guardian_id, batch_id, "to", kind, body) SELECT w.site_id, g.id, CAST(:batch_id AS uuid), g.phone, 'checkin_receipt', 'Kid1 (Toddlers A) and Kid2 (Toddlers A) are checked in. Pickup code BENCH.' FROM w JOIN guardians g ON g.household_id = w.household_id AND g.sms_opt_in AND g.sms_opted_out_at IS NULL RETURNING id)`;
const AUDIT_CTE = String.raw`aud AS (INSERT INTO audit_log (site_id, actor_kind, actor_id, action, entity, entity_id, details) SELECT w.site_id, 'kiosk', NULL, 'checkin.create', 'checkin_batch', CAST(:batch_id AS uuid), jsonb_build_object('requestId', CAST(:request_id AS text), 'admitted', (SELECT jsonb_agg(jsonb_build_object('checkinId', id, 'childId', child_id, 'roomId', room_id, 'serviceId', service_id)) FROM ins), 'refused', '[]'::jsonb) FROM w RETURNING id)`;

export interface CeilingCandidate {
  name: string;
  what: string;
  /** check-ins (families) per transaction */
  checkinsPerTx: number;
  script: string;
}

export const CEILING_CANDIDATES: CeilingCandidate[] = [
  {
    name: 'minimal',
    what: 'CEILING_SCRIPT as it is: BEGIN, lock, family rows, check-ins + SMS + audit, COMMIT (5 messages)',
    checkinsPerTx: 1,
    script: CEILING_SCRIPT,
  },
  {
    name: 'plus2Messages',
    what: 'the same with two more round trips inside the transaction (the app makes 6 messages, or 7 with a separate BEGIN read): the price of a message on PostgreSQL',
    checkinsPerTx: 1,
    script: [
      'BEGIN;',
      LOCK_LINE,
      'SELECT 1;',
      FAMILY_LINE,
      'SELECT 1;',
      `WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n),\n  ${CHECKINS_CTE},\n  ${RECEIPT_CTE},\n  ${AUDIT_CTE}\nSELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM rcp), (SELECT count(*) FROM aud);`,
      'COMMIT;',
      '',
    ].join('\n'),
  },
  {
    name: 'oneStatement',
    what: 'the whole check-in as one statement in its own implicit transaction (1 message: what a stored procedure doing the whole check-in would cost PostgreSQL)',
    checkinsPerTx: 1,
    script: String.raw`WITH w AS (SELECT * FROM bench_ceiling WHERE n = ${NEXT_FAMILY}),
  l AS (SELECT r.id FROM rooms r, w WHERE r.id = ANY(w.room_ids) ORDER BY r.id FOR UPDATE OF r),
  b AS (INSERT INTO checkin_batches (site_id, service_id, household_id, service_date, security_code, family_day) SELECT w.site_id, w.service_id, w.household_id, w.service_date, 'C' || lpad(w.n::text, 7, '0'), true FROM w WHERE (SELECT count(*) FROM l) > 0 RETURNING id),
  p AS (INSERT INTO pickup_passes (batch_id, token_hash, expires_at) SELECT b.id, md5(random()::text) || md5(random()::text), now() + interval '1 day' FROM b),
  q AS (INSERT INTO checkin_requests (site_id, batch_id, idempotency_key, request_hash, service_ids) SELECT w.site_id, b.id, gen_random_uuid()::text, md5(random()::text) || md5(random()::text), ARRAY[w.service_id] FROM w, b RETURNING id),
  ins AS (INSERT INTO checkins (batch_id, request_id, site_id, service_id, service_date, room_id, child_id, household_id, security_code) SELECT b.id, q.id, w.site_id, w.service_id, w.service_date, w.room_id, k.child_id, w.household_id, 'BENCH' FROM w, b, q, unnest(ARRAY[w.child1, w.child2]) AS k(child_id) RETURNING id, child_id, room_id, service_id),
  rcp AS (INSERT INTO notifications (site_id, guardian_id, batch_id, "to", kind, body) SELECT w.site_id, g.id, b.id, g.phone, 'checkin_receipt', 'Kid1 (Toddlers A) and Kid2 (Toddlers A) are checked in. Pickup code BENCH.' FROM w CROSS JOIN b JOIN guardians g ON g.household_id = w.household_id AND g.sms_opt_in AND g.sms_opted_out_at IS NULL RETURNING id),
  aud AS (INSERT INTO audit_log (site_id, actor_kind, actor_id, action, entity, entity_id, details) SELECT w.site_id, 'kiosk', NULL, 'checkin.create', 'checkin_batch', b.id, jsonb_build_object('admitted', (SELECT jsonb_agg(jsonb_build_object('checkinId', id, 'childId', child_id, 'roomId', room_id, 'serviceId', service_id)) FROM ins), 'refused', '[]'::jsonb) FROM w, b RETURNING id)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM rcp), (SELECT count(*) FROM aud);
`,
  },
  {
    name: 'noAuditNoReceipt',
    what: 'fewer rows: the check-in without its audit row and SMS receipt (they would be written later by a batch writer): the price of those two rows and their WAL',
    checkinsPerTx: 1,
    script: [
      'BEGIN;',
      LOCK_LINE,
      FAMILY_LINE,
      `WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n),\n  ${CHECKINS_CTE}\nSELECT count(*) FROM ins;`,
      'COMMIT;',
      '',
    ].join('\n'),
  },
  {
    name: 'noLock',
    what: 'the same writes without locking the rooms: the price of the serialisation DESIGN §3 requires (not an option, a measure)',
    checkinsPerTx: 1,
    script: CEILING_SCRIPT.replace(' ORDER BY r.id FOR UPDATE) l)', ') l)'),
  },
  {
    name: 'batchedTwo',
    what: "two families per transaction (each one's rooms locked in one id order, then both families' rows): what batching concurrent check-ins would save per check-in",
    checkinsPerTx: 2,
    script: [
      'BEGIN;',
      String.raw`SELECT a.n AS n1, b.n AS n2, (SELECT count(*) FROM (SELECT r.id FROM rooms r WHERE r.id = ANY(a.room_ids || b.room_ids) ORDER BY r.id FOR UPDATE) l) AS locked FROM bench_ceiling a, bench_ceiling b WHERE a.n = ${NEXT_FAMILY} AND b.n = ${NEXT_FAMILY} \gset`,
      ...[1, 2].flatMap((i) => [
        FAMILY_LINE.replace('n = :n', `n = :n${i}`),
        `WITH w AS (SELECT * FROM bench_ceiling WHERE n = :n${i}),\n  ${CHECKINS_CTE},\n  ${RECEIPT_CTE},\n  ${AUDIT_CTE}\nSELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM rcp), (SELECT count(*) FROM aud);`,
      ]),
      'COMMIT;',
      '',
    ].join('\n'),
  },
];

/** Builds bench_ceiling (and its sequence) in the bench's database from the seeded families. */
export async function prepareCeiling(url: string): Promise<number> {
  await adminQuery(url, `DROP TABLE IF EXISTS bench_ceiling; DROP SEQUENCE IF EXISTS bench_ceiling_seq`);
  await adminQuery(
    url,
    `CREATE TABLE bench_ceiling AS
    WITH fam AS (
      SELECT h.id AS household_id, h.site_id, (array_agg(c.id ORDER BY c.id))[1:2] AS kids
      FROM households h JOIN children c ON c.household_id = h.id GROUP BY h.id HAVING count(*) >= 2),
    svc AS (SELECT site_id, array_agg(id ORDER BY starts_at) AS ids, min(service_date) AS service_date FROM services GROUP BY site_id),
    grp AS (SELECT site_id, age_group, array_agg(id ORDER BY id) AS room_ids FROM rooms WHERE kind = 'regular' GROUP BY site_id, age_group),
    numbered AS (SELECT (row_number() OVER (ORDER BY random()))::int AS n, f.* FROM fam f)
    SELECT nb.n, nb.household_id, nb.site_id, s.ids[1 + nb.n % array_length(s.ids, 1)] AS service_id, s.service_date,
      nb.kids[1] AS child1, nb.kids[2] AS child2, g.room_ids, g.room_ids[1 + nb.n % array_length(g.room_ids, 1)] AS room_id
    FROM numbered nb JOIN svc s USING (site_id)
    JOIN LATERAL (SELECT room_ids FROM grp WHERE grp.site_id = nb.site_id ORDER BY age_group OFFSET (nb.n % 6) LIMIT 1) g ON true`,
  );
  await adminQuery(url, `ALTER TABLE bench_ceiling ADD PRIMARY KEY (n); CREATE SEQUENCE bench_ceiling_seq; ANALYZE bench_ceiling`);
  return Number((await adminQuery(url, 'SELECT count(*)::int AS n FROM bench_ceiling'))[0]!.n);
}

export interface CeilingResult {
  binary: string;
  script: string;
  clients: number;
  threads: number;
  seconds: number;
  tps: number;
  latencyAvgMs: number | null;
  transactions: number | null;
  failed: number | null;
  walBytesPerTx: number | null;
  childrenPerTx: number;
}

/** One pgbench -f run of CEILING_SCRIPT (or a candidate's script) on the bench's database (the caller empties the check-in tables before). */
export async function pgbenchCeiling(
  url: string,
  opts: { clients: number; seconds: number; scriptPath: string; families: number; script?: string; scriptName?: string },
): Promise<CeilingResult | { error: string }> {
  const bin = findPgbench();
  if (!bin) return { error: PGBENCH_INSTALL_HINT };
  fs.writeFileSync(opts.scriptPath, opts.script ?? CEILING_SCRIPT);
  await adminQuery(url, `SELECT setval('bench_ceiling_seq', 1, false)`);
  const threads = Math.min(opts.clients, 2);
  // the history (bench/lib/history.ts) is in the table already: count what this run adds
  const checkinsBefore = Number((await adminQuery(url, 'SELECT count(*)::int AS n FROM checkins'))[0]!.n);
  const lsn = (await adminQuery(url, 'SELECT pg_current_wal_lsn() AS lsn'))[0]!.lsn;
  const { stdout } = await run(
    bin,
    [
      '-n',
      '-M',
      'prepared',
      '-D',
      `nfam=${opts.families}`,
      '-f',
      opts.scriptPath,
      '-c',
      String(opts.clients),
      '-j',
      String(threads),
      '-T',
      String(opts.seconds),
      url,
    ],
    { maxBuffer: 16 << 20 },
  );
  const tps = Number(
    /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1],
  );
  const lat = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
  const tx = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
  const wal = Number((await adminQuery(url, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn]))[0]!.n);
  const checkins = Number((await adminQuery(url, 'SELECT count(*)::int AS n FROM checkins'))[0]!.n) - checkinsBefore;
  return {
    binary: bin,
    script: `bench/lib/pgbench.ts ${opts.scriptName ?? 'CEILING_SCRIPT'}`,
    clients: opts.clients,
    threads,
    seconds: opts.seconds,
    tps: Math.round(tps),
    latencyAvgMs: lat ? Number(lat) : null,
    transactions: tx ? Number(tx) : null,
    failed: failed ? Number(failed) : null,
    walBytesPerTx: tx ? Math.round(wal / Number(tx)) : null,
    childrenPerTx: tx ? Math.round((checkins / Number(tx)) * 100) / 100 : 0,
  };
}
