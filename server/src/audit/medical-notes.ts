/**
 * Opening a child's medical notes is audited (DESIGN §19): who, when, which child — one shared
 * function for every screen that shows the note's text (the staff family page here; rosters and
 * others call the same). One row per viewer and child per quarter hour: a screen that refetches on
 * every live event does not flood the trail, and every new look after a pause is on record.
 */
import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';
import { insertChildAuditUnlessRecent } from './audit.repo';

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
  const childIds = children.filter((c) => c.medicalNotes.trim() !== '').map((c) => c.id);
  return insertChildAuditUnlessRecent(trx, actor, { action: MEDICAL_VIEW_ACTION, childIds, details: { via }, quietMinutes: QUIET_MINUTES });
}
