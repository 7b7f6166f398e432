/**
 * The bench's PostgreSQL (DATABASE_URL, else an embedded one of its own under .data/bench-pg on a
 * port in 5600–5699), a fresh database per run, and a fast seed with INSERT … SELECT
 * generate_series: sites, services, rooms with room to spare, households, guardians, children,
 * kiosks and staff sessions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, portFree, type Database } from '../../server/src/db/embedded';
import { createDb } from '../../server/src/db/knex';
import { migrateLatest } from '../../server/src/db/migrate';
import { newToken, sha256 } from '../../server/src/auth/crypto';
import { dateInTimezone } from '../../server/src/capacity/rules';

export const ROOT = path.resolve(__dirname, '../..');
export const BENCH_DB = 'kcbench_data';
export const PGBENCH_DB = 'kcbench_pgbench';

export interface BenchPostgres extends Database {
  adminUrl: string;
  dataDir: string | null;
  port: number | null;
}

export async function startBenchPostgres(log: (m: string) => void, opts: { statementStats?: boolean; port?: number } = {}): Promise<BenchPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, adminUrl: external, embedded: false, stop: async () => {}, dataDir: null, port: null };
  let port = opts.port ?? 0;
  if (port && !(await portFree(port))) throw new Error(`--pg-port=${port}: the port is taken`);
  for (let p = 5600; p < 5700 && !port; p++) if (await portFree(p)) port = p;
  if (!port) throw new Error('no free port in 5600–5699 for the bench PostgreSQL');
  const dir = path.join(ROOT, '.data/bench-pg');
  log(`starting embedded PostgreSQL for the bench (data in .data/bench-pg, port ${port})`);
  let pg = await startEmbeddedPostgres({ dir, port, log });
  // --pg-stats: pg_stat_statements for this run only (it needs a restart to load, and one to unload)
  const preload = await adminQuery(pg.url, 'SHOW shared_preload_libraries');
  const want = opts.statementStats ? 'pg_stat_statements' : '';
  if ((preload[0]?.shared_preload_libraries ?? '') !== want) {
    await adminQuery(pg.url, want ? `ALTER SYSTEM SET shared_preload_libraries = '${want}'` : 'ALTER SYSTEM RESET shared_preload_libraries');
    // nested statements (triggers, functions) and planning time too
    for (const [k, v] of [
      ['pg_stat_statements.track', 'all'],
      ['pg_stat_statements.track_planning', 'on'],
    ])
      await adminQuery(pg.url, want ? `ALTER SYSTEM SET ${k} = '${v}'` : `ALTER SYSTEM RESET ${k}`);
    await pg.stop();
    pg = await startEmbeddedPostgres({ dir, port, log });
  }
  return { ...pg, adminUrl: pg.url, dataDir: dir, port };
}

export async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<Record<string, any>[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  return withDatabase(adminUrl, name);
}

export async function serverInfo(url: string): Promise<{ version: string; dataDirectory: string | null; settings: Record<string, string> }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const version = (await c.query('SHOW server_version')).rows[0].server_version as string;
    let dataDirectory: string | null = null;
    try {
      dataDirectory = (await c.query('SHOW data_directory')).rows[0].data_directory;
    } catch {
      /* not a superuser */
    }
    const settings: Record<string, string> = {};
    for (const s of ['shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'wal_level']) {
      try {
        settings[s] = (await c.query(`SHOW ${s}`)).rows[0][s];
      } catch {
        /* ignore */
      }
    }
    return { version, dataDirectory, settings };
  } finally {
    await c.end();
  }
}

export interface SeedSpec {
  households: number;
  sites: number;
  servicesPerSite: number;
  kiosksPerSite: number;
  staffSockets: number;
}
export interface Seeded {
  siteIds: string[];
  /** per site: its open services */
  services: Map<string, string[]>;
  kioskTokens: Map<string, string[]>;
  /** sessions of one staff user of the first site, one per push-latency socket */
  staffTokens: string[];
  households: { id: string; siteId: string; childIds: string[] }[];
  last4: { siteId: string; last4: string }[];
  children: number;
  guardians: number;
  seconds: number;
}

/**
 * Each site: six age groups of three rooms (a big campus) and an overflow room. Capacities are
 * larger than real rooms (10–30) so that a bench run, which checks in far more children per
 * service than a real Sunday, measures the path that admits rather than the one that refuses.
 */
const GROUPS = [
  { group: 'Nursery', min_age_months: 0, max_age_months: 17 },
  { group: 'Toddlers', min_age_months: 18, max_age_months: 35 },
  { group: 'Preschool', min_age_months: 36, max_age_months: 71 },
  { group: 'Kindergarten', min_grade: -1, max_grade: 0 },
  { group: 'Grades 1-2', min_grade: 1, max_grade: 2 },
  { group: 'Grades 3-5', min_grade: 3, max_grade: 5 },
];
const ROOMS = [
  ...GROUPS.flatMap((g, i) =>
    ['A', 'B', 'C'].map((x, j) => ({ ...g, name: `${g.group} ${x}`, age_group: g.group, kind: 'regular', sort_order: i * 3 + j + 1 })),
  ),
  { name: 'Overflow', age_group: 'Overflow', kind: 'overflow', min_age_months: 18, max_age_months: 71, sort_order: 99 },
] as {
  name: string;
  age_group: string;
  kind: string;
  sort_order: number;
  min_age_months?: number;
  max_age_months?: number;
  min_grade?: number;
  max_grade?: number;
}[];
export const ROOMS_PER_SITE = ROOMS.length;
const CAPACITY = 400;

export async function migrate(url: string) {
  const db = createDb(url, 2);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

export async function seed(url: string, spec: SeedSpec): Promise<Seeded> {
  const started = Date.now();
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    const tz = 'America/Chicago';
    const siteIds: string[] = [];
    const services = new Map<string, string[]>();
    const kioskTokens = new Map<string, string[]>();
    const now = Date.now();
    for (let s = 0; s < spec.sites; s++) {
      const site = (
        await c.query(`INSERT INTO sites (name, timezone, settings) VALUES ($1, $2, $3) RETURNING id`, [
          `Bench Campus ${s + 1}`,
          tz,
          JSON.stringify({ strategy: s % 2 ? 'balance' : 'fill_in_order' }),
        ])
      ).rows[0].id as string;
      siteIds.push(site);
      const roomIds: string[] = [];
      for (const r of ROOMS) {
        roomIds.push(
          (
            await c.query(
              `INSERT INTO rooms (site_id, name, age_group, kind, min_age_months, max_age_months, min_grade, max_grade, default_capacity, sort_order)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
              [
                site,
                r.name,
                r.age_group,
                r.kind,
                r.min_age_months ?? null,
                r.max_age_months ?? null,
                r.min_grade ?? null,
                r.max_grade ?? null,
                CAPACITY,
                r.sort_order,
              ],
            )
          ).rows[0].id,
        );
      }
      const ids: string[] = [];
      for (let v = 0; v < spec.servicesPerSite; v++) {
        const startsAt = new Date(now + (30 + v * 90) * 60_000);
        const id = (
          await c.query(
            `INSERT INTO services (site_id, name, starts_at, checkin_opens_at, checkin_closes_at, service_date) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
            [site, `${9 + v * 2}:00 Kids' Club`, startsAt, new Date(now - 30 * 60_000), new Date(now + 4 * 3600_000), dateInTimezone(startsAt, tz)],
          )
        ).rows[0].id as string;
        ids.push(id);
        await c.query(`INSERT INTO service_rooms (service_id, room_id, open, capacity, volunteers) SELECT $1, unnest($2::uuid[]), true, $3, 4`, [
          id,
          roomIds,
          CAPACITY,
        ]);
      }
      services.set(site, ids);
      const tokens = Array.from({ length: spec.kiosksPerSite }, () => newToken('k'));
      kioskTokens.set(site, tokens);
      await c.query(
        `INSERT INTO kiosks (site_id, name, mode, token_hash) SELECT $1, 'Kiosk ' || n, 'checkin', h FROM unnest($2::text[]) WITH ORDINALITY AS t(h, n)`,
        [site, tokens.map(sha256)],
      );
    }
    const staff = (
      await c.query(
        `INSERT INTO users (site_id, email, name, role, password_hash) VALUES ($1, 'bench-staff@bench.church', 'Bench Staff', 'staff', 'x') RETURNING id`,
        [siteIds[0]],
      )
    ).rows[0].id as string;
    const staffTokens = Array.from({ length: spec.staffSockets }, () => newToken('u'));
    await c.query(`INSERT INTO sessions (user_id, token_hash, expires_at) SELECT $1, unnest($2::text[]), now() + interval '1 day'`, [
      staff,
      staffTokens.map(sha256),
    ]);

    // Households: site by index; one guardian each (three in ten have a second); 1–3 children
    // of nursery to grade-5 age. Phones are distinct (7919 is coprime with 9,000,000), so each
    // last-4 matches about households/10,000 guardians across the sites, as in a real church.
    await c.query(
      `CREATE TEMP TABLE seed_h ON COMMIT DROP AS SELECT i, gen_random_uuid() AS id, ($1::uuid[])[1 + i % $2] AS site_id FROM generate_series(0, $3 - 1) AS i`,
      [siteIds, spec.sites, spec.households],
    );
    await c.query(`INSERT INTO households (id, site_id, name) SELECT id, site_id, 'Family' || i || ' family' FROM seed_h`);
    await c.query(`INSERT INTO guardians (household_id, first_name, last_name, phone, sms_opt_in)
      SELECT id, 'Pat', 'Family' || i, '+1312' || lpad(((i::bigint * 7919) % 9000000 + 1000000)::text, 7, '0'), true FROM seed_h
      UNION ALL
      SELECT id, 'Sam', 'Family' || i, '+1773' || lpad(((i::bigint * 7919) % 9000000 + 1000000)::text, 7, '0'), i % 2 = 0 FROM seed_h WHERE i % 10 < 3`);
    await c.query(`INSERT INTO children (household_id, first_name, last_name, birthdate, grade, allergies)
      SELECT h.id, 'Kid' || k, 'Family' || h.i,
        CASE WHEN (h.i + k) % 3 = 2 THEN (current_date - make_interval(years => 5 + (h.i * 7 + k) % 6, days => 40))::date
             ELSE (current_date - make_interval(months => (h.i * 13 + k * 29) % 72, days => 3))::date END,
        CASE WHEN (h.i + k) % 3 = 2 THEN (h.i * 7 + k) % 6 ELSE NULL END,
        CASE WHEN (h.i + k) % 17 = 0 THEN 'peanuts' ELSE '' END
      FROM seed_h h CROSS JOIN LATERAL generate_series(1, 1 + h.i % 3) AS k`);
    await c.query('COMMIT');
    await c.query('ANALYZE');

    const households = (
      await c.query(
        `SELECT h.id, h.site_id, array_agg(c.id ORDER BY c.first_name) AS child_ids FROM households h JOIN children c ON c.household_id = h.id GROUP BY h.id`,
      )
    ).rows.map((r) => ({ id: r.id as string, siteId: r.site_id as string, childIds: r.child_ids as string[] }));
    const last4 = (
      await c.query(`SELECT g.phone_last4, h.site_id FROM guardians g JOIN households h ON h.id = g.household_id ORDER BY random() LIMIT 5000`)
    ).rows.map((r) => ({ last4: r.phone_last4 as string, siteId: r.site_id as string }));
    const counts = (await c.query(`SELECT (SELECT count(*) FROM children)::int AS children, (SELECT count(*) FROM guardians)::int AS guardians`)).rows[0];
    return {
      siteIds,
      services,
      kioskTokens,
      staffTokens,
      households,
      last4,
      children: counts.children,
      guardians: counts.guardians,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

export async function countCheckins(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT count(*)::int AS n FROM checkins`)).rows[0].n;
  } finally {
    await c.end();
  }
}

/** The postmaster's pid, when its data directory is readable from here (same machine). */
export function postmasterPid(dataDirectory: string | null): number | null {
  if (!dataDirectory) return null;
  try {
    return Number(fs.readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}
