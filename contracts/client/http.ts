/**
 * The one HTTP client core both UIs use (zod-free, so it costs their bundles nothing): JSON in and
 * out, the bearer token, the error envelope, a timeout, and a clear split between "the server said
 * no" (ApiError) and "the server could not be reached" (NetworkError, which is an ApiError with
 * status 0, so code that only asks "did it fail?" needs one check).
 */
import type { z, ZodType } from 'zod';
import type { ApiErrorBody } from '../api';
import type { Audience, ENDPOINTS, EndpointKey, Reply } from '../endpoints';
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
  /** a body sent as it is (an uploaded CSV file: its bytes, a Blob, undecoded; a photo), instead of `body` as JSON */
  raw?: { contentType: string; text: string | Blob };
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
  // `busy` (overloaded, DESIGN §21) is an answer from a server that is up: only the others mean unreachable
  o.onReachable?.(res.status !== 503 || envelope.code === 'busy');
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

// ---- typed calls: request and answer read from the endpoint map by the route's key ----

type Spec<K extends EndpointKey> = (typeof ENDPOINTS)[K];
/** no required property: `Empty extends T` holds when every property of T is optional */
type Empty = Record<never, never>;
/** `:name` segments of a path. */
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}` ? N | ParamNames<Rest> : P extends `${string}:${infer N}` ? N : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;
/** What the route's body schema accepts (its input side: defaults may be left out). */
export type RequestBody<K extends EndpointKey> = Spec<K> extends { body: infer S extends ZodType } ? z.input<S> : never;
export type RequestQuery<K extends EndpointKey> = Spec<K> extends { query: infer S extends ZodType } ? z.input<S> : never;
type Part<Name extends string, T> = [T] extends [never] ? { [k in Name]?: never } : Empty extends T ? { [k in Name]?: T } : { [k in Name]: T };
/**
 * The request of a route: `params` for its `:name` segments, `body` and `query` as its schemas
 * accept them; a part the route does not take cannot be passed.
 */
export type RequestOf<K extends EndpointKey> = Part<'params', [ParamNames<PathOf<K>>] extends [never] ? never : Record<ParamNames<PathOf<K>>, string>> &
  Part<'body', RequestBody<K>> &
  Part<'query', RequestQuery<K>>;
/** The rest arguments of a typed call: the request may be left out when nothing in it is required. */
export type CallArgs<K extends EndpointKey, Extra = unknown> = Empty extends RequestOf<K> ? [req?: RequestOf<K> & Extra] : [req: RequestOf<K> & Extra];

type QueryValue = string | number | boolean | null | undefined;
/** `?a=1&b=2` of the values that are set ('' and null/undefined are left out). */
export function queryString(params: Record<string, QueryValue> | undefined): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v != null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The method and URL of a route's key with its params filled in (encoded) and its query appended. */
export function routeUrl(key: EndpointKey, req: { params?: Record<string, string>; query?: unknown } = {}): { method: string; url: string } {
  const space = key.indexOf(' ');
  const path = key.slice(space + 1).replace(/:(\w+)/g, (_, name: string) => {
    const v = req.params?.[name];
    if (v == null || v === '') throw new Error(`${key}: the path parameter ${name} is missing`);
    return encodeURIComponent(v);
  });
  return { method: key.slice(0, space), url: path + queryString(req.query as Record<string, QueryValue> | undefined) };
}

/**
 * One call of a route by its key (`'PATCH /api/services/:id/rooms/:roomId'`): the body, params and
 * query are typed by the endpoint map's schemas, the answer by EndpointResponses for the caller's
 * audience — a field read that the server does not send fails the typecheck.
 */
export function call<K extends EndpointKey, A extends Audience = 'staff'>(
  key: K,
  req: { params?: Record<string, string>; query?: unknown; body?: unknown } | undefined,
  o: Omit<SendOptions, 'method' | 'body'> = {},
): Promise<Reply<K, A>> {
  const { method, url } = routeUrl(key, req);
  return sendJson<Reply<K, A>>(url, { ...o, method, body: req?.body });
}
