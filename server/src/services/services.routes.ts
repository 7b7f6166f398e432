import { Router } from 'express';
import type { AppContext } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { listCurrentServices } from '../sites/sites.repo';
import { listTodayServices } from './services.repo';
import { presentService, presentTodayService } from './services.presenter';

export function serviceRoutes(ctx: AppContext): Router {
  const r = Router();
  /** Services open for check-in (kiosks check families in to these). */
  r.get('/api/services/current', guard(ctx.db, { kiosk: true, role: 'volunteer', display: true }), async (req, res) => {
    const rows = await listCurrentServices(ctx.db, actorOf(req).siteId);
    res.json({ services: rows.map(presentService) });
  });
  /** Services pickup, rosters and the dashboard serve: open for check-in, or with children still in. */
  r.get('/api/services/today', guard(ctx.db, { kiosk: 'pickup', role: 'volunteer', display: true }), async (req, res) => {
    const rows = await listTodayServices(ctx.db, actorOf(req).siteId);
    res.json({ services: rows.map(presentTodayService) });
  });
  return r;
}
