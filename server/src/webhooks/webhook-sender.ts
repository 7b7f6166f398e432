/**
 * One HTTP POST of a delivery: no redirects followed (node's http never follows them; a 3xx is
 * reported as a failure by the caller), a timeout over the whole exchange, the address checked
 * by the connection's own lookup (webhook-target.ts), at most 64 KB of the answer read.
 * Connections are kept alive and reused per host (a TLS handshake and a TCP connection per
 * delivery cost more than the delivery): the address was checked when the connection was made.
 * A reused connection the receiver closed just as the request went out is retried once on a new
 * one (node's documented pattern); the webhook-id is the same, so at most a duplicate.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, isPrivateAddress, TargetRefused } from './webhook-target';

export interface PostResult {
  status: number;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: { timeoutMs: number; allowPrivate: boolean },
  retried = false,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new TargetRefused('invalid URL'));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new TargetRefused(`${u.protocol} URLs are refused`));
    const host = u.hostname.replace(/^\[|\]$/g, '');
    // an IP literal skips the lookup: checked here
    if (net.isIP(host) && !o.allowPrivate && isPrivateAddress(host))
      return reject(new TargetRefused(`${host} is a private, loopback or link-local address (WEBHOOK_ALLOW_PRIVATE is off)`));
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'KidsClub-Webhooks/1', ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(o.allowPrivate),
        signal: AbortSignal.timeout(o.timeoutMs),
        agent: u.protocol === 'https:' ? agents.https : agents.http,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 65_536) res.destroy();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (e) => {
      if (!retried && req.reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET') {
        postWebhook(url, body, headers, o, true).then(resolve, reject);
        return;
      }
      reject(e.name === 'AbortError' || e.name === 'TimeoutError' ? new Error(`timed out after ${o.timeoutMs} ms`) : e);
    });
    req.end(body);
  });
}
