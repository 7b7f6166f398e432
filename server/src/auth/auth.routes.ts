import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { LoginSchema, SwitchCampusSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { byAddress } from '../limits/rate-limit';
import { idParam } from '../context';
import { actorOf, guard } from './auth.middleware';
import * as service from './auth.service';

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  // brute force: per address and email, on top of the per-account lockout in the service. The key
  // uses the email as the schema normalises it, so padding or capitals do not buy a fresh bucket.
  const limiter = ctx.limits.requests('login', {
    key: (req) => `${byAddress(req)}|${loginKeyEmail((req.body as { email?: unknown } | undefined)?.email)}`,
    refused: () => {
      throw tooMany('Too many sign-in attempts; wait a minute');
    },
  });
  r.post('/api/auth/login', limiter, async (req, res) => {
    const input = parse(LoginSchema, req.body);
    const result = await service.login(ctx.db, ctx.tx, input, ctx.config.SESSION_TTL_HOURS);
    res.json({
      token: result.token,
      user: result.user,
      expiresAt: result.expiresAt.toISOString(),
      campuses: result.campuses,
    } satisfies Reply<'POST /api/auth/login'>);
  });
  // a person with roles at several campuses acts at one per sign-in: this swaps the sign-in for one at another campus
  r.post('/api/auth/switch-campus', guard(ctx.db, {}), async (req, res) => {
    const { siteId } = parse(SwitchCampusSchema, req.body);
    const result = await ctx.tx((tx) => service.switchCampus(tx, actorOf(req), siteId, ctx.config.SESSION_TTL_HOURS));
    res.json({
      token: result.token,
      user: result.user,
      expiresAt: result.expiresAt.toISOString(),
      campuses: result.campuses,
    } satisfies Reply<'POST /api/auth/switch-campus'>);
  });
  r.post('/api/auth/logout', guard(ctx.db, {}), async (req, res) => {
    await ctx.tx((tx) => service.logout(tx, actorOf(req)));
    res.status(204).end();
  });
  r.post('/api/users/:id/unlock', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => service.unlock(tx, actorOf(req), id));
    res.status(204).end();
  });
  r.get('/api/auth/me', guard(ctx.db, { kiosk: true }), async (req, res) => {
    const a = actorOf(req);
    res.json(
      (a.kind === 'user'
        ? { kind: 'user', user: service.presentUser(a), campuses: await service.campusesOf(ctx.db, a.id) }
        : {
            kind: 'kiosk',
            kiosk: { id: a.id, siteId: a.siteId, name: a.name, mode: a.kind === 'kiosk' ? a.mode : 'checkin' },
          }) satisfies Reply<'GET /api/auth/me'>,
    );
  });
  return r;
}

/** The email as LoginSchema will see it (trimmed, lower case); anything else keys as itself. */
function loginKeyEmail(email: unknown): string {
  const r = LoginSchema.shape.email.safeParse(email);
  return r.success ? r.data : typeof email === 'string' ? email.trim().toLowerCase() : '';
}
