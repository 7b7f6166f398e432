/**
 * Retention (DESIGN §19): how long an organisation keeps uploaded import files, message bodies
 * and families who stopped coming, and the daily pass that applies it. The pass is safe on
 * several instances: each organisation is handled under a transaction-scoped advisory lock that
 * another instance skips, every step only removes what is past its age (a second run finds
 * nothing), and what each run removed is counted in one audit row.
 */
import { RETENTION_DEFAULTS, type RetentionSettings, type RetentionUpdate } from '../../../contracts';
import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import type { Actor } from '../auth/actor';
import { forbidden, notFound } from '../errors';
import { insertAudit } from '../audit/audit.repo';
import { startPeriodic } from '../periodic';
import { eraseFamily } from './privacy.service';
import * as repo from './retention.repo';

const DAY_MS = 86_400_000;

/** The organisation's retention: its stored values over the built-in defaults (an invalid stored value counts as unset). */
export function retentionOf(settings: unknown): RetentionSettings {
  const raw = ((settings as Record<string, unknown> | null)?.retention ?? {}) as Record<string, unknown>;
  const pos = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
  return {
    importFileDays: pos(raw.importFileDays) ?? RETENTION_DEFAULTS.importFileDays,
    messageBodyDays: pos(raw.messageBodyDays) ?? RETENTION_DEFAULTS.messageBodyDays,
    inactiveFamilyMonths: pos(raw.inactiveFamilyMonths) ?? RETENTION_DEFAULTS.inactiveFamilyMonths,
  };
}

export async function getRetention(tx: Tx, actor: Actor): Promise<RetentionSettings> {
  const o = await repo.findOrganizationSettings(tx.trx, actor.organizationId);
  if (!o) throw notFound('Organisation');
  return retentionOf(o.settings);
}

export async function patchRetention(tx: Tx, actor: Actor, patch: RetentionUpdate): Promise<RetentionSettings> {
  if (actor.kind !== 'user' || !actor.orgAdmin) throw forbidden('Needs an organisation admin');
  const o = await repo.lockOrganizationSettings(tx.trx, actor.organizationId);
  if (!o) throw notFound('Organisation');
  const settings = { ...((o.settings ?? {}) as Record<string, unknown>) };
  const retention = { ...((settings.retention ?? {}) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete retention[k];
    else if (v !== undefined) retention[k] = v;
  }
  settings.retention = retention;
  await repo.updateOrganizationSettings(tx.trx, actor.organizationId, settings);
  await insertAudit(tx.trx, actor, { action: 'org.retention_update', entity: 'organization', entityId: actor.organizationId, details: { patch } });
  return retentionOf(settings);
}

export interface RetentionResult {
  organizations: number;
  importFiles: number;
  messageBodies: number;
  families: number;
}

/** Months back from `now`, in UTC (the cut-off's exact hour does not matter for months of absence). */
const monthsBefore = (now: Date, months: number) => {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

/** One pass over every organisation, as of `now` (tests give their own). */
export async function runRetention(ctx: Pick<AppContext, 'db' | 'tx'>, now = new Date()): Promise<RetentionResult> {
  const result: RetentionResult = { organizations: 0, importFiles: 0, messageBodies: 0, families: 0 };
  for (const org of await repo.listOrganizations(ctx.db)) {
    const r = retentionOf(org.settings);
    const done = await ctx.tx(async (tx) => {
      if (!(await repo.tryLockOrganization(tx.trx, org.id))) return undefined; // another instance is on it
      const importFiles = await repo.dropImportFiles(tx.trx, org.id, new Date(now.getTime() - r.importFileDays * DAY_MS));
      const messageBodies = await repo.dropMessageBodies(tx.trx, org.id, new Date(now.getTime() - r.messageBodyDays * DAY_MS));
      const inactive = r.inactiveFamilyMonths ? await repo.inactiveFamilies(tx.trx, org.id, monthsBefore(now, r.inactiveFamilyMonths)) : [];
      if (importFiles || messageBodies)
        await insertAudit(tx.trx, null, {
          action: 'retention.pass',
          entity: 'organization',
          entityId: org.id,
          details: { importFiles, messageBodies, importFileDays: r.importFileDays, messageBodyDays: r.messageBodyDays },
        });
      return { importFiles, messageBodies, inactive };
    });
    if (!done) continue;
    result.organizations++;
    result.importFiles += done.importFiles;
    result.messageBodies += done.messageBodies;
    // each family in its own transaction, audited by the erasure itself (one failure stops no other)
    for (const id of done.inactive) {
      try {
        const erased = await ctx.tx((tx) =>
          eraseFamily(tx, null, id, `no check-in for ${r.inactiveFamilyMonths} months`, { organizationId: org.id, via: 'retention' }),
        );
        if (!erased.alreadyErased) result.families++;
      } catch (err) {
        // a child checked in meanwhile: the family is not inactive after all; the next pass looks again
        if ((err as { status?: number }).status !== 409) throw err;
      }
    }
  }
  return result;
}

/** The daily pass (RETENTION_PASS_MS; 0: never). */
export function startRetention(ctx: AppContext, everyMs: number): () => void {
  const run = async () => {
    try {
      const r = await runRetention(ctx);
      if (r.importFiles || r.messageBodies || r.families) ctx.logger.info({ retention: r }, 'retention applied');
    } catch (err) {
      ctx.logger.warn({ err }, 'retention pass failed; it runs again later');
    }
  };
  return startPeriodic(everyMs, run);
}
