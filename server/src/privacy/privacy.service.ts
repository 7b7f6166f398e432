/**
 * A family's data, out and away (DESIGN §19): the export of everything held about a family, and
 * its erasure — personal data removed from every table and free-text column (FAMILY_TABLES, audit
 * details, refusals, kept import files), the attendance record kept under a pseudonym.
 */
import type { Knex } from 'knex';
import type { FamilyErased, FamilyExport } from '../../../contracts';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { conflict, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { FAMILY_TABLES, type FamilyIds } from './family-tables';
import { lineMentions, mentions, personalTerms, pseudonymOf, scrubJson, scrubText, withoutLinesMentioning, type FamilyPeople } from './scrub';
import * as repo from './privacy.repo';

/** The family of the actor's organisation; another organisation's id is a 404, like an unknown one. */
async function familyOf(db: Knex | Knex.Transaction, actor: Actor | null, id: string, lock: boolean) {
  const h = lock ? await repo.lockHousehold(db as Knex.Transaction, id) : await repo.findHousehold(db, id);
  if (!h || (actor && h.organization_id !== actor.organizationId)) throw notFound('Household');
  return h;
}

/** Everything held about the family, as one document (the admin hands it to the family). */
export async function exportFamily(tx: Tx, actor: Actor, id: string): Promise<FamilyExport> {
  const h = await familyOf(tx.trx, actor, id, false);
  const f = await repo.familyIds(tx.trx, h);
  const data: Record<string, unknown> = {};
  for (const t of FAMILY_TABLES) data[t.key] = await t.rows(tx.trx, f);
  const household = (data.household as unknown[])[0];
  data.household = household;
  data.auditLog = await repo.familyAuditRows(tx.trx, f);
  await insertAudit(tx.trx, actor, { action: 'household.export', entity: 'household', entityId: id });
  return {
    exportedAt: new Date().toISOString(),
    organizationId: h.organization_id,
    householdId: h.id,
    ...data,
  } as FamilyExport;
}

/** The family's personal strings, for scrubbing free text and JSON. */
async function personalOf(db: Knex | Knex.Transaction, householdId: string): Promise<FamilyPeople & { all: string[] }> {
  const values = await repo.personalValues(db, householdId);
  const people = values.filter((v) => v.kind === 'person').map((v) => ({ first: v.a ?? '', last: v.b ?? '' }));
  const strong = personalTerms(values.filter((v) => v.kind !== 'person').flatMap((v) => [v.a, v.b]));
  const names = personalTerms(people.flatMap((p) => [p.first, p.last, `${p.first} ${p.last}`]));
  return { people, terms: strong, all: [...new Set([...strong, ...names])] };
}

export interface ErasureCounts {
  [table: string]: number;
}

/**
 * Erases the family (an admin on request, or the retention pass with `actor` null). A family
 * already erased is left as it is: the answer says when it was erased, nothing is written.
 */
export async function eraseFamily(
  tx: Tx,
  actor: Actor | null,
  id: string,
  reason: string,
  opts: { organizationId?: string; via?: string } = {},
): Promise<FamilyErased> {
  const h = await familyOf(tx.trx, actor, id, true);
  if (opts.organizationId && h.organization_id !== opts.organizationId) throw notFound('Household');
  if (h.erased_at) return { householdId: id, erasedAt: new Date(h.erased_at).toISOString(), alreadyErased: true, pseudonym: h.name };
  if (await repo.hasChildCheckedIn(tx.trx, id))
    throw conflict('child_checked_in', 'A child of this family is checked in now; erase the family once every child has been picked up');
  const f = await repo.familyIds(tx.trx, h);
  const personal = await personalOf(tx.trx, id);
  const counts: ErasureCounts = {};
  // JSON and free text first, while the ids still find them
  counts.audit_log = await scrubAudit(tx.trx, f, personal.all);
  counts.refusals = await scrubRefusals(tx.trx, f, personal.all);
  counts.import_jobs = await scrubImports(tx.trx, h.organization_id, personal);
  counts.webhook_deliveries = await scrubWebhookPayloads(tx.trx, h.organization_id, personal.all);
  for (const t of FAMILY_TABLES) counts[t.table] = await t.erase(tx.trx, f);
  const after = (await repo.findHousehold(tx.trx, id))!;
  await insertAudit(tx.trx, actor, {
    siteId: h.site_id,
    action: 'household.erase',
    entity: 'household',
    entityId: id,
    // no personal data: the reason loses the family's names and numbers, the rest is counts
    details: { reason: scrubText(reason, personal.all), via: opts.via ?? 'request', counts },
  });
  return { householdId: id, erasedAt: new Date(after.erased_at!).toISOString(), alreadyErased: false, pseudonym: `Erased family ${pseudonymOf(id)}` };
}

async function scrubAudit(trx: Knex.Transaction, f: FamilyIds, terms: string[]): Promise<number> {
  let n = 0;
  for (const row of await repo.familyAuditRows(trx, f)) {
    const clean = scrubJson(row.details, (s) => mentions(s, terms));
    if (JSON.stringify(clean) === JSON.stringify(row.details)) continue;
    await repo.updateAuditDetails(trx, row.id, clean);
    n++;
  }
  return n;
}

async function scrubRefusals(trx: Knex.Transaction, f: FamilyIds, terms: string[]): Promise<number> {
  const [batches, requests] = await repo.refusalsOfFamily(trx, f);
  let n = 0;
  for (const [table, rows] of [
    ['checkin_batches', batches],
    ['checkin_requests', requests],
  ] as const) {
    for (const r of rows) {
      const clean = scrubJson(r.refused, (s) => mentions(s, terms));
      if (JSON.stringify(clean) === JSON.stringify(r.refused)) continue;
      await repo.updateRefused(trx, table, r.id, clean);
      n++;
    }
  }
  return n;
}

/** Kept import files lose the lines about the family; import reports, any mention of it. */
/** A queued webhook delivery naming the family (up to 24 h of retries) goes out without its names and numbers. */
async function scrubWebhookPayloads(trx: Knex.Transaction, organizationId: string, terms: string[]): Promise<number> {
  let n = 0;
  for (const row of await repo.webhookPayloads(trx, organizationId)) {
    const clean = scrubJson(row.payload, (s) => mentions(s, terms));
    if (JSON.stringify(clean) === JSON.stringify(row.payload)) continue;
    await repo.updateWebhookPayload(trx, row.id, clean);
    n++;
  }
  return n;
}

async function scrubImports(trx: Knex.Transaction, organizationId: string, personal: FamilyPeople & { all: string[] }): Promise<number> {
  let n = 0;
  for (const job of await repo.importJobsWithData(trx, organizationId)) {
    const patch: { source_text?: string; problems?: string } = {};
    if (job.source_text) {
      const { text, removed } = withoutLinesMentioning(job.source_text, personal);
      if (removed) patch.source_text = text;
    }
    // other families' problems stay: only a line naming this family's person, phone or note goes
    const problems = scrubJson(job.problems, (s) => lineMentions(s, personal), false);
    if (JSON.stringify(problems) !== JSON.stringify(job.problems)) patch.problems = JSON.stringify(problems);
    if (Object.keys(patch).length) {
      await repo.updateImportJob(trx, job.id, patch);
      n++;
    }
  }
  return n;
}
