import { Router } from 'express';
import { WebhookCreateSchema, WebhookUpdateSchema } from '../../../contracts';
import type { Reply } from '../../../contracts/endpoints';
import { idParam, type AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './webhooks.service';

/** The organisation's outbound webhooks (DESIGN §20): organisation admins only. */
export function webhookRoutes(ctx: AppContext): Router {
  const r = Router();
  const orgAdmin = guard(ctx.db, { role: 'admin', orgAdmin: true });
  const deps: service.WebhookDeps = { secret: ctx.secret, allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE };
  r.post('/api/org/webhooks', orgAdmin, async (req, res) => {
    const input = parse(WebhookCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => service.createWebhook(tx, actorOf(req), input, deps))) satisfies Reply<'POST /api/org/webhooks'>);
  });
  r.get('/api/org/webhooks', orgAdmin, async (req, res) => {
    res.json({ webhooks: await ctx.tx((tx) => service.listWebhooks(tx, actorOf(req))) } satisfies Reply<'GET /api/org/webhooks'>);
  });
  r.patch('/api/org/webhooks/:id', orgAdmin, async (req, res) => {
    const id = idParam(req);
    const input = parse(WebhookUpdateSchema, req.body);
    res.json({ webhook: await ctx.tx((tx) => service.updateWebhook(tx, actorOf(req), id, input, deps)) } satisfies Reply<'PATCH /api/org/webhooks/:id'>);
  });
  r.delete('/api/org/webhooks/:id', orgAdmin, async (req, res) => {
    const id = idParam(req);
    await ctx.tx((tx) => service.deleteWebhook(tx, actorOf(req), id));
    res.status(204).end();
  });
  r.post('/api/org/webhooks/:id/rotate-secret', orgAdmin, async (req, res) => {
    const id = idParam(req);
    res.json((await ctx.tx((tx) => service.rotateSecret(tx, actorOf(req), id, deps))) satisfies Reply<'POST /api/org/webhooks/:id/rotate-secret'>);
  });
  r.post('/api/org/webhooks/:id/test', orgAdmin, async (req, res) => {
    const id = idParam(req);
    res.status(202).json({ delivery: await ctx.tx((tx) => service.testPing(tx, actorOf(req), id)) } satisfies Reply<'POST /api/org/webhooks/:id/test'>);
  });
  r.get('/api/org/webhooks/:id/deliveries', orgAdmin, async (req, res) => {
    const id = idParam(req);
    res.json({ deliveries: await ctx.tx((tx) => service.listDeliveries(tx, actorOf(req), id)) } satisfies Reply<'GET /api/org/webhooks/:id/deliveries'>);
  });
  return r;
}
