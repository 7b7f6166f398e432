/**
 * Opening a child's medical notes is audited (DESIGN §19): who, when, which child — one shared
 * function for every screen that shows the note's text (the staff family page here; rosters and
 * others call the same). One row per viewer and child per quarter hour: a screen that refetches on
 * every live event does not flood the trail, and every new look after a pause is on record.
 */
import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';

// the same action as the rosters' opening of a note (rosters.service), so a child's trail reads one way
export const MEDICAL_VIEW_ACTION = 'child.medical_notes_read';
const QUIET_MINUTES = 15;

/** Records that `actor` was shown the medical notes of `children` (only those that have a note) through `via`. */
export async function auditMedicalNotesViewed(
  trx: Knex.Transaction,
  actor: Actor,
  children: { id: string; medicalNotes: string }[],
  via: string,
): Promise<number> {
  const ids = children.filter((c) => c.medicalNotes.trim() !== '').map((c) => c.id);
  if (!ids.length) return 0;
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
      action: MEDICAL_VIEW_ACTION,
      details: JSON.stringify({ via }),
      ids: `{${ids.join(',')}}`,
      quiet: QUIET_MINUTES,
    },
  );
  return rowCount ?? 0;
}
