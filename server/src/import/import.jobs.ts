/**
 * Import runs: the CLI's (in the foreground) and the staff screen's (a job, processed in the
 * background in chunks, its progress stored so the screen polls a real progress bar).
 */
import type { Knex } from 'knex';
import { isoDateIn, sitePhoneCountry } from '../../../contracts/rules';
import { notFound } from '../errors';
import type { Format, Mapping } from './formats';
import { readImport, writeImport, UnreadableFile, type ImportSummary } from './import.service';
import * as repo from './import.repo';

export const summaryLine = (r: ImportSummary) =>
  `${r.dryRun ? 'would import' : 'imported'} ${r.households} households, ${r.people} people, ${r.skippedRows} rows skipped`;

function rulesOf(site: { timezone: string; settings: unknown }) {
  const settings = (site.settings ?? {}) as { phoneCountry?: string };
  return { country: sitePhoneCountry({ timezone: site.timezone, phoneCountry: settings.phoneCountry }), today: isoDateIn(site.timezone) };
}

export async function importFile(
  db: Knex,
  o: { campus: string; text: string; format?: Format; mapping?: Mapping; dryRun: boolean; onProgress?: (done: number, total: number) => void },
) {
  const site = await repo.findSiteByName(db, o.campus);
  if (!site) throw new Error(`no campus named "${o.campus}"`);
  const plan = readImport(o.text, { format: o.format, mapping: o.mapping, ...rulesOf(site) });
  return writeImport(db, site.id, plan, { dryRun: o.dryRun, onProgress: o.onProgress });
}

/** Reads the file now (a 400 if nothing can be read), then writes it in the background. */
export async function startJob(
  db: Knex,
  actor: { id: string; siteId: string },
  o: { text: string; format?: Format; mapping?: Mapping; dryRun: boolean },
  onDone?: (jobId: string) => void,
) {
  const site = await db('sites').select('id', 'timezone', 'settings').where({ id: actor.siteId }).first();
  const plan = readImport(o.text, { format: o.format, mapping: o.mapping, ...rulesOf(site) });
  const jobId = await repo.insertJob(db, { site_id: actor.siteId, user_id: actor.id, format: plan.format, dry_run: o.dryRun, total: plan.households.length });
  setImmediate(() => {
    writeImport(db, actor.siteId, plan, {
      dryRun: o.dryRun,
      actor: { kind: 'user', id: actor.id },
      onProgress: async (done) => {
        await repo.updateJob(db, jobId, { processed: done });
      },
    })
      .then(
        async (s) => {
          await repo.updateJob(db, jobId, {
            status: 'done',
            processed: plan.households.length,
            summary: JSON.stringify({
              households: s.households,
              people: s.people,
              skippedRows: s.skippedRows,
              unchangedHouseholds: s.unchangedHouseholds,
              line: summaryLine(s),
            }),
            problems: JSON.stringify(s.problems.slice(0, 2000)),
            finished_at: new Date(),
          });
        },
        async (e) => {
          await repo.updateJob(db, jobId, { status: 'failed', error: String((e as Error).message).slice(0, 500), finished_at: new Date() }).catch(() => {});
        },
      )
      .finally(() => onDone?.(jobId));
  });
  return { jobId, format: plan.format, total: plan.households.length, rows: plan.rows };
}

export async function jobStatus(db: Knex, siteId: string, id: string) {
  const j = await repo.findJob(db, siteId, id);
  if (!j) throw notFound('Import');
  return {
    id: j.id,
    status: j.status as 'running' | 'done' | 'failed',
    format: j.format,
    dryRun: j.dry_run,
    total: j.total,
    processed: j.processed,
    summary: j.summary,
    problems: j.problems,
    error: j.error,
  };
}
export { UnreadableFile };
