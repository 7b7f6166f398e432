import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { CancelCheckinSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { cancelCheckin } from './desk.service';

export function deskRoutes(ctx: AppContext): Router {
  const r = Router();
  /** Staff undo a mistaken check-in (the seat is freed, audited). */
  r.post('/api/checkins/:id/cancel', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { reason } = parse(CancelCheckinSchema, req.body);
    res.json({ checkin: await ctx.tx((tx) => cancelCheckin(tx, actorOf(req), id, reason)) } satisfies Reply<'POST /api/checkins/:id/cancel'>);
  });
  return r;
}
