import { Router } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import { LoginSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { tooMany, unauthorized } from '../errors';
import { actorOf, guard } from './auth.middleware';
import * as service from './auth.service';

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  // brute force: per address and email, on top of the per-account lockout in the service
  const limiter = rateLimit({
    windowMs: 60_000, limit: 10, standardHeaders: 'draft-7', legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? "")}|${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
    handler: () => { throw tooMany('Too many sign-in attempts; wait a minute'); },
  });
  r.post('/api/auth/login', limiter, async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const result = await ctx.tx((tx) => service.login(tx, input, ctx.config.SESSION_TTL_HOURS));
    if (result.failed) throw unauthorized('Email or password is wrong');
    res.json({ token: result.token, user: result.user, expiresAt: result.expiresAt.toISOString() });
  });
  r.post('/api/auth/logout', guard(ctx.db, {}), async (req, res) => {
    await ctx.tx((tx) => service.logout(tx, actorOf(req)));
    res.status(204).end();
  });
  r.get('/api/auth/me', guard(ctx.db, { kiosk: true }), async (req, res) => {
    const a = actorOf(req);
    res.json(a.kind === 'user'
      ? { kind: 'user', user: { id: a.id, email: a.email, role: a.role, siteId: a.siteId, name: a.name } }
      : { kind: 'kiosk', kiosk: { id: a.id, siteId: a.siteId, name: a.name, mode: a.mode } });
  });
  return r;
}
