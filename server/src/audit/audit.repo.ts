import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
  siteId?: string | null;
}

/**
 * Who an audit row is by: a signed-in actor (or anything with its kind and id, e.g. the importing
 * user), `'system'` (a Twilio webhook, the dispatcher), or `null` (anonymous).
 */
export type AuditBy = (Pick<Actor, 'kind' | 'id'> & { organizationId?: string; siteId?: string }) | 'system' | null;

/**
 * The one writer of audit rows (CONVENTIONS 12, 21): every mutation writes its rows here, in the
 * mutation's own transaction. The check-in's hot statements (checkin.repo) write theirs inside
 * their single round trip, with the same columns.
 */
export async function insertAudit(db: Knex | Knex.Transaction, by: AuditBy, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  if (!list.length) return;
  const actor = by === 'system' ? null : by;
  await db('audit_log').insert(
    list.map((e) => ({
      // without an actor the database finds the organisation (campus, entity) or keeps the row as untenanted
      organization_id: actor?.organizationId ?? null,
      site_id: e.siteId ?? actor?.siteId ?? null,
      actor_kind: by === 'system' ? 'system' : (actor?.kind ?? 'anonymous'),
      actor_id: actor?.id ?? null,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      details: JSON.stringify(e.details ?? {}),
    })),
  );
}

/**
 * Writes `action` on each child in `childIds` unless the same actor wrote it on that child within
 * `quietMinutes` (a screen that refetches on every live event must not flood the trail).
 */
export async function insertChildAuditUnlessRecent(
  trx: Knex.Transaction,
  actor: Actor,
  p: { action: string; childIds: readonly string[]; details: Record<string, unknown>; quietMinutes: number },
): Promise<number> {
  if (!p.childIds.length) return 0;
  const { rowCount } = await trx.raw(
    `INSERT INTO audit_log (organization_id, site_id, actor_kind, actor_id, action, entity, entity_id, details)
     SELECT :organizationId, :siteId, :actorKind, :actorId, :action, 'child', c.id, :details::jsonb
       FROM unnest(:ids::uuid[]) AS c(id)
      WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'child' AND a.entity_id = c.id AND a.action = :action
                          AND a.actor_id = :actorId AND a.at > now() - make_interval(mins => :quiet))`,
    {
      organizationId: actor.organizationId,
      siteId: actor.siteId,
      actorKind: actor.kind,
      actorId: actor.id,
      action: p.action,
      details: JSON.stringify(p.details),
      ids: `{${p.childIds.join(',')}}`,
      quiet: p.quietMinutes,
    },
  );
  return rowCount ?? 0;
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
  return (
    db('audit_log as a')
      .leftJoin('users as u', function () {
        this.on('u.id', 'a.actor_id').andOn('a.actor_kind', db.raw("'user'"));
      })
      .leftJoin('kiosks as k', function () {
        this.on('k.id', 'a.actor_id').andOn('a.actor_kind', db.raw("'kiosk'"));
      })
      // an integration's API key, by the name the admin gave it
      .leftJoin('api_keys as ak', function () {
        this.on('ak.id', 'a.actor_id').andOn('a.actor_kind', db.raw("'integration'"));
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
        db.raw("coalesce(u.name, u.email, k.name, 'API key ' || ak.name) as actor_name"),
      )
      .where('a.site_id', siteId)
      .where((q) =>
        q
          .where({ 'a.entity': 'child', 'a.entity_id': childId })
          .orWhere((w) => w.where('a.entity', 'checkin').whereIn('a.entity_id', checkinIds))
          .orWhere((w) => w.where('a.entity', 'checkin_batch').whereIn('a.entity_id', batchIds)),
      )
      .orderBy('a.id', 'asc')
      .limit(500)
  );
}
