/**
 * Load generators: autocannon for saturation (closed loop, a fresh request per call), and an
 * open-loop scheduled sender for latency at a fixed rate — each request is due at t0 + i/rate
 * and its latency counts from when it was due, so any queueing (server or client) shows.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { percentiles, round, type Percentiles } from './stats';

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SaturationResult {
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  children: number;
  childrenPerSec: number;
  refused: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** response bytes per second (autocannon's mean throughput) */
  bytesPerSec: number;
}

/** Closed loop with `connections` clients for `seconds`; next() builds each request. */
export async function saturate(baseUrl: string, opts: { connections: number; seconds: number; next: () => Req | null }): Promise<SaturationResult> {
  let children = 0;
  let refused = 0;
  let ok = 0;
  const started = performance.now();
  const result = await autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (req: any) => {
          const r = opts.next();
          if (!r) throw new Error('the bench ran out of households to check in: seed more');
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
        onResponse: (status: number, body: string) => {
          if (status !== 201) return;
          ok++;
          const b = JSON.parse(body) as { checkins: unknown[]; refused: unknown[] };
          children += b.checkins.length;
          refused += b.refused.length;
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds: round(seconds, 2),
    connections: opts.connections,
    requests: result.requests.total,
    requestsPerSec: round(result.requests.total / seconds),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    children,
    childrenPerSec: round(children / seconds),
    refused,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    bytesPerSec: Math.round(result.throughput.average),
  };
}

export interface OpenLoopResult {
  targetRate: number;
  seconds: number;
  sent: number;
  completed: number;
  achievedRate: number;
  statuses: Record<string, number>;
  errors: number;
  latencyMs: Percentiles;
}

/** Sends `rate` requests per second for `seconds`, open loop, on a keep-alive pool. */
export async function openLoop(
  baseUrl: string,
  opts: { rate: number; seconds: number; next: () => Req | null; onBody?: (status: number, body: string) => void },
): Promise<OpenLoopResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let completed = 0;
  let sent = 0;
  const t0 = performance.now() + 20;
  let resolveAll!: () => void;
  const done = new Promise<void>((r) => {
    resolveAll = r;
  });
  const finish = () => {
    completed++;
    if (completed === total) resolveAll();
  };

  const send = (due: number) => {
    const r = opts.next();
    if (!r) {
      errors++;
      finish();
      return;
    }
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.body ? { ...r.headers, 'content-length': Buffer.byteLength(r.body) } : r.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - due);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          opts.onBody?.(res.statusCode ?? 0, Buffer.concat(chunks).toString());
          finish();
        });
      },
    );
    req.on('error', () => {
      errors++;
      finish();
    });
    if (r.body) req.end(r.body);
    else req.end();
  };
  const tick = () => {
    const now = performance.now();
    while (sent < total && t0 + sent * interval <= now) {
      send(t0 + sent * interval);
      sent++;
    }
    if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
  };
  setTimeout(tick, 20);
  const guard = setTimeout(() => resolveAll(), (opts.seconds + 30) * 1000);
  await done;
  clearTimeout(guard);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    targetRate: opts.rate,
    seconds: round(seconds, 2),
    sent,
    completed: latencies.length,
    achievedRate: round(latencies.length / seconds),
    statuses,
    errors,
    latencyMs: percentiles(latencies),
  };
}
