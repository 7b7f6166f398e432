/**
 * Staff merge two families of their site (DESIGN §11, §16): every row of the merged family moves
 * to the kept one — guardians, children, authorised pickups, custody alerts, check-ins with their
 * batches and requests, join codes, express codes, pre-check-ins and their links, source ids
 * (merge.repo HOUSEHOLD_TABLES) — and a guardian whose number the kept family already has
 * becomes that guardian (a STOP on either number stays). Where the two cannot both keep a row as
 * it was, the kept family wins and the merged family's row is kept, changed, and recorded:
 *   - both hold an active express code: the merged family's is revoked (its key tag stops; the kept
 *     family's tag is the family's) and moves with its history;
 *   - both have a pending pre-check-in for one service: the kept one takes the merged family's
 *     children too, and the merged one is removed;
 *   - both were sent a pre-check-in link in the same week: the merged family's link keeps working
 *     but loses its week mark (the weekly SMS is once per family);
 *   - both hold a code on one day: both codes keep working, the moved batch is no longer "the
 *     family's day".
 * The merge keeps a record of all of it (household_merges), so for 24 hours an undo puts every
 * row back exactly where it was; rows the kept family gained since stay with it. Audited both ways.
 */
import type { MergeCandidate, MergePreview, MergeUndoable } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { badRequest, conflict } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { iso } from '../../../contracts/rules';
import { maskPhone } from './phone';
import * as families from './families.repo';
import * as repo from './merge.repo';
import { get } from './families.service';
import { assertSameSite } from '../policies/ownership';

const CANDIDATES = 25;

async function pair(tx: Tx, actor: Actor, intoId: string, fromId: string) {
  if (intoId === fromId) throw badRequest('fromHouseholdId: must be another family', 'fromHouseholdId');
  // both locked, in id order, so two merges of the same pair cannot interleave
  const [first, second] = [intoId, fromId].sort();
  const a = await families.lockHousehold(tx.trx, first!);
  const b = await families.lockHousehold(tx.trx, second!);
  const into = a?.id === intoId ? a : b;
  const from = a?.id === fromId ? a : b;
  assertSameSite(actor, into, 'Household');
  assertSameSite(actor, from, 'Household to merge');
  return { into, from };
}

async function plan(tx: Tx, intoId: string, fromId: string) {
  const [moves, sameGuardians, clashes, shares] = [
    await repo.countRows(tx.trx, fromId),
    await repo.samePhoneGuardians(tx.trx, intoId, fromId),
    await repo.clashingFamilyDays(tx.trx, intoId, fromId),
    await repo.sharedBetween(tx.trx, intoId, fromId),
  ];
  return { moves, sameGuardians, clashes, shares };
}

/**
 * The duplicate search of a merge: families matching `q` (or, without it, the likely duplicates),
 * those sharing a number or a guardian's name with this family first, guardians' numbers masked.
 */
export async function candidates(tx: Tx, actor: Actor, id: string, q?: string): Promise<MergeCandidate[]> {
  const h = await families.findHousehold(tx.trx, id);
  assertSameSite(actor, h, 'Household');
  const likely = await repo.likelyDuplicateIds(tx.trx, actor.organizationId, id, CANDIDATES);
  const ids = q && q.length >= 2 ? (await families.searchHouseholdIds(tx.trx, actor.organizationId, q)).filter((x) => x !== id) : likely;
  const d = await families.loadSummaries(tx.trx, ids);
  const mine = await families.loadSummaries(tx.trx, [id]);
  const phones = new Set(mine.guardians.map((g) => g.phone));
  const key = (g: { first_name: string; last_name: string }) => `${g.first_name}\u0000${g.last_name}`.toLowerCase();
  const names = new Set(mine.guardians.map(key));
  const list = d.households.map((x, order) => {
    const gs = d.guardians.filter((g) => g.household_id === x.id);
    return {
      order,
      c: {
        id: x.id,
        name: x.name,
        guardians: gs.map((g) => ({ id: g.id, firstName: g.first_name, lastName: g.last_name, phoneMasked: maskPhone(g.phone) })),
        children: d.children.filter((c) => c.household_id === x.id).map((c) => ({ id: c.id, firstName: c.first_name, lastName: c.last_name })),
        shares: { phone: gs.some((g) => phones.has(g.phone)), guardianName: gs.some((g) => names.has(key(g))) },
      } satisfies MergeCandidate,
    };
  });
  const rank = (s: MergeCandidate['shares']) => (s.phone ? 2 : 0) + (s.guardianName ? 1 : 0);
  return list.sort((a, b) => rank(b.c.shares) - rank(a.c.shares) || a.order - b.order).map((x) => x.c);
}

export async function preview(tx: Tx, actor: Actor, intoId: string, fromId: string): Promise<MergePreview> {
  const { into, from } = await pair(tx, actor, intoId, fromId);
  const p = await plan(tx, intoId, fromId);
  return {
    into: { id: into.id, name: into.name },
    from: { id: from.id, name: from.name },
    moves: p.moves as MergePreview['moves'],
    shares: p.shares,
    guardiansJoined: p.sameGuardians.map((g) => ({ phoneMasked: maskPhone(g.phone) })),
    sameDayCodes: p.clashes.map((c) => c.service_date),
  };
}

/** What a merge did, kept for its undo (household_merges.record). */
interface MergeRecord {
  household: Record<string, unknown>;
  moved: repo.MovedIds;
  folded: { row: Record<string, unknown>; into: string; refs: repo.GuardianRefs }[];
  keptSms: repo.SmsState[];
  familyDayDropped: string[];
  expressRevoked: string[];
  precheckinsFolded: { row: Record<string, unknown>; into: string; intoChildIds: string[] }[];
  linkWeeksCleared: { id: string; send_date: string }[];
}

export async function merge(tx: Tx, actor: Actor, intoId: string, fromId: string) {
  const { into, from } = await pair(tx, actor, intoId, fromId);
  const p = await plan(tx, intoId, fromId);
  const rec: MergeRecord = {
    household: await repo.rowJson(tx.trx, 'households', fromId),
    moved: {} as repo.MovedIds,
    folded: [],
    keptSms: [],
    familyDayDropped: p.clashes.map((c) => c.id),
    expressRevoked: [],
    precheckinsFolded: [],
    linkWeeksCleared: [],
  };
  for (const g of p.sameGuardians) {
    if (!rec.keptSms.some((k) => k.id === g.into_id)) rec.keptSms.push(await repo.smsState(tx.trx, g.into_id));
    const row = await repo.rowJson(tx.trx, 'guardians', g.from_id);
    rec.folded.push({ row, into: g.into_id, refs: await repo.foldGuardian(tx.trx, g.from_id, g.into_id) });
  }
  await repo.setFamilyDay(tx.trx, rec.familyDayDropped, false);
  rec.expressRevoked = await repo.revokeClashingExpressCodes(tx.trx, intoId, fromId);
  for (const c of await repo.clashingPrecheckins(tx.trx, intoId, fromId)) {
    rec.precheckinsFolded.push({ row: await repo.rowJson(tx.trx, 'precheckins', c.from_id), into: c.into_id, intoChildIds: c.into_child_ids });
    await repo.foldPrecheckin(tx.trx, c.from_id, c.into_id);
  }
  rec.linkWeeksCleared = await repo.clearClashingLinkWeeks(tx.trx, intoId, fromId);
  rec.moved = await repo.moveAll(tx.trx, intoId, fromId);
  const left = await repo.countRows(tx.trx, fromId);
  // nothing may be lost: the household is removed only when nothing points at it any more
  if (Object.values(left).some((n) => n > 0)) throw new Error(`merge left rows behind: ${JSON.stringify(left)}`);
  await repo.deleteHousehold(tx.trx, fromId);
  const m = await repo.insertMerge(tx.trx, {
    organizationId: actor.organizationId,
    siteId: into.site_id,
    intoId,
    fromId,
    fromName: from.name,
    mergedBy: actor.kind === 'user' ? actor.id : null,
    record: rec,
  });
  await insertAudit(tx.trx, actor, {
    action: 'household.merge',
    entity: 'household',
    entityId: intoId,
    details: {
      mergeId: m.id,
      from: { id: from.id, name: from.name },
      into: { id: into.id, name: into.name },
      moved: p.moves,
      shares: p.shares,
      guardiansJoined: p.sameGuardians.length,
      sameDayCodes: p.clashes.map((c) => c.service_date),
      expressCodesRevoked: rec.expressRevoked.length,
      precheckinsJoined: rec.precheckinsFolded.length,
    },
  });
  return { household: await get(tx, actor, intoId), merge: { id: m.id, undoUntil: iso(m.undo_until) } };
}

export async function undoable(tx: Tx, actor: Actor, intoId: string): Promise<MergeUndoable[]> {
  await get(tx, actor, intoId);
  return (await repo.undoableMerges(tx.trx, intoId))
    .filter((m) => m.site_id === actor.siteId)
    .map((m) => ({ id: m.id, fromHouseholdId: m.from_household_id, fromName: m.from_name, mergedAt: iso(m.created_at), undoUntil: iso(m.undo_until) }));
}

/** Puts both families back as they were before the merge: within 24 hours, once. */
export async function undo(tx: Tx, actor: Actor, mergeId: string) {
  const m = await repo.lockMerge(tx.trx, mergeId);
  assertSameSite(actor, m, 'Merge');
  if (m.undone_at) throw conflict('merge_already_undone', 'This merge was already undone');
  if (m.expired) throw conflict('merge_undo_expired', 'A merge can be undone for 24 hours only; this one is older');
  const into = await families.lockHousehold(tx.trx, m.into_household_id);
  if (!into) throw conflict('merge_target_gone', 'The family was merged again since: undo that merge first');
  const rec = m.record as MergeRecord;
  const fromId = m.from_household_id;
  if (await repo.laterCheckinsOf(tx.trx, into.id, rec.moved.children, m.created_at))
    throw conflict('merge_in_use', 'A child of the merged family was checked in with this family since the merge: undo that check-in first');
  await repo.insertRowsJson(tx.trx, 'households', [rec.household]);
  await repo.insertRowsJson(
    tx.trx,
    'guardians',
    rec.folded.map((f) => f.row),
  );
  await repo.moveBack(tx.trx, into.id, fromId, rec.moved);
  for (const f of rec.folded) await repo.unfoldGuardianRefs(tx.trx, f.row.id as string, f.refs);
  for (const s of rec.keptSms) await repo.restoreSmsState(tx.trx, s);
  await repo.setFamilyDay(tx.trx, rec.familyDayDropped, true);
  await repo.unrevokeExpressCodes(tx.trx, rec.expressRevoked);
  await repo.insertRowsJson(
    tx.trx,
    'precheckins',
    rec.precheckinsFolded.map((x) => x.row),
  );
  for (const x of rec.precheckinsFolded) await repo.setPrecheckinChildren(tx.trx, x.into, x.intoChildIds);
  for (const l of rec.linkWeeksCleared) await repo.restoreLinkWeek(tx.trx, l.id, l.send_date);
  await repo.markUndone(tx.trx, mergeId, actor.kind === 'user' ? actor.id : null);
  const details = { mergeId, into: { id: into.id, name: into.name }, from: { id: fromId, name: m.from_name }, mergedAt: m.created_at };
  await insertAudit(tx.trx, actor, { action: 'household.merge_undo', entity: 'household', entityId: into.id, details });
  await insertAudit(tx.trx, actor, { action: 'household.merge_undo', entity: 'household', entityId: fromId, details });
  return { into: await get(tx, actor, into.id), from: await get(tx, actor, fromId) };
}
