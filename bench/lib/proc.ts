/**
 * The server as a child process (so its CPU and memory are its own), and samplers of
 * /proc/<pid>/stat and /proc/<pid>/status for it, for PostgreSQL's processes and for the machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './db';
import { round } from './stats';

const TICKS = 100; // USER_HZ on Linux

/** utime+stime in seconds and RSS in MB of one process, or null when it is gone. */
export function procSample(pid: number): { cpu: number; rssMb: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12])) / TICKS; // fields 14 and 15
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { cpu, rssMb: rss };
  } catch {
    return null;
  }
}

/** utime+stime+cutime+cstime in seconds: a process's CPU and that of its children that have exited. */
function reapedCpu(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS; // fields 14–17
  } catch {
    return 0;
  }
}

/** The pids of a process and its direct children (PostgreSQL's backends are the postmaster's children). */
export function withChildren(pid: number): number[] {
  const out = [pid];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

function machineCpu(): { busy: number; total: number; steal: number } {
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const steal = f[7] ?? 0;
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - idle - steal) / TICKS, total: total / TICKS, steal: steal / TICKS };
}

export interface Usage {
  seconds: number;
  /** server CPU as % of one core (200 % = both cores of a 2-core machine) */
  serverCpuPct: number;
  serverRssMbMax: number;
  serverRssMbAvg: number;
  postgresCpuPct: number | null;
  /** the bench process itself (load generator), % of one core */
  benchCpuPct: number;
  /** the whole machine, % of all cores */
  machineCpuPct: number;
  /** what else ran on the machine meanwhile (other processes, kernel), % of one core: the noise on these figures */
  otherCpuPct: number | null;
  /** CPU time the hypervisor gave to other guests (steal), % of all cores: noise from outside this machine */
  stealPct: number;
}

/** Samples the server (and PostgreSQL, when its postmaster is known) from start() to stop(). */
export function usageMeter(serverPid: number, postmaster: number | null) {
  // the live backends, plus the postmaster's own CPU and what its exited children used (cutime/cstime):
  // pgbench's backends start and end inside one phase and would otherwise never be counted
  const pgCpu = () => (postmaster ? withChildren(postmaster).reduce((sum, p) => sum + (p === postmaster ? reapedCpu(p) : (procSample(p)?.cpu ?? 0)), 0) : 0);
  return {
    start() {
      const t0 = performance.now();
      const s0 = procSample(serverPid);
      const p0 = pgCpu();
      const m0 = machineCpu();
      const b0 = process.cpuUsage();
      const rss: number[] = [];
      const timer = setInterval(() => {
        const s = procSample(serverPid);
        if (s) rss.push(s.rssMb);
      }, 200);
      return {
        stop(): Usage {
          clearInterval(timer);
          const seconds = (performance.now() - t0) / 1000;
          const s1 = procSample(serverPid);
          const m1 = machineCpu();
          if (s1) rss.push(s1.rssMb);
          const pct = (v: number) => round((100 * v) / seconds);
          const serverCpuPct = s0 && s1 ? pct(s1.cpu - s0.cpu) : 0;
          const postgresCpuPct = postmaster ? pct(Math.max(0, pgCpu() - p0)) : null;
          const b = process.cpuUsage(b0);
          const benchCpuPct = pct((b.user + b.system) / 1e6);
          const machineCpuPct = round((100 * (m1.busy - m0.busy)) / Math.max(0.001, m1.total - m0.total));
          const cores = os.cpus().length;
          return {
            seconds: round(seconds, 2),
            serverCpuPct,
            serverRssMbMax: round(Math.max(0, ...rss)),
            serverRssMbAvg: round(rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)),
            postgresCpuPct,
            benchCpuPct,
            machineCpuPct,
            otherCpuPct: postgresCpuPct == null ? null : round(Math.max(0, machineCpuPct * cores - serverCpuPct - postgresCpuPct - benchCpuPct)),
            stealPct: round((100 * (m1.steal - m0.steal)) / Math.max(0.001, m1.total - m0.total)),
          };
        },
      };
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    for (const c of live) c.kill('SIGKILL');
    process.exit(130);
  });

/** Starts `node --import tsx server/src/main.ts` and waits for /healthz. */
export async function startServer(opts: { env: Record<string, string>; port: number; cpuProfDir?: string }): Promise<ServerProcess> {
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server (e.g. --trace-gc) when investigating
  const args = ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  if (opts.cpuProfDir) {
    fs.mkdirSync(opts.cpuProfDir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
  }
  args.push(path.join('server', 'src', 'main.ts'));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1' },
  });
  live.add(child);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode != null) throw new Error(`the server exited (${child.exitCode}) before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within 60 s:\n${out}`);
    }
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid!,
    baseUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode != null || child.signalCode != null) return;
      child.kill('SIGINT'); // main.ts shuts down cleanly on SIGINT, which also writes --cpu-prof
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
