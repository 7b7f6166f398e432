/** The kiosk's side of pre-check-in (DESIGN §12): a family found at the kiosk brings its choices; the check-in uses them. */
import type { Knex } from 'knex';
import type { KioskHouseholdSummary } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import * as repo from './precheckin.repo';

/** Adds each family's pending pre-check-in for services open now (a kiosk's look-up); other callers get nothing added. */
export async function withPending(db: Knex, actor: Actor, households: KioskHouseholdSummary[]): Promise<KioskHouseholdSummary[]> {
  if (actor.kind !== 'kiosk' || !households.length) return households;
  const rows = await repo.pendingOpenNow(
    db,
    actor.siteId,
    households.map((h) => h.id),
  );
  return households.map((h) => {
    const mine = rows.filter((r) => r.household_id === h.id);
    const available = new Set(h.children.filter((c) => !c.checkedIn).map((c) => c.id));
    const childIds = [...new Set(mine.flatMap((r) => r.child_ids))].filter((id) => available.has(id));
    return { ...h, precheckin: mine.length && childIds.length ? { ids: mine.map((r) => r.id), serviceIds: mine.map((r) => r.service_id), childIds } : null };
  });
}

/** The check-in that carried them out uses them (once children are in): a second scan finds none. */
export async function markUsed(tx: Tx, m: { ids: string[]; siteId: string; householdId: string; serviceIds: string[]; batchId: string }): Promise<number> {
  if (!m.ids.length) return 0;
  return repo.markUsed(tx.trx, m);
}
