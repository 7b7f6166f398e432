import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Role } from '../../../contracts';
import { forbidden, unauthorized } from '../errors';
import { roleAtLeast, type Actor } from './actor';
import { forgetCachedTokens, resolveToken } from './tokens.service';
import { scopeForRoute } from '../apikeys/api-key-scopes';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

// the token cache and lookup are the auth area's service (the socket handshake uses them too, without HTTP)
export { AUTH_CACHE_MS, forgetCachedTokens, resolveToken } from './tokens.service';

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1];
}

export interface Guard {
  role?: Role;
  kiosk?: boolean | 'checkin' | 'pickup';
  /** kiosks only (of the `kiosk` mode given), never a user */
  kioskOnly?: boolean;
  /**
   * a wall display may call this (true), or only a display may ('only'); every other route
   * refuses a display token with 403 — it reads rooms and alerts, never names, codes or rosters
   */
  display?: boolean | 'only';
  /** a mutation that can never revoke or change a token or a user (a check-in): it leaves the auth cache alone */
  keepAuthCache?: boolean;
  /** organisation admins only (their `role` is admin at every campus of the organisation) */
  orgAdmin?: boolean;
}
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may call a route: users from `role` upwards; kiosks only where `kiosk` is set; with
 * `kioskOnly`, no user at all. A route with none of these is open to any signed-in user. An API
 * key (resolved before, by apikeys/api-key.middleware.ts) only where its scopes open the route
 * (apikeys/api-key-scopes.ts; any other route: 403).
 */
export function guard(db: Knex, g: Guard) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const actor = req.integration ?? (await resolveToken(db, bearer(req)));
    if (!actor) throw unauthorized();
    if (actor.kind === 'integration') {
      const scope = scopeForRoute(req.method, req.route?.path as string | undefined);
      if (!scope) throw forbidden('An API key cannot do this');
      if (!actor.scopes.includes(scope)) throw forbidden(`This API key lacks the ${scope} scope`);
      req.actor = actor;
      return next();
    }
    if (actor.kind === 'display') {
      if (!g.display) throw forbidden('A display screen only shows rooms and alerts');
    } else if (g.display === 'only') {
      throw forbidden('Only a display screen can do this');
    } else if (actor.kind === 'kiosk') {
      if (!g.kiosk) throw forbidden('Kiosks cannot do this');
      if (g.orgAdmin) throw forbidden('Kiosks cannot do this');
      if (g.kiosk !== true && g.kiosk !== actor.mode) throw forbidden(`Only a ${g.kiosk} kiosk can do this`);
    } else if (g.kioskOnly) {
      throw forbidden('Only a kiosk can do this');
    } else if (g.role && !roleAtLeast(actor.role, g.role)) {
      throw forbidden(`Needs the ${g.role} role`);
    } else if (g.orgAdmin && !actor.orgAdmin) {
      throw forbidden('Needs an organisation admin');
    }
    req.actor = actor;
    if (!READS.has(req.method) && !g.keepAuthCache) res.once('close', () => forgetCachedTokens(db));
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
