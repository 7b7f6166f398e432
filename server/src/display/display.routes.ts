import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { DisplayCreateSchema, KioskPairSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { tooMany } from '../errors';
import { byAddress } from '../limits/rate-limit';
import { actorOf, forgetCachedTokens, guard } from '../auth/auth.middleware';
import * as service from './display.service';

export function displayRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });
  // wrong pairing codes per address (a right one never counts)
  const pairLimiter = ctx.limits.failures('displayPairingFailures', {
    key: byAddress,
    failed: (res) => res.statusCode >= 400,
    refused: () => {
      throw tooMany('Too many pairing attempts; wait a minute');
    },
  });
  r.post('/api/displays', admin, async (req, res) => {
    const { name } = parse(DisplayCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => service.createDisplay(tx, actorOf(req), name))) satisfies Reply<'POST /api/displays'>);
  });
  r.get('/api/displays', admin, async (req, res) => {
    res.json({ displays: await ctx.tx((tx) => service.listForSite(tx, actorOf(req))) } satisfies Reply<'GET /api/displays'>);
  });
  r.delete('/api/displays/:id', admin, async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => service.revoke(tx, actorOf(req), id));
    res.status(204).end();
  });
  r.post('/api/displays/pair', pairLimiter, async (req, res) => {
    const { pairingCode } = parse(KioskPairSchema, req.body);
    res.json((await ctx.tx((tx) => service.pair(tx, pairingCode))) satisfies Reply<'POST /api/displays/pair'>);
    forgetCachedTokens(ctx.db);
  });
  /** The screen's own view of itself and its site. */
  r.get('/api/display/me', guard(ctx.db, { display: 'only' }), async (req, res) => {
    res.json((await ctx.tx((tx) => service.me(tx, actorOf(req)))) satisfies Reply<'GET /api/display/me'>);
  });
  return r;
}
