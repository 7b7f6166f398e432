/**
 * The one HTTP client core both UIs use (zod-free, so it costs their bundles nothing): JSON in and
 * out, the bearer token, the error envelope, a timeout, and a clear split between "the server said
 * no" (ApiError) and "the server could not be reached" (NetworkError, which is an ApiError with
 * status 0, so code that only asks "did it fail?" needs one check).
 */
import type { ApiErrorBody } from '../api';
import { plainMessage } from './messages';

export class ApiError extends Error {
  /** `body`: the whole error object, for the few errors a screen acts on (e.g. `matches` of a possible duplicate). */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly body?: ApiErrorBody['error'],
  ) {
    super(message);
  }
}
export class NetworkError extends ApiError {
  constructor(message = 'Cannot reach the server — check the connection') {
    super(0, 'network', message);
  }
}

export interface SendOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  timeoutMs?: number;
  /** a body sent as it is (an uploaded CSV file), instead of `body` as JSON */
  raw?: { contentType: string; text: string };
  /** a 401 for a request that carried a token: the sign-in or pairing is gone */
  onUnauthorized?: () => void;
  /** whether the server (not a proxy page) answered */
  onReachable?: (ok: boolean) => void;
}

/** Sends one request; resolves with the Response when it is 2xx, else throws ApiError or NetworkError. */
export async function send(path: string, o: SendOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (o.raw) headers['Content-Type'] = o.raw.contentType;
  else if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), o.timeoutMs ?? 15_000);
  let res: Response;
  try {
    // `cache` is a browser option (Node's fetch types lack it): answers are never served from the HTTP cache
    const init: RequestInit & { cache?: 'no-store' } = {
      method: o.method ?? 'GET',
      headers,
      body: o.raw ? o.raw.text : o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: ctrl.signal,
      cache: 'no-store',
    };
    res = await fetch(path, init);
  } catch {
    o.onReachable?.(false);
    throw new NetworkError();
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) {
    o.onReachable?.(true);
    return res;
  }
  let envelope: ApiErrorBody['error'] | undefined;
  try {
    envelope = ((await res.json()) as ApiErrorBody | null)?.error;
  } catch {
    /* not JSON: a proxy page */
  }
  if (!envelope) {
    // a proxy or load balancer answered for a server that is down
    o.onReachable?.(false);
    throw new NetworkError(`The server answered ${res.status}`);
  }
  o.onReachable?.(res.status !== 503);
  if (res.status === 401 && o.token) o.onUnauthorized?.();
  throw new ApiError(res.status, envelope.code, envelope.message, envelope.field, envelope);
}

/** The JSON of a 2xx answer (undefined for 204). */
export async function sendJson<T>(path: string, o: SendOptions = {}): Promise<T> {
  const res = await send(path, o);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A readable message for any thrown value: a server message in plain words (no "phone: …" prefix). */
export const messageOf = (e: unknown) => (e instanceof ApiError ? plainMessage(e.message, e.field) : e instanceof Error ? e.message : String(e));
