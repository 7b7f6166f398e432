import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { childTrail } from './audit.service';

export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/children/:id/audit', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    res.json({ entries: await childTrail(ctx.db, actorOf(req), idParam(req)) } satisfies Reply<'GET /api/children/:id/audit'>);
  });
  return r;
}
