/** Import (DESIGN §11): a CSV of families, its column mapping and the job's progress. */
import { z } from 'zod';

const mappingJson = z
  .string()
  .max(4000)
  .transform((s, ctx) => {
    try {
      const v = JSON.parse(s) as unknown;
      if (
        v &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')))
      )
        return v as Record<string, string> & { childValues?: string[] };
    } catch {
      /* below */
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of field → column header' });
    return z.NEVER;
  });
export const ImportStartQuerySchema = z
  .object({
    /** households (the family import, the default) or attendance (past arrivals for the forecast, DESIGN §17: pco, rock or generic) */
    kind: z.enum(['households', 'attendance']).optional(),
    format: z.enum(['pco', 'rock', 'breeze', 'generic']).optional(),
    mapping: mappingJson.optional(),
    dryRun: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
    /** the file's character encoding (utf-8, windows-1252, iso-8859-1 …); `auto` (the default) reads UTF-8, else detects it */
    encoding: z.string().trim().min(1).max(40).optional(),
  })
  .refine((q) => !(q.kind === 'attendance' && q.format === 'breeze'), {
    path: ['format'],
    message: 'an attendance import reads pco, rock or generic',
  });
/** `POST /api/imports` (and a re-run) → 202: the job started; poll `GET /api/imports/:id`. */
export interface ImportStarted {
  jobId: string;
  kind: 'households' | 'attendance';
  format: string;
  total: number;
  rows: number;
  /** what the file was read as (`utf-8`, or e.g. `windows-1252` when detected or given) */
  encoding: string;
}
export interface ImportJob {
  id: string;
  /** households, or attendance (DESIGN §17): `total`/`processed` then count arrivals, the summary is an AttendanceImportSummary's */
  kind: 'households' | 'attendance';
  /** interrupted: the server running it restarted; what was committed stays, run it again to finish. */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  format: string;
  dryRun: boolean;
  total: number;
  processed: number;
  summary: {
    households?: number;
    people?: number;
    skippedRows?: number;
    unchangedHouseholds?: number;
    /** attendance: data rows read, arrivals imported, those already imported before, rows matched to a child */
    rows?: number;
    imported?: number;
    unchanged?: number;
    matchedChildren?: number;
    line?: string;
  };
  /** attendance problems also name the column (`field`) */
  problems: { row: number; field?: string; message: string }[];
  error: string | null;
  /** The job this one runs again, if it is a re-run. */
  rerunOf: string | null;
  /** Whether the file is kept so that POST /api/imports/:id/rerun can run it again. */
  canRerun: boolean;
}
