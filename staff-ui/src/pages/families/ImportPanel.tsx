import { useEffect, useState } from 'react';
import type { ImportJob } from '../../../../contracts';
import type { RequestQuery } from '../../../../contracts/client/http';
import type { Reply } from '../../../../contracts/endpoints';
import { api, messageOf, upload } from '../../api';
import { atLeast, useSignedIn } from '../../session';

type ImportFormat = NonNullable<RequestQuery<'POST /api/imports'>['format']>;

/**
 * Import families from a CSV export (admins): a dry run first lists every row's problems; the
 * import itself runs as a job on the server, its progress polled into a real progress bar.
 */
export function ImportPanel() {
  const session = useSignedIn();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      api('GET /api/imports/:id', { params: { id: job.id } })
        .then((r) => setJob(r.import))
        .catch(() => {});
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);
  if (!atLeast(session.user, 'admin')) return null;
  const start = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setJob(null);
    let body: Reply<'POST /api/imports'>;
    try {
      body = await upload({ dryRun: String(dryRun) as 'true' | 'false', format: format || undefined }, 'text/csv', file); // the bytes: an old Windows-1252 export read as UTF-8 here would be "Jos\uFFFD"
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    setJob({
      id: body.import.jobId,
      kind: 'households',
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
  const pct = job && job.total ? Math.round((100 * job.processed) / job.total) : job?.status === 'done' ? 100 : 0;
  return (
    <section className="panel import-panel">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        Import families from a CSV file
      </button>
      {open && (
        <div className="import-body">
          <p className="muted small">
            People exports of Planning Center, Rock RMS or Breeze, or a CSV with our column names. Try a dry run first: nothing is written, every row's problems
            are listed.
          </p>
          <label className="field">
            <span>CSV file</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <label className="field">
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
              <option value="">Detect from the header</option>
              <option value="pco">Planning Center</option>
              <option value="rock">Rock RMS</option>
              <option value="breeze">Breeze</option>
              <option value="generic">Generic</option>
            </select>
          </label>
          <p>
            <button type="button" className="btn" disabled={!file || job?.status === 'running'} onClick={() => void start(true)}>
              Dry run
            </button>{' '}
            <button type="button" className="btn btn--primary" disabled={!file || job?.status === 'running'} onClick={() => void start(false)}>
              Import
            </button>
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {job && (
            <div className="import-job">
              <progress className="import-progress" max={100} value={pct} aria-label="Import progress">
                {pct}%
              </progress>
              <span className="small">
                {' '}
                {job.processed} / {job.total} households
              </span>
              {job.status === 'done' && (
                <p className="import-summary">
                  <strong>{job.summary.line}</strong>
                  {job.summary.unchangedHouseholds ? ` (${job.summary.unchangedHouseholds} already imported, unchanged)` : ''}
                </p>
              )}
              {(job.status === 'failed' || job.status === 'interrupted') && (
                <div className="error" role="alert">
                  <p>The import stopped: {job.error}</p>
                  {job.canRerun && (
                    <button type="button" className="btn" onClick={() => void rerun()}>
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
                      <th>Problem (row skipped)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {job.problems.map((p, i) => (
                      <tr key={i}>
                        <td>{p.row}</td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
