/** What the phases measure besides the load itself: CPU per check-in, WAL, autovacuum passes; and where results go. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, ROOT } from './db';
import type { Usage } from './proc';
import { round } from './stats';

/** Autovacuum and autoanalyze passes so far on the bench database's tables (pg_stat_user_tables). */
export async function maintenanceRuns(url: string): Promise<{ autovacuum: number; autoanalyze: number }> {
  const r = await adminQuery(
    url,
    'SELECT coalesce(sum(autovacuum_count), 0)::int AS v, coalesce(sum(autoanalyze_count), 0)::int AS a FROM pg_stat_user_tables',
  );
  return { autovacuum: Number(r[0]!.v), autoanalyze: Number(r[0]!.a) };
}
export async function maintenanceSince(url: string, before: { autovacuum: number; autoanalyze: number }) {
  const now = await maintenanceRuns(url);
  return { autovacuum: now.autovacuum - before.autovacuum, autoanalyze: now.autoanalyze - before.autoanalyze };
}

/** CPU time per check-in (ms): steadier than throughput on a machine shared with other work. */
export function cpuPerCheckin(u: Usage, perSec: number) {
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

export const walLsn = async (url: string) => String((await adminQuery(url, 'SELECT pg_current_wal_lsn() AS lsn'))[0]!.lsn);
export const walBytesSince = async (url: string, lsn: string) =>
  Number((await adminQuery(url, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn]))[0]!.n);

/** Writes a result document to bench/results/<file> and prints it on stdout. */
export function writeResult(file: string, out: unknown) {
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results', file), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
