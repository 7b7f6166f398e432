/** A pgbench TPC-B run (the machine's physical ceiling for small durable transactions). */
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { adminQuery, recreateDatabase } from './db';

const run = promisify(execFile);

export const PGBENCH_INSTALL_HINT = 'pgbench not found: on Debian/Ubuntu `apt-get install -y postgresql` (it ships /usr/lib/postgresql/<v>/bin/pgbench), or set PGBENCH=/path/to/pgbench';

export function findPgbench(): string | null {
  if (process.env.PGBENCH && fs.existsSync(process.env.PGBENCH)) return process.env.PGBENCH;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(`${base}/${v}/bin/pgbench`)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return `${base}/${versions[0]}/bin/pgbench`;
  for (const p of ['/usr/bin/pgbench', '/usr/local/bin/pgbench']) if (fs.existsSync(p)) return p;
  return null;
}

export interface PgbenchResult { binary: string; version: string; scale: number; clients: number; threads: number; seconds: number; initSeconds: number; tps: number; latencyAvgMs: number | null; transactions: number | null; walBytesPerTx: number | null }

export async function pgbenchTpcb(adminUrl: string, dbName: string, opts: { scale: number; clients: number; seconds: number }): Promise<PgbenchResult | { error: string }> {
  const bin = findPgbench();
  if (!bin) return { error: PGBENCH_INSTALL_HINT };
  const url = await recreateDatabase(adminUrl, dbName);
  const version = (await run(bin, ['--version'])).stdout.trim();
  const t0 = performance.now();
  await run(bin, ['-i', '-q', '-s', String(opts.scale), url], { maxBuffer: 16 << 20 });
  const initSeconds = (performance.now() - t0) / 1000;
  const threads = Math.min(opts.clients, 2);
  const lsn = (await adminQuery(url, 'SELECT pg_current_wal_lsn() AS lsn'))[0]!.lsn;
  const { stdout } = await run(bin, ['-c', String(opts.clients), '-j', String(threads), '-T', String(opts.seconds), '-n', url], { maxBuffer: 16 << 20 });
  const tps = Number(/tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1]);
  const lat = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
  const tx = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  const wal = Number((await adminQuery(url, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS n', [lsn]))[0]!.n);
  return { binary: bin, version, scale: opts.scale, clients: opts.clients, threads, seconds: opts.seconds, initSeconds: Math.round(initSeconds * 10) / 10, tps: Math.round(tps), latencyAvgMs: lat ? Number(lat) : null, transactions: tx ? Number(tx) : null, walBytesPerTx: tx ? Math.round(wal / Number(tx)) : null };
}
