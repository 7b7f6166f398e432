import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { AlertListQuerySchema, ServiceRoomPatchSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './capacity.service';

export function roomRoutes(ctx: AppContext): Router {
  const r = Router();
  const staff = guard(ctx.db, { role: 'staff' });
  // Volunteers read rooms too: rosters are per room.
  r.get('/api/services/:id/rooms', guard(ctx.db, { role: 'volunteer', display: true }), async (req, res) => {
    const id = idParam(req);
    res.json({ rooms: await ctx.tx((tx) => service.listRooms(tx, actorOf(req), id)) } satisfies Reply<'GET /api/services/:id/rooms'>);
  });
  r.patch('/api/services/:id/rooms/:roomId', staff, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    const patch = parse(ServiceRoomPatchSchema, req.body);
    res.json({ room: await ctx.tx((tx) => service.patchRoom(tx, actorOf(req), id, roomId, patch)) } satisfies Reply<'PATCH /api/services/:id/rooms/:roomId'>);
  });
  r.get('/api/alerts', guard(ctx.db, { role: 'staff', display: true }), async (req, res) => {
    const { serviceId } = parse(AlertListQuerySchema, req.query, 'query');
    res.json({ alerts: await ctx.tx((tx) => service.listAlertsFor(tx, actorOf(req), serviceId)) } satisfies Reply<'GET /api/alerts'>);
  });
  /** The campus's alerts of no one service (a label printer down), on every staff page and the wall, with or without services today. */
  r.get('/api/site-alerts', guard(ctx.db, { role: 'staff', display: true }), async (req, res) => {
    res.json({ alerts: await ctx.tx((tx) => service.listSiteAlertsFor(tx, actorOf(req))) } satisfies Reply<'GET /api/site-alerts'>);
  });
  r.post('/api/alerts/:id/ack', staff, async (req, res) => {
    const id = idParam(req);
    res.json({ alert: await ctx.tx((tx) => service.acknowledgeAlert(tx, actorOf(req), id)) } satisfies Reply<'POST /api/alerts/:id/ack'>);
  });
  return r;
}
