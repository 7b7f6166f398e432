import { Router } from 'express';
import { HeadcountCreateSchema, RollCallSchema, VolunteerCheckinSchema, VolunteerReportQuerySchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './volunteers.service';

export function volunteerRoutes(ctx: AppContext): Router {
  const r = Router();
  const users = guard(ctx.db, { role: 'volunteer' });
  r.get('/api/services/:id/volunteers', users, async (req, res) => {
    const id = idParam(req);
    res.json(await ctx.tx((tx) => service.listForService(tx, actorOf(req), id)));
  });
  r.post('/api/services/:id/rooms/:roomId/volunteers', users, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    const input = parse(VolunteerCheckinSchema, req.body ?? {});
    res.status(201).json(await ctx.tx((tx) => service.checkIn(tx, actorOf(req), id, roomId, input)));
  });
  r.post('/api/volunteer-shifts/:id/checkout', users, async (req, res) => {
    const id = idParam(req);
    res.json(await ctx.tx((tx) => service.checkOut(tx, actorOf(req), id)));
  });
  r.post('/api/services/:id/rooms/:roomId/headcounts', users, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    const { count } = parse(HeadcountCreateSchema, req.body);
    res.status(201).json({ headcount: await ctx.tx((tx) => service.recordHeadcount(tx, actorOf(req), id, roomId, count)) });
  });
  r.put('/api/checkins/:id/present', users, async (req, res) => {
    const id = idParam(req);
    const { present } = parse(RollCallSchema, req.body);
    res.json(await ctx.tx((tx) => service.setPresent(tx, actorOf(req), id, present)));
  });
  r.get('/api/reports/volunteers', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const q = parse(VolunteerReportQuerySchema, req.query, 'query');
    res.json(await ctx.tx((tx) => service.report(tx, actorOf(req), q.from, q.to)));
  });
  return r;
}
