/**
 * Staff merge two families of their site: every guardian, child, authorised pickup, custody
 * alert, check-in (with its batches and requests), join code and source id of the merged family
 * moves to the kept one; a guardian whose number the kept family already has becomes that
 * guardian (a STOP on either number stays); nothing is deleted but the empty household. The
 * preview says exactly what will move; the merge is audited with the same counts.
 */
import type { MergePreview } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { maskPhone } from './phone';
import * as families from './families.repo';
import * as repo from './merge.repo';
import { get } from './families.service';

async function pair(tx: Tx, actor: Actor, intoId: string, fromId: string) {
  if (intoId === fromId) throw badRequest('fromHouseholdId: must be another family', 'fromHouseholdId');
  // both locked, in id order, so two merges of the same pair cannot interleave
  const [first, second] = [intoId, fromId].sort();
  const a = await families.lockHousehold(tx.trx, first!);
  const b = await families.lockHousehold(tx.trx, second!);
  const into = a?.id === intoId ? a : b;
  const from = a?.id === fromId ? a : b;
  if (!into || into.site_id !== actor.siteId) throw notFound('Household');
  if (!from || from.site_id !== actor.siteId) throw notFound('Household to merge');
  return { into, from };
}

async function plan(tx: Tx, intoId: string, fromId: string) {
  const [moves, sameGuardians, clashes] = [
    await repo.countRows(tx.trx, fromId),
    await repo.samePhoneGuardians(tx.trx, intoId, fromId),
    await repo.clashingFamilyDays(tx.trx, intoId, fromId),
  ];
  return { moves, sameGuardians, clashes };
}

export async function preview(tx: Tx, actor: Actor, intoId: string, fromId: string): Promise<MergePreview> {
  const { into, from } = await pair(tx, actor, intoId, fromId);
  const p = await plan(tx, intoId, fromId);
  return {
    into: { id: into.id, name: into.name },
    from: { id: from.id, name: from.name },
    moves: p.moves as MergePreview['moves'],
    guardiansJoined: p.sameGuardians.map((g) => ({ phoneMasked: maskPhone(g.phone) })),
    sameDayCodes: p.clashes.map((c) => c.service_date),
  };
}

export async function merge(tx: Tx, actor: Actor, intoId: string, fromId: string) {
  const { into, from } = await pair(tx, actor, intoId, fromId);
  const p = await plan(tx, intoId, fromId);
  for (const g of p.sameGuardians) await repo.foldGuardian(tx.trx, g.from_id, g.into_id);
  await repo.dropFamilyDay(
    tx.trx,
    p.clashes.map((c) => c.id),
  );
  await repo.moveAll(tx.trx, intoId, fromId);
  const left = await repo.countRows(tx.trx, fromId);
  // nothing may be lost: the household is removed only when nothing points at it any more
  if (Object.values(left).some((n) => n > 0)) throw new Error(`merge left rows behind: ${JSON.stringify(left)}`);
  await repo.deleteHousehold(tx.trx, fromId);
  await insertAudit(tx.trx, actor, {
    action: 'household.merge',
    entity: 'household',
    entityId: intoId,
    details: {
      from: { id: from.id, name: from.name },
      into: { id: into.id, name: into.name },
      moved: p.moves,
      guardiansJoined: p.sameGuardians.length,
      sameDayCodes: p.clashes.map((c) => c.service_date),
    },
  });
  return get(tx, actor, intoId);
}
