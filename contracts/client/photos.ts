/**
 * Photos on screen (DESIGN §16), for both UIs, framework-free: a photo's url answers only with the
 * caller's bearer token, so an <img> cannot load it itself. `loadPhoto` fetches it with the token
 * and hands back an object URL (img-src blob: is allowed by the CSP); the caller revokes it when
 * the photo leaves the screen. Nothing is cached: the server answers private, no-store.
 */
import { send } from './http';

export async function loadPhoto(url: string, token: string | null): Promise<string> {
  const res = await send(url, { token, timeoutMs: 10_000 });
  return URL.createObjectURL(await res.blob());
}
