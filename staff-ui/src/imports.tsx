/**
 * The one CSV import on screen, for families (DESIGN §11) and attendance history (§17): pick a file
 * and its format, a dry run (nothing written, every row's problems listed), then the import as a job
 * on the server whose progress is polled into a real progress bar; a job the server could not finish
 * can be run again from its kept file. The pages add only their words and what surrounds the form.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ImportJob } from '../../contracts';
import type { RequestQuery } from '../../contracts/client/http';
import type { Reply } from '../../contracts/endpoints';
import { api, messageOf, upload } from './api';

export type ImportFormat = NonNullable<RequestQuery<'POST /api/imports'>['format']>;
type Picked = { file: File; format: ImportFormat | '' };

/** A page's import: the picked file and format, the job it started, and what a finished dry run read. */
export function useImport(kind: ImportJob['kind']) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** the file and format a finished dry run read: an import that wants one first is offered for exactly those */
  const [dryRunOf, setDryRunOf] = useState<Picked | null>(null);
  const running = useRef<Picked | null>(null);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      api('GET /api/imports/:id', { params: { id: job.id } })
        .then((r) => {
          setJob(r.import);
          if (r.import.status === 'done' && r.import.dryRun) setDryRunOf(running.current);
        })
        .catch(() => {});
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);

  const start = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setJob(null);
    if (dryRun) setDryRunOf(null);
    let body: Reply<'POST /api/imports'>;
    try {
      // the bytes: an old Windows-1252 export read as UTF-8 here would be "Jos\uFFFD"
      body = await upload({ kind, dryRun: String(dryRun) as 'true' | 'false', format: format || undefined }, 'text/csv', file);
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    running.current = { file, format };
    setJob({
      id: body.import.jobId,
      kind: body.import.kind,
      status: 'running',
      format: body.import.format,
      dryRun,
      total: body.import.total,
      processed: 0,
      summary: {},
      problems: [],
      error: null,
      rerunOf: null,
      canRerun: true,
    });
  };
  /** An import the server could not finish (it restarted, or the import failed): run the kept file again. */
  const rerun = async () => {
    if (!job) return;
    setError(null);
    try {
      const body = await api('POST /api/imports/:id/rerun', { params: { id: job.id } });
      setJob({ ...job, id: body.import.jobId, status: 'running', processed: 0, summary: {}, problems: [], error: null, rerunOf: job.id });
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const dryRunDone = !!file && dryRunOf?.file === file && dryRunOf.format === format;
  return { file, setFile, format, setFormat, job, error, setError, start, rerun, dryRunDone };
}
export type Import = ReturnType<typeof useImport>;

/** The file, its format, Dry run and Import, and the job below them. */
export function ImportForm({
  imp,
  formats,
  dryRunFirst = false,
  rerunnable = false,
  ...view
}: {
  imp: Import;
  formats: [ImportFormat, string][];
  /** the Import button waits for a dry run of the same file and format */
  dryRunFirst?: boolean;
  /** a stopped job offers "Run it again" (its file is kept) */
  rerunnable?: boolean;
} & Omit<JobProps, 'job' | 'onRerun'>) {
  const { job } = imp;
  const busy = job?.status === 'running';
  const importReady = dryRunFirst ? imp.dryRunDone : !!imp.file;
  return (
    <>
      <label className="field">
        <span>CSV file</span>
        <input type="file" accept=".csv,text/csv" onChange={(e) => imp.setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="field">
        <span>Format</span>
        <select value={imp.format} onChange={(e) => imp.setFormat(e.target.value as ImportFormat | '')}>
          <option value="">Detect from the header</option>
          {formats.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p>
        <button type="button" className="btn" disabled={!imp.file || busy} onClick={() => void imp.start(true)}>
          Dry run
        </button>{' '}
        <button
          type="button"
          className="btn btn--primary"
          disabled={!importReady || busy}
          title={dryRunFirst && !importReady ? 'Run a dry run of this file first' : undefined}
          onClick={() => void imp.start(false)}
        >
          Import
        </button>
      </p>
      {imp.error && (
        <p className="error" role="alert">
          {imp.error}
        </p>
      )}
      {job && <ImportJobView job={job} onRerun={rerunnable ? () => void imp.rerun() : undefined} {...view} />}
    </>
  );
}

interface JobProps {
  job: ImportJob;
  /** what total and processed count: households, arrivals */
  unit: string;
  summaryTestId?: string;
  /** said after the summary line */
  summaryNote?: (job: ImportJob) => ReactNode;
  /** the problems table names each problem's column */
  columns?: boolean;
  onRerun?: () => void;
}

function ImportJobView({ job, unit, summaryTestId, summaryNote, columns, onRerun }: JobProps) {
  const pct = job.total ? Math.round((100 * job.processed) / job.total) : job.status === 'done' ? 100 : 0;
  return (
    <div className="import-job">
      <progress className="import-progress" max={100} value={pct} aria-label="Import progress">
        {pct}%
      </progress>
      <span className="small">
        {' '}
        {job.processed} / {job.total} {unit}
      </span>
      {job.status === 'done' && (
        <p className="import-summary" data-testid={summaryTestId}>
          <strong>{job.summary.line}</strong>
          {summaryNote?.(job)}
        </p>
      )}
      {(job.status === 'failed' || job.status === 'interrupted') && (
        <div className="error" role="alert">
          <p>The import stopped: {job.error}</p>
          {onRerun && job.canRerun && (
            <button type="button" className="btn" onClick={onRerun}>
              Run it again
            </button>
          )}
        </div>
      )}
      {job.problems.length > 0 && (
        <table className="table import-problems">
          <thead>
            <tr>
              <th>Row</th>
              {columns && <th>Column</th>}
              <th>Problem (row skipped)</th>
            </tr>
          </thead>
          <tbody>
            {job.problems.map((p, i) => (
              <tr key={i}>
                <td>{p.row}</td>
                {columns && <td>{p.field ?? ''}</td>}
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
