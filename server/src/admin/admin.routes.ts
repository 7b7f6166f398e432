import type { Reply } from '../../../contracts/endpoints';
import { hasTwilio } from '../notifications/transport';
import { Router } from 'express';
import {
  RoomWithLocationCreateSchema,
  RoomWithLocationPatchSchema,
  ScheduleCreateSchema,
  SchedulePatchSchema,
  ScheduleSkipSchema,
  ServiceCreateSchema,
  ServiceListQuerySchema,
  ServicePatchSchema,
  SitePatchSchema,
  SiteSettingsUpdateSchema,
} from '../../../contracts';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as rooms from './rooms.service';
import * as schedule from './schedule.service';
import * as schedules from './schedules.service';
import * as settings from './settings.service';

/** The admin area: rooms, services and site settings. Reading the service list is for staff too (reports). */
export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });

  r.get('/api/rooms', admin, async (req, res) => {
    res.json({ rooms: await ctx.tx((tx) => rooms.list(tx, actorOf(req))) } satisfies Reply<'GET /api/rooms'>);
  });
  r.post('/api/rooms', admin, async (req, res) => {
    const input = parse(RoomWithLocationCreateSchema, req.body);
    res.status(201).json({ room: await ctx.tx((tx) => rooms.create(tx, actorOf(req), input)) } satisfies Reply<'POST /api/rooms'>);
  });
  r.patch('/api/rooms/:id', admin, async (req, res) => {
    const id = idParam(req);
    const patch = parse(RoomWithLocationPatchSchema, req.body);
    res.json({ room: await ctx.tx((tx) => rooms.update(tx, actorOf(req), id, patch)) } satisfies Reply<'PATCH /api/rooms/:id'>);
  });
  r.delete('/api/rooms/:id', admin, async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => rooms.archive(tx, actorOf(req), id));
    res.status(204).end();
  });

  // a wall display lists them too, to show the next service's forecast plan before its doors open (DESIGN §17): times and counts, no child
  r.get('/api/services', guard(ctx.db, { role: 'staff', display: true }), async (req, res) => {
    const q = parse(ServiceListQuerySchema, req.query, 'query');
    res.json({ services: await ctx.tx((tx) => schedule.list(tx, actorOf(req), q.from, q.to)) } satisfies Reply<'GET /api/services'>);
  });
  r.post('/api/services', admin, async (req, res) => {
    const input = parse(ServiceCreateSchema, req.body);
    res.status(201).json({ service: await ctx.tx((tx) => schedule.create(tx, actorOf(req), input)) } satisfies Reply<'POST /api/services'>);
  });
  r.patch('/api/services/:id', admin, async (req, res) => {
    const id = idParam(req);
    const patch = parse(ServicePatchSchema, req.body);
    res.json({ service: await ctx.tx((tx) => schedule.update(tx, actorOf(req), id, patch)) } satisfies Reply<'PATCH /api/services/:id'>);
  });
  r.delete('/api/services/:id', admin, async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => schedule.remove(tx, actorOf(req), id));
    res.status(204).end();
  });

  // recurring schedules: weekly service times that make the next 8 weeks of services
  r.get('/api/schedules', admin, async (req, res) => {
    res.json({ schedules: await ctx.tx((tx) => schedules.list(tx, actorOf(req))) } satisfies Reply<'GET /api/schedules'>);
  });
  r.post('/api/schedules', admin, async (req, res) => {
    const input = parse(ScheduleCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => schedules.create(tx, actorOf(req), input))) satisfies Reply<'POST /api/schedules'>);
  });
  r.post('/api/schedules/generate', admin, async (req, res) => {
    res.json((await ctx.tx((tx) => schedules.generate(tx, actorOf(req)))) satisfies Reply<'POST /api/schedules/generate'>);
  });
  r.patch('/api/schedules/:id', admin, async (req, res) => {
    const id = idParam(req);
    const patch = parse(SchedulePatchSchema, req.body);
    res.json((await ctx.tx((tx) => schedules.update(tx, actorOf(req), id, patch))) satisfies Reply<'PATCH /api/schedules/:id'>);
  });
  r.delete('/api/schedules/:id', admin, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => schedules.remove(tx, actorOf(req), id))) satisfies Reply<'DELETE /api/schedules/:id'>);
  });
  r.post('/api/schedules/:id/skips', admin, async (req, res) => {
    const id = idParam(req);
    const { date } = parse(ScheduleSkipSchema, req.body);
    res.json({ schedule: await ctx.tx((tx) => schedules.skip(tx, actorOf(req), id, date)) } satisfies Reply<'POST /api/schedules/:id/skips'>);
  });
  r.delete('/api/schedules/:id/skips/:date', admin, async (req, res) => {
    const id = idParam(req);
    const { date } = parse(ScheduleSkipSchema, { date: req.params.date });
    res.json({ schedule: await ctx.tx((tx) => schedules.unskip(tx, actorOf(req), id, date)) } satisfies Reply<'DELETE /api/schedules/:id/skips/:date'>);
  });

  // every signed-in user sees the site's name and timezone (times on screen are in it)
  // `sms.sending` false: no provider is configured, texts are logged, not sent (the staff UI says so)
  r.get('/api/site', guard(ctx.db, { role: 'volunteer' }), async (req, res) => {
    res.json({ site: await ctx.tx((tx) => settings.getSite(tx, actorOf(req))), sms: { sending: hasTwilio(ctx.config) } } satisfies Reply<'GET /api/site'>);
  });
  r.patch('/api/site', admin, async (req, res) => {
    const patch = parse(SitePatchSchema, req.body);
    res.json({ site: await ctx.tx((tx) => settings.patchSite(tx, actorOf(req), patch)) } satisfies Reply<'PATCH /api/site'>);
  });
  r.get('/api/site/settings', admin, async (req, res) => {
    res.json((await ctx.tx((tx) => settings.getSettings(tx, actorOf(req)))) satisfies Reply<'GET /api/site/settings'>);
  });
  r.patch('/api/site/settings', admin, async (req, res) => {
    const patch = parse(SiteSettingsUpdateSchema, req.body);
    res.json((await ctx.tx((tx) => settings.patchSettings(tx, actorOf(req), patch))) satisfies Reply<'PATCH /api/site/settings'>);
  });
  return r;
}
