import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
  siteId?: string | null;
}

/** Every mutation writes one row here, in the mutation's own transaction. */
export async function insertAudit(db: Knex | Knex.Transaction, actor: Actor | null, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    // without an actor the database finds the organisation (campus, entity) or keeps the row as untenanted
    organization_id: actor?.organizationId ?? null,
    site_id: e.siteId ?? actor?.siteId ?? null,
    actor_kind: actor?.kind ?? 'anonymous',
    actor_id: actor?.id ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId ?? null,
    details: JSON.stringify(e.details ?? {}),
  });
}

/**
 * A child's trail: rows about the child, its check-ins, and the household batches it was part of
 * (check-in, verify, checkout), with the actor's name resolved.
 */
export interface AuditTrailRow {
  id: string | number;
  at: Date;
  action: string;
  entity: string;
  entity_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  details: unknown;
}

/** Whether the child belongs to a family of this organisation (families are the organisation's; the trail stays per campus). */
export async function childOfOrganization(db: Knex | Knex.Transaction, organizationId: string, childId: string): Promise<boolean> {
  return !!(await db('children as c')
    .join('households as h', 'h.id', 'c.household_id')
    .select('c.id')
    .where('c.id', childId)
    .where('h.organization_id', organizationId)
    .first());
}

export function childAudit(db: Knex | Knex.Transaction, siteId: string, childId: string): Promise<AuditTrailRow[]> {
  const checkinIds = db('checkins').select('id').where({ child_id: childId });
  const batchIds = db('checkins').select('batch_id').where({ child_id: childId });
  return db('audit_log as a')
    .leftJoin('users as u', function () {
      this.on('u.id', 'a.actor_id').andOn('a.actor_kind', db.raw("'user'"));
    })
    .leftJoin('kiosks as k', function () {
      this.on('k.id', 'a.actor_id').andOn('a.actor_kind', db.raw("'kiosk'"));
    })
    .select(
      'a.id',
      'a.at',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.actor_kind',
      'a.actor_id',
      'a.details',
      db.raw('coalesce(u.name, u.email, k.name) as actor_name'),
    )
    .where('a.site_id', siteId)
    .where((q) =>
      q
        .where({ 'a.entity': 'child', 'a.entity_id': childId })
        .orWhere((w) => w.where('a.entity', 'checkin').whereIn('a.entity_id', checkinIds))
        .orWhere((w) => w.where('a.entity', 'checkin_batch').whereIn('a.entity_id', batchIds)),
    )
    .orderBy('a.id', 'asc')
    .limit(500);
}
