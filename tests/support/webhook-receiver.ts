/** A local webhook receiver on 127.0.0.1, port 0: records every request; a test decides the answers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}
export type Answer = { status: number; headers?: Record<string, string> } | 'hold' | Promise<{ status: number; headers?: Record<string, string> }>;

export interface Receiver {
  url: string;
  received: Received[];
  /** How to answer the next requests (default: 200). `hold` never answers (until close). */
  answer: (fn: (r: Received, n: number) => Answer) => void;
  /** Resolves once `n` requests have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  /** Requests whose answer is still pending. */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const received: Received[] = [];
  let decide: (r: Received, n: number) => Answer = () => ({ status: 200 });
  const waiters: { n: number; resolve: () => void }[] = [];
  const held = new Set<http.ServerResponse>();
  let pending = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      pending++;
      const a = decide(r, received.length);
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
      if (a === 'hold') {
        held.add(res);
        return;
      }
      void Promise.resolve(a).then((x) => res.writeHead(x.status, x.headers).end('ok', () => pending--));
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    url,
    received,
    answer: (fn) => {
      decide = fn;
    },
    inFlight: () => pending,
    waitFor: (n, ms = 10_000) =>
      new Promise((resolve, reject) => {
        if (received.length >= n) return resolve(received);
        const t = setTimeout(() => reject(new Error(`receiver: ${received.length} of ${n} requests within ${ms} ms`)), ms);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(t);
            resolve(received);
          },
        });
      }),
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
