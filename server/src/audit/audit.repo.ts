import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';

export interface AuditEntry { action: string; entity: string; entityId?: string | null; details?: Record<string, unknown>; siteId?: string | null }

/** Every mutation writes one row here, in the mutation's own transaction. */
export async function insertAudit(db: Knex | Knex.Transaction, actor: Actor | null, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    site_id: e.siteId ?? actor?.siteId ?? null,
    actor_kind: actor?.kind ?? 'anonymous',
    actor_id: actor?.id ?? null,
    action: e.action, entity: e.entity, entity_id: e.entityId ?? null,
    details: JSON.stringify(e.details ?? {}),
  });
}

export async function listAuditForEntity(db: Knex, siteId: string, entity: string, entityId: string) {
  return db('audit_log').select('id', 'actor_kind', 'actor_id', 'action', 'entity', 'entity_id', 'details', 'at')
    .where({ site_id: siteId, entity, entity_id: entityId }).orderBy('id', 'asc').limit(500);
}
