import { Router } from 'express';
import { CampusCreateSchema, OrgSettingsUpdateSchema, RoomsTemplateUpdateSchema, SitePatchSchema } from '../../../contracts';
import type { Reply } from '../../../contracts/endpoints';
import { idParam, type AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './org.service';

/** The organisation: its campuses and template (organisation admins change them; campus admins read). */
export function orgRoutes(ctx: AppContext): Router {
  const r = Router();
  const orgAdmin = guard(ctx.db, { role: 'admin', orgAdmin: true });
  r.get('/api/org', guard(ctx.db, { role: 'admin' }), async (req, res) => {
    res.json({ organization: await ctx.tx((tx) => service.getOrganization(tx, actorOf(req))) } satisfies Reply<'GET /api/org'>);
  });
  r.post('/api/org/campuses', orgAdmin, async (req, res) => {
    const input = parse(CampusCreateSchema, req.body);
    res.status(201).json({ campus: await ctx.tx((tx) => service.createCampus(tx, actorOf(req), input)) } satisfies Reply<'POST /api/org/campuses'>);
  });
  r.patch('/api/org/campuses/:id', orgAdmin, async (req, res) => {
    const id = idParam(req);
    const patch = parse(SitePatchSchema, req.body);
    res.json({ site: await ctx.tx((tx) => service.patchCampus(tx, actorOf(req), id, patch)) } satisfies Reply<'PATCH /api/org/campuses/:id'>);
  });
  r.put('/api/org/rooms-template', orgAdmin, async (req, res) => {
    const input = parse(RoomsTemplateUpdateSchema, req.body);
    res.json({ organization: await ctx.tx((tx) => service.setRoomsTemplate(tx, actorOf(req), input.rooms)) } satisfies Reply<'PUT /api/org/rooms-template'>);
  });
  r.patch('/api/org/settings', orgAdmin, async (req, res) => {
    const input = parse(OrgSettingsUpdateSchema, req.body);
    res.json({ organization: await ctx.tx((tx) => service.patchOrgSettings(tx, actorOf(req), input)) } satisfies Reply<'PATCH /api/org/settings'>);
  });
  return r;
}
