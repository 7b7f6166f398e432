/**
 * Import runs: the CLI's (in the foreground) and the staff screen's (a job, processed in the
 * background in chunks, its progress stored so the screen polls a real progress bar).
 */
import type { Knex } from 'knex';
import { isoDateIn, sitePhoneCountry } from '../../../contracts/rules';
import { conflict, notFound } from '../errors';
import type { Format, Mapping } from './formats';
import { readImport, writeImport, UnreadableFile, type ImportSummary } from './import.service';
import { findSite } from '../sites/sites.repo';
import { resolveCampus, type CampusChoice } from './campus';
import { startAttendanceJob } from './attendance.jobs';
import type { AttendanceFormat, AttendanceMapping } from './attendance.formats';
import * as repo from './import.repo';
import { decodeSource as decode, type ImportSource as Source } from './encoding';
import { DEFAULT_STALE_MS, runImportJob } from './job-runner';

export const summaryLine = (r: ImportSummary) =>
  `${r.dryRun ? 'would import' : 'imported'} ${r.households} households, ${r.people} people, ${r.skippedRows} rows skipped`;

function rulesOf(site: { timezone: string; settings: { phoneCountry?: string } }) {
  return { country: sitePhoneCountry({ timezone: site.timezone, phoneCountry: site.settings.phoneCountry }), today: isoDateIn(site.timezone) };
}

export { CampusChoiceError, resolveCampus, type CampusChoice } from './campus';

export async function importFile(
  db: Knex,
  o: CampusChoice & Source & { format?: Format; mapping?: Mapping; dryRun: boolean; onProgress?: (done: number, total: number) => void },
) {
  const decoded = decode(o);
  const site = await resolveCampus(db, o);
  const plan = readImport(decoded.text, { format: o.format, mapping: o.mapping, ...rulesOf(site) });
  return {
    ...(await writeImport(db, site.id, plan, { dryRun: o.dryRun, onProgress: o.onProgress })),
    campus: { id: site.id, name: site.name, organization: site.organizationName },
    encoding: { name: decoded.encoding, how: decoded.how },
  };
}

/**
 * Reads the file now (a 400 if nothing can be read), then writes it in the background (job-runner.ts,
 * the attendance import's runner too). The job's row is its state: progress, outcome, the file and its
 * options (for a re-run), and a heartbeat the runner beats while it works — so a restart loses nothing
 * but the work in flight, and the next reader sees the job as interrupted instead of running for ever
 * (see jobStatus).
 */
export async function startJob(
  db: Knex,
  actor: { id: string; siteId: string },
  o: Source & { format?: Format; mapping?: Mapping; dryRun: boolean; rerunOf?: string },
  opts: { staleMs?: number; onDone?: (jobId: string) => void } = {},
) {
  const site = await findSite(db, actor.siteId);
  if (!site) throw new Error('no such campus');
  const { text, encoding } = decode(o);
  const plan = readImport(text, { format: o.format, mapping: o.mapping, ...rulesOf(site) });
  const jobId = await runImportJob(
    db,
    {
      site_id: actor.siteId,
      user_id: actor.id,
      format: plan.format,
      dry_run: o.dryRun,
      total: plan.households.length,
      // kept decoded: a re-run reads it as it was read now
      source_text: text,
      options: JSON.stringify({ format: o.format ?? null, mapping: o.mapping ?? null, encoding }),
      rerun_of: o.rerunOf ?? null,
    },
    (onProgress) => writeImport(db, actor.siteId, plan, { dryRun: o.dryRun, actor: { kind: 'user', id: actor.id }, onProgress }),
    (s) => ({
      summary: { households: s.households, people: s.people, skippedRows: s.skippedRows, unchangedHouseholds: s.unchangedHouseholds, line: summaryLine(s) },
      problems: s.problems,
    }),
    opts,
  );
  return { jobId, kind: 'households' as const, format: plan.format, total: plan.households.length, rows: plan.rows, encoding };
}

const INTERRUPTED = 'the server running this import restarted; households already imported are kept — run it again to finish';

/** Marks the running jobs whose heartbeat stopped (all sites, or one job) as interrupted. */
export async function markInterrupted(db: Knex, staleMs: number, id?: string): Promise<number> {
  return repo.markStaleJobs(db, new Date(Date.now() - staleMs), INTERRUPTED, id);
}

export async function jobStatus(db: Knex, siteId: string, id: string, staleMs = DEFAULT_STALE_MS) {
  let j = await repo.findJob(db, siteId, id);
  if (j?.status === 'running' && (await markInterrupted(db, staleMs, j.id))) j = await repo.findJob(db, siteId, id);
  if (!j) throw notFound('Import');
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    format: j.format,
    dryRun: j.dry_run,
    total: j.total,
    processed: j.processed,
    summary: j.summary,
    problems: j.problems,
    error: j.error,
    rerunOf: j.rerun_of ?? null,
    canRerun: !!j.has_source,
  };
}

/** Runs a finished-badly job again from its kept file; keyed on the source's ids, so what it already committed is left as it is. */
export async function rerunJob(db: Knex, actor: { id: string; siteId: string }, id: string, staleMs = DEFAULT_STALE_MS) {
  const status = await jobStatus(db, actor.siteId, id, staleMs);
  if (status.status === 'running') throw conflict('import_running', 'status: this import is still running');
  const src = await repo.jobSource(db, actor.siteId, id);
  if (!src?.source_text) throw conflict('import_source_missing', 'source: the file of this import was not kept; upload it again');
  const options = (src.options ?? {}) as { format?: string | null; mapping?: Record<string, unknown> | null; encoding?: string };
  // the options it was started with, as they were stored (by startJob or startAttendanceJob, by kind)
  const again = { text: src.source_text, encoding: options.encoding, dryRun: status.dryRun, rerunOf: id };
  if (status.kind === 'attendance') {
    const o = options as { format?: AttendanceFormat | null; mapping?: AttendanceMapping | null };
    return startAttendanceJob(db, actor, { ...again, format: o.format ?? undefined, mapping: o.mapping ?? undefined }, { staleMs });
  }
  const o = options as { format?: Format | null; mapping?: Mapping | null };
  return startJob(db, actor, { ...again, format: o.format ?? undefined, mapping: o.mapping ?? undefined }, { staleMs });
}
export { UnreadableFile };
