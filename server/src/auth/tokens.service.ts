/** Bearer tokens (user sessions, kiosks, displays) → actors, for HTTP requests and the socket handshake alike. */
import type { Knex } from 'knex';
import type { Actor } from './actor';
import { sha256 } from './crypto';
import * as repo from './auth.repo';
import { findDisplayActor } from '../display/display.repo';

const TOKEN_RE = /^[ukd]_[A-Za-z0-9_-]{43}$/;

/**
 * A short in-process cache of resolved tokens, keyed by the token's hash: the check-in path
 * would otherwise spend a pool checkout and a round trip per request on it. Revocation stays
 * prompt: an entry lives at most AUTH_CACHE_MS (other instances see a revocation within that),
 * and in this process every mutating request (except the ones guarded with `keepAuthCache`, which
 * cannot change any token) empties the cache once it has finished — logout, unpairing a kiosk,
 * an admin's change of role — so the next request reads the database again.
 */
export const AUTH_CACHE_MS = 2000;
const AUTH_CACHE_MAX = 10_000;
interface AuthCache {
  generation: number;
  entries: Map<string, { actor: Actor; until: number }>;
}
const caches = new WeakMap<Knex, AuthCache>();
const cacheOf = (db: Knex) => {
  let c = caches.get(db);
  if (!c) {
    c = { generation: 0, entries: new Map() };
    caches.set(db, c);
  }
  return c;
};

/** Drops every cached token of this database handle (after anything that may revoke one). */
export function forgetCachedTokens(db: Knex) {
  const c = cacheOf(db);
  c.generation++;
  c.entries.clear();
}

/** Resolves a bearer token (user session or kiosk) to an Actor, or undefined. */
export async function resolveToken(db: Knex, token: string | undefined): Promise<Actor | undefined> {
  if (!token || !TOKEN_RE.test(token)) return undefined;
  const hash = sha256(token);
  const cache = cacheOf(db);
  const hit = cache.entries.get(hash);
  const now = Date.now();
  if (hit && hit.until > now) return hit.actor;
  const generation = cache.generation;
  const actor = await lookupToken(db, token, hash);
  // a lookup that raced a revocation (the cache was emptied meanwhile) is not kept
  if (actor && generation === cache.generation) {
    if (cache.entries.size >= AUTH_CACHE_MAX) cache.entries.clear();
    cache.entries.set(hash, { actor, until: now + AUTH_CACHE_MS });
  } else cache.entries.delete(hash);
  return actor;
}

async function lookupToken(db: Knex, token: string, hash: string): Promise<Actor | undefined> {
  if (token.startsWith('u_')) {
    const s = await repo.findSessionActor(db, hash);
    return s
      ? {
          kind: 'user',
          id: s.id,
          siteId: s.site_id,
          organizationId: s.organization_id,
          orgAdmin: s.org_admin,
          role: s.role,
          name: s.name,
          email: s.email,
          sessionId: s.session_id,
        }
      : undefined;
  }
  if (token.startsWith('d_')) {
    const d = await findDisplayActor(db, hash);
    return d ? { kind: 'display', id: d.id, siteId: d.site_id, organizationId: d.organization_id, name: d.name } : undefined;
  }
  const k = await repo.findKioskActor(db, hash);
  if (!k) return undefined;
  // last_seen_at at most once a minute, off the request path
  if (!k.last_seen_at || Date.now() - new Date(k.last_seen_at).getTime() > 60_000) void repo.touchKiosk(db, k.id).catch(() => {});
  return { kind: 'kiosk', id: k.id, siteId: k.site_id, organizationId: k.organization_id, mode: k.mode, name: k.name };
}
