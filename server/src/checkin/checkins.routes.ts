import { Router } from 'express';
import { z } from 'zod';
import { CheckinCreateSchema, UuidSchema } from '../../../contracts';
import type { Reply } from '../../../contracts/endpoints';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { moveChild } from '../capacity/capacity.service';
import { checkIn } from './checkin.service';
import { withProofAttempt } from './family-proof';

export function checkinRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/api/checkins', guard(ctx.db, { kiosk: 'checkin', role: 'staff', keepAuthCache: true }), async (req, res) => {
    const input = parse(CheckinCreateSchema, req.body);
    const actor = actorOf(req);
    // a kiosk's proof for joining the family's code is counted before it is judged (family-proof.ts)
    const result = await withProofAttempt(ctx.db, actor, input, () =>
      ctx.tx((tx) => checkIn(tx, actor, input, { secret: ctx.secret, baseUrl: ctx.baseUrl(req) })),
    );
    res.status(201).json(result satisfies Reply<'POST /api/checkins'>);
  });
  r.post('/api/checkins/:id/move', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const { roomId } = parse(z.object({ roomId: UuidSchema }).strict(), req.body);
    res.json({ checkin: await ctx.tx((tx) => moveChild(tx, actorOf(req), id, roomId)) } satisfies Reply<'POST /api/checkins/:id/move'>);
  });
  return r;
}
