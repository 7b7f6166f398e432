/** The one way the staff app talks to the API: JSON, the bearer token, the error envelope. */
import { ApiError, messageOf, send, sendJson } from '../../contracts/client/http';

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

export function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return sendJson<T>(path, {
    method,
    body,
    token: getToken(),
    onUnauthorized: () => {
      if (path !== '/api/auth/login') onUnauthorized();
    },
  });
}

/** Uploads a file's text as it is (a CSV import), with the sign-in; JSON answer. */
export function upload<T>(path: string, contentType: string, text: string): Promise<T> {
  return sendJson<T>(path, { method: 'POST', raw: { contentType, text }, token: getToken(), timeoutMs: 120_000, onUnauthorized: () => onUnauthorized() });
}

/** Downloads a file (CSV) the API answers with, keeping the bearer token out of the URL. */
export async function download(path: string, fallbackName: string) {
  const res = await request('GET', path);
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

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
