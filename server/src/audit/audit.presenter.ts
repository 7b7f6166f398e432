import { iso } from '../../../contracts/rules';
import type { AuditTrailRow } from './audit.repo';

/** One entry of a child's trail, as staff read it. */
export const presentAuditEntry = (a: AuditTrailRow) => ({
  id: Number(a.id),
  at: iso(a.at),
  action: a.action,
  entity: a.entity,
  entityId: a.entity_id,
  actor: { kind: a.actor_kind, id: a.actor_id, name: a.actor_name ?? null },
  details: a.details,
});
