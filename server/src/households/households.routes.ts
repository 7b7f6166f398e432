import { Router } from 'express';
import { HouseholdCreateSchema, HouseholdLookupQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './households.service';

export function householdRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/households', guard(ctx.db, { kiosk: 'checkin', role: 'staff' }), async (req, res) => {
    const q = parse(HouseholdLookupQuerySchema, req.query, 'query');
    res.json({ households: await service.lookup(ctx.db, actorOf(req), q.phone, q.serviceId) });
  });
  r.post('/api/households', guard(ctx.db, { kiosk: 'checkin', role: 'staff' }), async (req, res) => {
    const input = parse(HouseholdCreateSchema, req.body);
    res.status(201).json({ household: await ctx.tx((tx) => service.register(tx, actorOf(req), input)) });
  });
  return r;
}
