import { Router } from 'express';
import type { AppContext } from '../context';
import { idParam } from '../context';
import { actorOf, guard } from '../auth/auth.middleware';
import { notFound } from '../errors';
import { childAudit } from './audit.repo';

export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/api/children/:id/audit', guard(ctx.db, { role: 'staff' }), async (req, res) => {
    const id = idParam(req);
    const actor = actorOf(req);
    const child = await ctx.db('children as c').join('households as h', 'h.id', 'c.household_id').select('c.id').where('c.id', id).where('h.organization_id', actor.organizationId).first();
    if (!child) throw notFound('Child');
    const rows = await childAudit(ctx.db, actor.siteId, id);
    res.json({
      entries: rows.map((a) => ({
        id: Number(a.id), at: new Date(a.at).toISOString(), action: a.action, entity: a.entity, entityId: a.entity_id,
        actor: { kind: a.actor_kind, id: a.actor_id, name: a.actor_name ?? null }, details: a.details,
      })),
    });
  });
  return r;
}
