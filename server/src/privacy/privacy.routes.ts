import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { HouseholdEraseSchema, RetentionUpdateSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './privacy.service';
import * as retention from './retention.service';

/** A family's data out and away, and the organisation's retention (DESIGN §19): admins only. */
export function privacyRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });
  r.get('/api/households/:id/export', admin, async (req, res) => {
    const id = idParam(req);
    const doc = await ctx.tx((tx) => service.exportFamily(tx, actorOf(req), id));
    res.setHeader('Content-Disposition', `attachment; filename="family-${id}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(doc satisfies Reply<'GET /api/households/:id/export'>);
  });
  r.delete('/api/households/:id', admin, async (req, res) => {
    const id = idParam(req);
    const { reason } = parse(HouseholdEraseSchema, req.body);
    res.json((await ctx.tx((tx) => service.eraseFamily(tx, actorOf(req), id, reason))) satisfies Reply<'DELETE /api/households/:id'>);
  });
  r.get('/api/org/retention', admin, async (req, res) => {
    res.json({ retention: await ctx.tx((tx) => retention.getRetention(tx, actorOf(req))) } satisfies Reply<'GET /api/org/retention'>);
  });
  r.patch('/api/org/retention', guard(ctx.db, { role: 'admin', orgAdmin: true }), async (req, res) => {
    const input = parse(RetentionUpdateSchema, req.body);
    res.json({ retention: await ctx.tx((tx) => retention.patchRetention(tx, actorOf(req), input)) } satisfies Reply<'PATCH /api/org/retention'>);
  });
  return r;
}
