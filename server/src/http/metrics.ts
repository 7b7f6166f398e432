import type { Request, Response } from 'express';
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  /** A finished request's duration, called by the request log's one `finish` listener (http/request-log.ts). */
  const observe = (req: Request, res: Response, seconds: number) =>
    httpDuration.observe(
      {
        method: req.method,
        route: (req.route?.path as string | undefined) ?? (req.path.startsWith('/api') ? 'unmatched' : 'static'),
        status: String(res.statusCode),
      },
      seconds,
    );
  return { registry, observe };
}
