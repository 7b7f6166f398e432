import { Router } from 'express';
import { ApiKeyCreateSchema } from '../../../contracts';
import type { Reply } from '../../../contracts/endpoints';
import { idParam, type AppContext } from '../context';
import { parse } from '../http/validate';
import { actorOf, guard } from '../auth/auth.middleware';
import * as service from './api-keys.service';

/** The organisation's API keys (DESIGN §20): organisation admins only. */
export function apiKeyRoutes(ctx: AppContext): Router {
  const r = Router();
  const orgAdmin = guard(ctx.db, { role: 'admin', orgAdmin: true });
  r.post('/api/org/api-keys', orgAdmin, async (req, res) => {
    const input = parse(ApiKeyCreateSchema, req.body);
    res.status(201).json((await ctx.tx((tx) => service.createApiKey(tx, actorOf(req), input))) satisfies Reply<'POST /api/org/api-keys'>);
  });
  r.get('/api/org/api-keys', orgAdmin, async (req, res) => {
    res.json({ apiKeys: await ctx.tx((tx) => service.listApiKeys(tx, actorOf(req))) } satisfies Reply<'GET /api/org/api-keys'>);
  });
  r.delete('/api/org/api-keys/:id', orgAdmin, async (req, res) => {
    const id = idParam(req);
    res.json({ apiKey: await ctx.tx((tx) => service.revokeApiKey(tx, actorOf(req), id)) } satisfies Reply<'DELETE /api/org/api-keys/:id'>);
  });
  return r;
}
