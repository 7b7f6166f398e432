import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { getForecast } from './forecast.service';

/** The forecast of a service (DESIGN §17): staff and the wall displays of its campus only. */
export function forecastRoutes(ctx: AppContext): Router {
  const r = Router();
  // a wall display reads it too (the plan line before the doors open): counts and room names, no child
  r.get('/api/services/:id/forecast', guard(ctx.db, { role: 'staff', display: true }), async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => getForecast(tx, actorOf(req), id))) satisfies Reply<'GET /api/services/:id/forecast'>);
  });
  return r;
}
