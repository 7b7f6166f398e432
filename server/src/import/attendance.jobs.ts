/**
 * Attendance-history import runs (`--kind attendance`, DESIGN §17): the CLI's in the foreground,
 * the staff screen's as an import job (the same import_jobs rows, progress and re-run as the family
 * import, `kind` 'attendance', run by the one runner in job-runner.ts). The campus is resolved exactly
 * as the family import resolves it.
 */
import type { Knex } from 'knex';
import type { AttendanceImportSummary } from '../../../contracts/forecast';
import { findSite } from '../sites/sites.repo';
import { decodeSource as decode, type ImportSource as Source } from './encoding';
import type { AttendanceFormat, AttendanceMapping } from './attendance.formats';
import { readAttendance, writeAttendance } from './attendance.service';
import { resolveCampus, type CampusChoice } from './campus';
import * as attendanceRepo from './attendance.repo';
import { runImportJob } from './job-runner';

export const attendanceSummaryLine = (r: AttendanceImportSummary) =>
  `${r.dryRun ? 'would import' : 'imported'} ${r.imported} arrivals (${r.unchanged} already imported, ${r.matchedChildren} matched to a child), ${r.problems.length} rows skipped` +
  (r.ignoredColumns.length ? `; columns not read: ${r.ignoredColumns.map((c) => `"${c}"`).join(', ')}` : '');

async function siteWithOrganization(db: Knex, siteId: string) {
  const [site, organizationId] = await Promise.all([findSite(db, siteId), attendanceRepo.organizationOfSite(db, siteId)]);
  if (!site || !organizationId) throw new Error('no such campus');
  return { ...site, organization_id: organizationId };
}

export async function importAttendanceFile(
  db: Knex,
  o: CampusChoice &
    Source & { format?: AttendanceFormat; mapping?: AttendanceMapping; dryRun: boolean; now?: Date; onProgress?: (done: number, total: number) => void },
) {
  const decoded = decode(o);
  const campus = await resolveCampus(db, o);
  const site = await siteWithOrganization(db, campus.id);
  const plan = readAttendance(decoded.text, { format: o.format, mapping: o.mapping, timezone: site.timezone, now: o.now });
  const summary = await writeAttendance(db, site, plan, { dryRun: o.dryRun, onProgress: o.onProgress });
  return {
    ...summary,
    format: plan.format,
    campus: { id: site.id, name: site.name, organization: campus.organizationName },
    encoding: { name: decoded.encoding, how: decoded.how },
  };
}

/** Reads the file now (a 400 when nothing can be read), then writes it in the background as an import job. */
export async function startAttendanceJob(
  db: Knex,
  actor: { id: string; siteId: string },
  o: Source & { format?: AttendanceFormat; mapping?: AttendanceMapping; dryRun: boolean; rerunOf?: string },
  opts: { staleMs: number; onDone?: (jobId: string) => void },
) {
  const site = await siteWithOrganization(db, actor.siteId);
  const { text, encoding } = decode(o);
  const plan = readAttendance(text, { format: o.format, mapping: o.mapping, timezone: site.timezone });
  const jobId = await runImportJob(
    db,
    {
      site_id: actor.siteId,
      user_id: actor.id,
      kind: 'attendance',
      format: plan.format,
      dry_run: o.dryRun,
      total: plan.items.length,
      source_text: text,
      options: JSON.stringify({ format: o.format ?? null, mapping: o.mapping ?? null, encoding }),
      rerun_of: o.rerunOf ?? null,
    },
    (onProgress, jobId) => writeAttendance(db, site, plan, { dryRun: o.dryRun, importJobId: jobId, onProgress }),
    (s) => ({
      summary: {
        rows: s.rows,
        imported: s.imported,
        unchanged: s.unchanged,
        matchedChildren: s.matchedChildren,
        ignoredColumns: s.ignoredColumns,
        line: attendanceSummaryLine(s),
      },
      problems: s.problems,
    }),
    opts,
  );
  return { jobId, kind: 'attendance' as const, format: plan.format, total: plan.items.length, rows: plan.rows, encoding };
}
