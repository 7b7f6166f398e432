/** The one way the staff app talks to the API: JSON, the bearer token, the error envelope. */
import { ApiError, call, messageOf, routeUrl, send, sendJson, type CallArgs, type RequestQuery } from '../../contracts/client/http';
import type { EndpointKey, Reply } from '../../contracts/endpoints';

export { ApiError, messageOf };

let TOKEN_KEY = 'kc.staff.token';
/** The wall display (/staff/display) keeps its own display token under its own key. */
export const setTokenKey = (key: string) => {
  TOKEN_KEY = key;
};

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
}
/** "Keep me signed in" keeps the token across browser restarts; otherwise it dies with the tab. */
export function setToken(token: string | null, remember = false) {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  if (token) (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
}

let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (fn: () => void) => {
  onUnauthorized = fn;
};

const request = (method: string, path: string, body?: unknown) =>
  send(path, {
    method,
    body,
    token: getToken(),
    onUnauthorized: () => {
      if (path !== '/api/auth/login') onUnauthorized();
    },
  });

/**
 * One call of a route by its key: params, body and query typed by the endpoint map, the answer by
 * EndpointResponses (contracts/endpoints.ts), e.g. `api('GET /api/services/:id/rooms', { params: { id } })`.
 */
export function api<K extends EndpointKey>(key: K, ...[req]: CallArgs<K>): Promise<Reply<K, 'staff'>> {
  return call<K, 'staff'>(key, req, {
    token: getToken(),
    onUnauthorized: () => {
      if (key !== 'POST /api/auth/login') onUnauthorized();
    },
  });
}

/** Uploads a file as it is (a CSV import: its bytes, the server decodes them), with the sign-in; JSON answer. */
export function upload(query: RequestQuery<'POST /api/imports'>, contentType: string, text: string | Blob): Promise<Reply<'POST /api/imports'>> {
  const { url } = routeUrl('POST /api/imports', { query });
  return sendJson(url, { method: 'POST', raw: { contentType, text }, token: getToken(), timeoutMs: 120_000, onUnauthorized: () => onUnauthorized() });
}

type CsvKey = 'GET /api/reports/attendance.csv' | 'GET /api/org/reports/attendance.csv';
/** Downloads a file (CSV) the API answers with, keeping the bearer token out of the URL. */
export async function download<K extends CsvKey>(key: K, query: RequestQuery<K>, fallbackName: string) {
  const res = await request('GET', routeUrl(key, { query }).url);
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
