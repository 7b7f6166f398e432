import type { Knex } from 'knex';
import type { Actor } from '../auth/actor';
import { familiesHoldingCode } from './checkin.repo';

/** A kiosk's look-up: marks the families that will need proof to check more children in today (others unchanged). */
export async function withProofNeeded<H extends { id: string; proofNeeded?: boolean }>(
  db: Knex,
  actor: Actor,
  households: H[],
  serviceId?: string,
): Promise<H[]> {
  if (actor.kind !== 'kiosk' || !serviceId || !households.length) return households;
  const holding = await familiesHoldingCode(
    db,
    actor.siteId,
    households.map((h) => h.id),
    serviceId,
  );
  return households.map((h) => ({ ...h, proofNeeded: holding.has(h.id) }));
}
