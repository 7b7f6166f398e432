/**
 * Attendance history in (DESIGN §17): past check-ins from Planning Center, Rock or a generic CSV,
 * so the forecast works on the first Sunday. Like the family import: the campus it goes into, a dry
 * run first (nothing written, every row's problems listed by row and column), then the import as a
 * job on the server whose progress is polled into a real progress bar.
 */
import { useEffect, useState } from 'react';
import type { ImportJob } from '../../../../contracts';
import type { RequestQuery } from '../../../../contracts/client/http';
import type { Reply } from '../../../../contracts/endpoints';
import { api, getToken, messageOf, setToken, upload } from '../../api';
import { useSignedIn } from '../../session';
import { useApiQuery } from '../../query';

type Format = Exclude<NonNullable<RequestQuery<'POST /api/imports'>['format']>, 'breeze'>;

export default function AttendanceImport() {
  const session = useSignedIn();
  const me = useApiQuery(['auth', 'me', 'campuses'], async () => {
    const r = await api('GET /api/auth/me');
    return r.kind === 'user' ? r.campuses : [];
  });
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format | ''>('');
  const [job, setJob] = useState<ImportJob | null>(null);
  /** the file and format a finished dry run read: the import is offered for exactly those */
  const [dryRunOf, setDryRunOf] = useState<{ file: File; format: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      api('GET /api/imports/:id', { params: { id: job.id } })
        .then((r) => {
          setJob(r.import);
          if (r.import.status === 'done' && r.import.dryRun && file) setDryRunOf({ file, format });
        })
        .catch(() => {});
    }, 400);
    return () => clearTimeout(timer);
  }, [job, file, format]);

  const switchCampus = async (siteId: string) => {
    const kept = localStorage.getItem('kc.staff.token') === getToken();
    try {
      const r = await api('POST /api/auth/switch-campus', { body: { siteId } });
      setToken(r.token, kept);
      location.assign('/staff/admin/attendance-import');
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const start = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setJob(null);
    if (dryRun) setDryRunOf(null);
    let body: Reply<'POST /api/imports'>;
    try {
      body = await upload({ kind: 'attendance', dryRun: String(dryRun) as 'true' | 'false', format: format || undefined }, 'text/csv', file);
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    setJob({
      id: body.import.jobId,
      kind: 'attendance',
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
  const dryRunDone = !!file && dryRunOf?.file === file && dryRunOf.format === format;
  const pct = job && job.total ? Math.round((100 * job.processed) / job.total) : job?.status === 'done' ? 100 : 0;
  const campuses = (me.data ?? []).filter((c) => c.role === 'admin');
  return (
    <section className="panel import-panel attendance-import">
      <h2>Attendance history</h2>
      <p className="muted small">
        Past check-ins from Planning Center Check-Ins, Rock RMS, or a CSV with the columns <code>checked_in_at</code> (ISO 8601 with an offset, or the campus’s
        local time <code>YYYY-MM-DD HH:MM</code>) and <code>room</code> (the room’s name at this campus), and optionally <code>service</code>,{' '}
        <code>person_id</code>, <code>first_name</code>, <code>last_name</code>, <code>birthdate</code>, <code>grade</code>. The forecast learns each room’s
        Sunday from them. Importing the same file again changes nothing.
      </p>
      <label className="field">
        <span>Campus</span>
        <select
          value={session.site?.id ?? ''}
          aria-describedby="attendance-campus-hint"
          onChange={(e) => {
            if (e.target.value && e.target.value !== session.site?.id) void switchCampus(e.target.value);
          }}
        >
          {session.site && !campuses.some((c) => c.siteId === session.site!.id) && <option value={session.site.id}>{session.site.name}</option>}
          {campuses.map((c) => (
            <option key={c.siteId} value={c.siteId}>
              {c.name}
            </option>
          ))}
        </select>
        <span id="attendance-campus-hint" className="muted small">
          Rooms are matched by name at this campus. Choosing another campus signs you in there.
        </span>
      </label>
      <label className="field">
        <span>CSV file</span>
        <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="field">
        <span>Format</span>
        <select value={format} onChange={(e) => setFormat(e.target.value as Format | '')}>
          <option value="">Detect from the header</option>
          <option value="pco">Planning Center Check-Ins</option>
          <option value="rock">Rock RMS</option>
          <option value="generic">Generic</option>
        </select>
      </label>
      <p>
        <button type="button" className="btn" disabled={!file || job?.status === 'running'} onClick={() => void start(true)}>
          Dry run
        </button>{' '}
        <button
          type="button"
          className="btn btn--primary"
          disabled={!dryRunDone || job?.status === 'running'}
          title={dryRunDone ? undefined : 'Run a dry run of this file first'}
          onClick={() => void start(false)}
        >
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
            {job.processed} / {job.total} arrivals
          </span>
          {job.status === 'done' && (
            <p className="import-summary" data-testid="attendance-import-summary">
              <strong>{job.summary.line}</strong>
              {job.dryRun ? ' — nothing was written; import when the problems below are what you expect.' : ''}
            </p>
          )}
          {(job.status === 'failed' || job.status === 'interrupted') && (
            <p className="error" role="alert">
              The import stopped: {job.error}
            </p>
          )}
          {job.problems.length > 0 && (
            <table className="table import-problems">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Column</th>
                  <th>Problem (row skipped)</th>
                </tr>
              </thead>
              <tbody>
                {job.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.field ?? ''}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
