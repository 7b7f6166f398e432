import { Router } from 'express';
import type { AppContext } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { listCurrentServices } from '../sites/sites.repo';
import { presentService } from './services.presenter';

export function serviceRoutes(ctx: AppContext): Router {
  const r = Router();
  // Volunteers need it too: code pickup names the service.
  r.get('/api/services/current', guard(ctx.db, { kiosk: true, role: 'volunteer' }), async (req, res) => {
    const rows = await listCurrentServices(ctx.db, actorOf(req).siteId);
    res.json({ services: rows.map(presentService) });
  });
  return r;
}
