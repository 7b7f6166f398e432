import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import type { AppContext } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { currentServices, todayServices } from './services.service';

export function serviceRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/services/current', guard(ctx.db, { kiosk: true, role: 'volunteer', display: true }), async (req, res) => {
    res.json({ services: await currentServices(ctx.db, actorOf(req)) } satisfies Reply<'GET /api/services/current'>);
  });
  r.get('/api/services/today', guard(ctx.db, { kiosk: 'pickup', role: 'volunteer', display: true }), async (req, res) => {
    res.json({ services: await todayServices(ctx.db, actorOf(req)) } satisfies Reply<'GET /api/services/today'>);
  });
  return r;
}
