import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Role } from '../../../contracts';
import { forbidden, unauthorized } from '../errors';
import { roleAtLeast, type Actor } from './actor';
import { sha256 } from './crypto';
import * as repo from './auth.repo';

declare module 'express-serve-static-core' {
  interface Request { actor?: Actor }
}

const TOKEN_RE = /^[uk]_[A-Za-z0-9_-]{43}$/;

/** Resolves a bearer token (user session or kiosk) to an Actor, or undefined. */
export async function resolveToken(db: Knex, token: string | undefined): Promise<Actor | undefined> {
  if (!token || !TOKEN_RE.test(token)) return undefined;
  const hash = sha256(token);
  if (token.startsWith('u_')) {
    const s = await repo.findSessionActor(db, hash);
    return s ? { kind: 'user', id: s.id, siteId: s.site_id, role: s.role, name: s.name, email: s.email, sessionId: s.session_id } : undefined;
  }
  const k = await repo.findKioskActor(db, hash);
  if (!k) return undefined;
  // last_seen_at at most once a minute, off the request path
  if (!k.last_seen_at || Date.now() - new Date(k.last_seen_at).getTime() > 60_000) void repo.touchKiosk(db, k.id).catch(() => {});
  return { kind: 'kiosk', id: k.id, siteId: k.site_id, mode: k.mode, name: k.name };
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1];
}

export interface Guard { role?: Role; kiosk?: boolean | 'checkin' | 'pickup' }

/**
 * Who may call a route: users from `role` upwards; kiosks only where `kiosk` is set. A route
 * with neither is open to any signed-in user.
 */
export function guard(db: Knex, g: Guard) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const actor = await resolveToken(db, bearer(req));
    if (!actor) throw unauthorized();
    if (actor.kind === 'kiosk') {
      if (!g.kiosk) throw forbidden('Kiosks cannot do this');
      if (g.kiosk !== true && g.kiosk !== actor.mode) throw forbidden(`Only a ${g.kiosk} kiosk can do this`);
    } else if (g.role && !roleAtLeast(actor.role, g.role)) {
      throw forbidden(`Needs the ${g.role} role`);
    }
    req.actor = actor;
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

/** Site scoping: an actor only ever touches its own site. */
export function assertSite(actor: Actor, siteId: string) {
  if (actor.siteId !== siteId) throw forbidden('That belongs to another site');
}
