/** The one way the staff app talks to the API: JSON, the bearer token, the error envelope. */
import type { ApiErrorBody } from '../../contracts';

let TOKEN_KEY = 'kc.staff.token';
/** The wall display (/staff/display) keeps its own display token under its own key. */
export const setTokenKey = (key: string) => { TOKEN_KEY = key; };

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
}
/** "Keep me signed in" keeps the token across browser restarts; otherwise it dies with the tab. */
export function setToken(token: string | null, remember = false) {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  if (token) (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) { super(message); }
}

let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (fn: () => void) => { onUnauthorized = fn; };

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server — check the connection');
  }
  if (res.ok) return res;
  let err: ApiErrorBody['error'] = { code: 'http_error', message: `The server answered ${res.status}` };
  try { err = ((await res.json()) as ApiErrorBody).error ?? err; } catch { /* not JSON */ }
  if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
  throw new ApiError(res.status, err.code, err.message, err.field);
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a file (CSV) the API answers with, keeping the bearer token out of the URL. */
export async function download(path: string, fallbackName: string) {
  const res = await request('GET', path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** A readable message for any thrown value. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
