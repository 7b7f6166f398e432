import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { RosterQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './rosters.service';

export function rosterRoutes(ctx: AppContext): Router {
  const r = Router();
  // Volunteers at the classroom door use rosters; the presenter keeps medical notes from them.
  r.get('/api/services/:id/roster', guard(ctx.db, { role: 'volunteer' }), async (req, res) => {
    const id = idParam(req);
    const q = parse(RosterQuerySchema, req.query, 'query');
    res.json((await ctx.tx((tx) => service.roster(tx, actorOf(req), id, q))) satisfies Reply<'GET /api/services/:id/roster'>);
  });
  r.get('/api/checkins/:id/medical-notes', guard(ctx.db, { role: 'volunteer' }), async (req, res) => {
    const id = idParam(req);
    res.json({ note: await ctx.tx((tx) => service.medicalNote(tx, actorOf(req), id)) } satisfies Reply<'GET /api/checkins/:id/medical-notes'>);
  });
  return r;
}
