import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { BroadcastCreateSchema } from '../../../contracts';
import { withAttempt } from '../limits/attempts';
import { tooMany } from '../errors';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './broadcasts.service';

export function broadcastRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  // per campus, on the shared counters (limits/attempts.ts): each broadcast takes a slot before it
  // is judged, so requests sent at once cannot pass the limit; a refused or failed one gives it back
  r.post('/api/broadcasts', staff, async (req, res) => {
    const input = parse(BroadcastCreateSchema, req.body);
    const actor = actorOf(req);
    const sent = await withAttempt(
      ctx.db,
      { key: `rate:broadcasts:${actor.siteId}`, ...ctx.config.limits.broadcasts },
      () => Promise.reject(tooMany(`A campus sends at most ${ctx.config.limits.broadcasts.limit} broadcasts an hour`)),
      async (slot) => {
        const out = await ctx.tx((tx) => service.send(tx, actor, input));
        slot.wrong(); // "wrong" keeps the slot: a broadcast that went out counts
        return out;
      },
    );
    res.status(202).json(sent satisfies Reply<'POST /api/broadcasts'>);
  });
  r.get('/api/broadcasts', staff, async (req, res) => {
    res.json({ broadcasts: await ctx.tx((tx) => service.list(tx, actorOf(req))) } satisfies Reply<'GET /api/broadcasts'>);
  });
  return r;
}
