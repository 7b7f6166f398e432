/**
 * Reports → All campuses (organisation admins): attendance per weekend, campus and age group — a
 * chart of each weekend's children by campus, the table beneath it, and a CSV.
 */
import { useState } from 'react';
import type {} from '../../../contracts';
import { api, download } from '../api';
import { useSignedIn } from '../session';
import { ActionButton, Empty, ErrorText, Loading } from '../ui';
import { useApiQuery } from '../query';
import { dateIn } from '../format';

const COLOURS = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#2563eb', '#65a30d', '#7c3aed', '#dc2626'];

export default function Rollup() {
  const session = useSignedIn();
  const tz = session.site?.timezone;
  const [to, setTo] = useState(() => dateIn(new Date(Date.now() + 86_400_000).toISOString(), tz));
  const [from, setFrom] = useState(() => dateIn(new Date(Date.now() - 84 * 86_400_000).toISOString(), tz));
  const report = useApiQuery(['reports', 'rollup', from, to], () => api('GET /api/org/reports/attendance', { query: { from, to } }), {
    keepPrevious: true,
  });
  const r = report.data;
  const max = r ? Math.max(1, ...Object.values(r.totals.byWeekend)) : 1;
  const colour = (siteId: string) => COLOURS[(r?.campuses.findIndex((c) => c.siteId === siteId) ?? 0) % COLOURS.length];
  const count = (weekend: string, siteId: string, group?: string) =>
    (r?.rows ?? []).filter((x) => x.weekend === weekend && x.siteId === siteId && (!group || x.ageGroup === group)).reduce((n, x) => n + x.children, 0);

  return (
    <div className="reports rollup">
      <div className="page-head">
        <h1 className="page-title">All campuses</h1>
        <div className="range">
          <label className="field">
            <span>From</span>
            <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
          <ActionButton onClick={() => download('GET /api/org/reports/attendance.csv', { from, to }, 'all-campuses.csv')}>Export CSV</ActionButton>
        </div>
      </div>
      <ErrorText error={report.error} />
      {report.loading && !r && <Loading />}
      {r && r.weekends.length === 0 && (
        <Empty>
          <p>No check-ins at any campus in these dates.</p>
        </Empty>
      )}
      {r && r.weekends.length > 0 && (
        <>
          <section className="panel" aria-label="Children per weekend">
            <h2>Children per weekend ({r.totals.children})</h2>
            <ul className="legend">
              {r.campuses.map((c) => (
                <li key={c.siteId}>
                  <span className="swatch" style={{ background: colour(c.siteId) }} /> {c.name} · {r.totals.byCampus[c.siteId] ?? 0}
                </li>
              ))}
            </ul>
            <ol className="rollup-chart">
              {r.weekends.map((w) => (
                <li key={w} data-weekend={w}>
                  <span className="rollup-label">{w}</span>
                  <span className="rollup-bar" style={{ width: `${(r.totals.byWeekend[w]! / max) * 100}%` }}>
                    {r.campuses.map((c) => {
                      const n = count(w, c.siteId);
                      return n ? <span key={c.siteId} title={`${c.name}: ${n}`} style={{ flexGrow: n, background: colour(c.siteId) }} /> : null;
                    })}
                  </span>
                  <span className="rollup-total" data-testid="weekend-total">
                    {r.totals.byWeekend[w]}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <section className="panel table-wrap">
            <table className="report-table">
              <thead>
                <tr>
                  <th>Weekend</th>
                  <th>Campus</th>
                  {r.ageGroups.map((g) => (
                    <th key={g}>{g}</th>
                  ))}
                  <th>Total</th>
                </tr>
              </thead>
              <tbody>
                {r.weekends.flatMap((w) =>
                  r.campuses.map((c) => (
                    <tr key={`${w}-${c.siteId}`} data-row={`${w}|${c.name}`}>
                      <td>{w}</td>
                      <td>{c.name}</td>
                      {r.ageGroups.map((g) => (
                        <td key={g}>{count(w, c.siteId, g)}</td>
                      ))}
                      <td>
                        <strong>{count(w, c.siteId)}</strong>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
