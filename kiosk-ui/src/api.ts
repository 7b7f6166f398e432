/**
 * The kiosk's HTTP client: bearer token, JSON, the error envelope, and a clear split between
 * "the server said no" (ApiError) and "the server could not be reached" (NetworkError), because
 * only the second may be retried blindly.
 */
import { ApiError, NetworkError, call, routeUrl, sendJson, type CallArgs, type RequestQuery } from '../../contracts/client/http';
import type { EndpointKey, Reply } from '../../contracts/endpoints';
import type { PhotoKind } from '../../contracts/rules';

export { ApiError, NetworkError };

interface Hooks {
  onUnauthorized(): void;
  onReachable(ok: boolean): void;
}
const hooks: Hooks = { onUnauthorized: () => {}, onReachable: () => {} };
export function setApiHooks(h: Partial<Hooks>) {
  Object.assign(hooks, h);
}

let token: string | null = null;
export function setToken(t: string | null) {
  token = t;
}
export const getToken = () => token;

/**
 * One call of a route by its key, typed by the endpoint map as the kiosk reads it (its own,
 * smaller family shape): e.g. `api('POST /api/checkins', { body })`. `auth: false`: without the
 * kiosk's token (pairing).
 */
export function api<K extends EndpointKey>(key: K, ...[req]: CallArgs<K, { auth?: boolean }>): Promise<Reply<K, 'kiosk'>> {
  return call<K, 'kiosk'>(key, req, {
    token: req?.auth === false ? null : token,
    onUnauthorized: () => hooks.onUnauthorized(),
    onReachable: (ok) => hooks.onReachable(ok),
  });
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

/** Takes a person's photo: the camera's JPEG as the raw body (the server re-encodes it, DESIGN §16). */
export function uploadPhoto(
  params: { kind: PhotoKind; id: string },
  query: RequestQuery<'PUT /api/photos/:kind/:id'>,
  image: Blob,
): Promise<Reply<'PUT /api/photos/:kind/:id'>> {
  const { url } = routeUrl('PUT /api/photos/:kind/:id', { params, query });
  return sendJson(url, {
    method: 'PUT',
    raw: { contentType: image.type || 'image/jpeg', text: image },
    token,
    timeoutMs: 30_000,
    onUnauthorized: () => hooks.onUnauthorized(),
    onReachable: (ok) => hooks.onReachable(ok),
  });
}
