import { Router, type Request } from 'express';
import type { Reply } from '../../../contracts/endpoints';
import { LabelTemplateKindSchema, LabelTemplatePreviewSchema, LabelTemplatePutSchema, LabelTemplateResetSchema } from '../../../contracts';
import { idParam, type AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './label-templates.service';

const kindParam = (req: Request) => parse(LabelTemplateKindSchema, req.params.kind, 'kind');

/** Label templates (DESIGN §18): read and edited by admins; the organisation's by organisation admins only. */
export function labelTemplateRoutes(ctx: AppContext): Router {
  const r = Router();
  const admin = guard(ctx.db, { role: 'admin' });
  r.get('/api/label-templates', admin, async (req, res) => {
    res.json((await ctx.tx((tx) => service.listTemplates(tx, actorOf(req)))) satisfies Reply<'GET /api/label-templates'>);
  });
  r.post('/api/label-templates/preview', admin, async (req, res) => {
    const input = parse(LabelTemplatePreviewSchema, req.body);
    res.json(service.previewTemplate(input.kind, input.template, input.dpi) satisfies Reply<'POST /api/label-templates/preview'>);
  });
  r.get('/api/label-templates/:id', admin, async (req, res) => {
    const id = idParam(req);
    res.json({ template: await ctx.tx((tx) => service.getTemplate(tx, actorOf(req), id)) } satisfies Reply<'GET /api/label-templates/:id'>);
  });
  r.put('/api/label-templates/:kind', admin, async (req, res) => {
    const kind = kindParam(req);
    const input = parse(LabelTemplatePutSchema, req.body);
    const template = await ctx.tx((tx) => service.putTemplate(tx, actorOf(req), kind, input.level, input.template));
    res.json({ template } satisfies Reply<'PUT /api/label-templates/:kind'>);
  });
  r.post('/api/label-templates/:kind/reset', admin, async (req, res) => {
    const kind = kindParam(req);
    const input = parse(LabelTemplateResetSchema, req.body);
    res.json({
      slot: await ctx.tx((tx) => service.resetTemplate(tx, actorOf(req), kind, input.level)),
    } satisfies Reply<'POST /api/label-templates/:kind/reset'>);
  });
  return r;
}
