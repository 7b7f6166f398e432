/** Every child accounted for (DESIGN §15): the roll call that raises the alarm, clearing it, emergency roll call. */
import type { Reply } from '../../../contracts/endpoints';
import { Router } from 'express';
import { AlertClearSchema, EmergencyAccountedSchema, EmergencyStartSchema } from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import { submitRollCall } from '../volunteers/volunteers.service';
import { clearWithNote } from './mismatch.service';
import * as emergency from './emergency.service';

export function rollCallRoutes(ctx: AppContext): Router {
  const r = Router();
  const users = guard(ctx.db, { role: 'volunteer' });
  const staff = guard(ctx.db, { role: 'staff' });
  r.post('/api/services/:id/rooms/:roomId/roll-call', users, async (req, res) => {
    const id = idParam(req);
    const roomId = idParam(req, 'roomId');
    res.status(201).json({
      rollCall: await ctx.tx((tx) => submitRollCall(tx, actorOf(req), id, roomId)),
    } satisfies Reply<'POST /api/services/:id/rooms/:roomId/roll-call'>);
  });
  r.post('/api/alerts/:id/clear', staff, async (req, res) => {
    const id = idParam(req);
    const { note } = parse(AlertClearSchema, req.body);
    res.json({ alert: await ctx.tx((tx) => clearWithNote(tx, actorOf(req), id, note)) } satisfies Reply<'POST /api/alerts/:id/clear'>);
  });

  r.post('/api/emergency', staff, async (req, res) => {
    const { message } = parse(EmergencyStartSchema, req.body ?? {});
    res.status(201).json({ emergency: await ctx.tx((tx) => emergency.start(tx, actorOf(req), message)) } satisfies Reply<'POST /api/emergency'>);
  });
  r.get('/api/emergency/current', guard(ctx.db, { role: 'volunteer', display: true }), async (req, res) => {
    res.json({ emergency: await ctx.tx((tx) => emergency.current(tx, actorOf(req))) } satisfies Reply<'GET /api/emergency/current'>);
  });
  r.post('/api/emergency/:id/accounted', users, async (req, res) => {
    const id = idParam(req);
    const { checkinId } = parse(EmergencyAccountedSchema, req.body);
    res.json({ emergency: await ctx.tx((tx) => emergency.accounted(tx, actorOf(req), id, checkinId)) } satisfies Reply<'POST /api/emergency/:id/accounted'>);
  });
  r.post('/api/emergency/:id/end', staff, async (req, res) => {
    const id = idParam(req);
    res.json({ emergency: await ctx.tx((tx) => emergency.end(tx, actorOf(req), id)) } satisfies Reply<'POST /api/emergency/:id/end'>);
  });
  return r;
}
