import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { BROADCASTS_PER_CAMPUS_PER_HOUR, BroadcastCreateSchema } from '../../../contracts';
import { tooMany } from '../errors';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './broadcasts.service';

export function broadcastRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  // per campus; refused and failed requests do not count (one call, so the shared limiter factory can replace it)
  const perCampus = rateLimit({
    windowMs: 60 * 60_000,
    limit: BROADCASTS_PER_CAMPUS_PER_HOUR,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipFailedRequests: true,
    keyGenerator: (req) => `broadcast:${actorOf(req).siteId}`,
    handler: () => {
      throw tooMany(`A campus sends at most ${BROADCASTS_PER_CAMPUS_PER_HOUR} broadcasts an hour`);
    },
  });
  r.post('/api/broadcasts', staff, perCampus, async (req, res) => {
    const input = parse(BroadcastCreateSchema, req.body);
    res.status(202).json((await ctx.tx((tx) => service.send(tx, actorOf(req), input))) satisfies Reply<'POST /api/broadcasts'>);
  });
  r.get('/api/broadcasts', staff, async (req, res) => {
    res.json({ broadcasts: await ctx.tx((tx) => service.list(tx, actorOf(req))) } satisfies Reply<'GET /api/broadcasts'>);
  });
  return r;
}
