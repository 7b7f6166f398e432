/**
 * The kiosk's HTTP client: bearer token, JSON, the error envelope, and a clear split between
 * "the server said no" (ApiError) and "the server could not be reached" (NetworkError), because
 * only the second may be retried blindly.
 */
import type { ApiErrorBody } from '../../contracts';

export class ApiError extends Error {
  /** `body`: the whole error object, for the few errors a screen acts on (e.g. `matches` of a possible duplicate). */
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly body?: ApiErrorBody['error']) { super(message); }
}
export class NetworkError extends Error {}

interface Hooks { onUnauthorized(): void; onReachable(ok: boolean): void }
const hooks: Hooks = { onUnauthorized: () => {}, onReachable: () => {} };
export function setApiHooks(h: Partial<Hooks>) { Object.assign(hooks, h); }

let token: string | null = null;
export function setToken(t: string | null) { token = t; }

const TIMEOUT_MS = 15_000;

export async function api<T>(path: string, opts: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const sendToken = opts.auth !== false && token;
  if (sendToken) headers.Authorization = `Bearer ${token}`;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: ctrl.signal, cache: 'no-store' });
  } catch {
    hooks.onReachable(false);
    throw new NetworkError('unreachable');
  } finally {
    clearTimeout(timer);
  }
  let data: unknown = null;
  try { data = await res.json(); } catch { /* not JSON: a proxy page or an empty 204 */ }
  const envelope = (data as ApiErrorBody | null)?.error;
  if (!res.ok && !envelope) {
    // a proxy or load balancer answered for a server that is down
    hooks.onReachable(false);
    throw new NetworkError(`HTTP ${res.status}`);
  }
  hooks.onReachable(res.status !== 503);
  if (!res.ok) {
    if (res.status === 401 && sendToken) hooks.onUnauthorized();
    throw new ApiError(res.status, envelope!.code, envelope!.message, envelope!.field, envelope);
  }
  return data as T;
}

/** May this failure be retried with the same request (and, for a check-in, the same key)? */
export const isRetryable = (e: unknown) => e instanceof NetworkError || (e instanceof ApiError && (e.status === 503 || e.status === 504));

/** A v4 UUID; crypto.randomUUID only exists in secure contexts, a lobby LAN may be plain http. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
