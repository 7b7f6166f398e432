/** Reports (staff): attendance per service and room, first-time families, CSV export, check-ins over time. */
import { useState } from 'react';
import type { Timeline } from '../../../contracts';
import { api, download } from '../api';
import { useSignedIn } from '../session';
import { ActionButton, Empty, ErrorText, Loading } from '../ui';
import { useApiQuery } from '../query';
import { dateIn, dateTimeIn, timeIn } from '../format';

export default function Reports() {
  const session = useSignedIn();
  const tz = session.site?.timezone;
  const [to, setTo] = useState(() => dateIn(new Date(Date.now() + 86_400_000).toISOString(), tz));
  const [from, setFrom] = useState(() => dateIn(new Date(Date.now() - 56 * 86_400_000).toISOString(), tz));
  const [chosen, setChosen] = useState<string | null>(null);
  const report = useApiQuery(['reports', 'attendance', from, to], () => api('GET /api/reports/attendance', { query: { from, to } }), {
    keepPrevious: true,
  });
  const services = [...(report.data?.services ?? [])].reverse();
  const selected = services.find((s) => s.id === chosen) ?? services.find((s) => s.children > 0) ?? services[0];

  return (
    <div className="reports">
      <div className="page-head">
        <h1 className="page-title">Reports</h1>
        <div className="range">
          <label className="field">
            <span>From</span>
            <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
          <ActionButton onClick={() => download('GET /api/reports/attendance.csv', { from, to }, 'attendance.csv')}>Export CSV (rooms)</ActionButton>
          <ActionButton onClick={() => download('GET /api/reports/attendance.csv', { from, to, detail: 'children' }, 'attendance-children.csv')}>
            Export CSV (children)
          </ActionButton>
        </div>
      </div>
      <ErrorText error={report.error} />
      {report.loading && !report.data && <Loading />}
      {report.data && services.length === 0 && (
        <Empty>
          <p>
            No services between {from} and {to}.
          </p>
        </Empty>
      )}
      {services.length > 0 && (
        <div className="reports-grid">
          <section className="panel">
            <h2>Attendance by service</h2>
            <table className="table table--click" data-testid="attendance-table">
              <thead>
                <tr>
                  <th>Service</th>
                  <th className="num">Children</th>
                  <th className="num">Families</th>
                  <th className="num">First-time</th>
                </tr>
              </thead>
              <tbody>
                {services.map((s) => (
                  <tr
                    key={s.id}
                    className={s.id === selected?.id ? 'selected' : ''}
                    onClick={() => setChosen(s.id)}
                    tabIndex={0}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') setChosen(s.id);
                    }}
                  >
                    <td>
                      <strong>{s.name}</strong>
                      <br />
                      <span className="muted small">{dateTimeIn(s.startsAt, tz)}</span>
                    </td>
                    <td className="num">{s.children}</td>
                    <td className="num">{s.households}</td>
                    <td className="num">{s.firstTimeHouseholds}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {selected && <ServiceDetail key={selected.id} serviceId={selected.id} tz={tz} />}
        </div>
      )}
    </div>
  );
}

function ServiceDetail({ serviceId, tz }: { serviceId: string; tz?: string }) {
  const [bucket, setBucket] = useState(5);
  const rep = useApiQuery(['reports', 'service', serviceId], () => api('GET /api/reports/services/:id', { params: { id: serviceId } }));
  // another bucket size keeps the chart on screen while it loads; another service does not
  const line = useApiQuery(
    ['reports', 'timeline', serviceId, bucket],
    () => api('GET /api/reports/services/:id/timeline', { params: { id: serviceId }, query: { bucketMinutes: bucket } }),
    { keepPrevious: (prev) => (prev?.serviceId === serviceId ? prev : undefined) },
  );
  if (rep.error) return <ErrorText error={rep.error} />;
  if (!rep.data) return <Loading />;
  const s = rep.data.service;
  return (
    <section className="panel service-report" data-testid="service-report">
      <h2>
        {s.name} <span className="muted small">{dateTimeIn(s.startsAt, tz)}</span>
      </h2>
      <div className="chart-head">
        <h3>Check-ins over time</h3>
        <label className="field field--inline">
          <span>Every</span>
          <select value={bucket} onChange={(e) => setBucket(Number(e.target.value))}>
            {[1, 5, 10, 15, 30].map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
        </label>
      </div>
      {line.data ? <Chart t={line.data} tz={tz} /> : <Loading />}
      <table className="table">
        <thead>
          <tr>
            <th>Room</th>
            <th className="num">Children</th>
            <th className="num">First-time</th>
            <th className="num">Picked up</th>
          </tr>
        </thead>
        <tbody>
          {s.rooms.map((r) => (
            <tr key={r.roomId}>
              <td>{r.name}</td>
              <td className="num">{r.children}</td>
              <td className="num">{r.firstTimeChildren}</td>
              <td className="num">{r.checkedOut}</td>
            </tr>
          ))}
          <tr className="total">
            <td>Total</td>
            <td className="num">{s.children}</td>
            <td className="num">{s.rooms.reduce((n, r) => n + r.firstTimeChildren, 0)}</td>
            <td className="num">{s.rooms.reduce((n, r) => n + r.checkedOut, 0)}</td>
          </tr>
        </tbody>
      </table>
      <h3>First-time families ({rep.data.firstTimeFamilies.length})</h3>
      {rep.data.firstTimeFamilies.length === 0 ? (
        <p className="muted">None this time.</p>
      ) : (
        <ul className="first-time">
          {rep.data.firstTimeFamilies.map((f) => (
            <li key={f.householdId}>
              <strong>{f.name}</strong> — {f.children.join(', ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A hand-rolled SVG chart: bars of check-ins per bucket, a line of children present. */
function Chart({ t, tz }: { t: Timeline; tz?: string }) {
  const b = t.buckets;
  if (!b.length) return <p className="muted">No check-ins yet.</p>;
  const W = 720;
  const H = 220;
  const L = 36;
  const R = 10;
  const T = 12;
  const B = 34;
  const max = Math.max(1, ...b.map((x) => Math.max(x.checkins, x.present)));
  const step = (W - L - R) / b.length;
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const every = Math.max(1, Math.ceil(b.length / 8));
  const barW = Math.max(1, Math.min(36, step * 0.76));
  // children present change at bucket edges: a step line
  const linePts = b
    .flatMap((x, i) => [`${(L + step * i).toFixed(1)},${y(x.present).toFixed(1)}`, `${(L + step * (i + 1)).toFixed(1)},${y(x.present).toFixed(1)}`])
    .join(' ');
  const ticks = [0, Math.round(max / 2), max];
  const total = b.reduce((n, x) => n + x.checkins, 0);
  const peak = b.reduce((p, x) => (x.checkins > p.checkins ? x : p), b[0]!);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" data-testid="timeline-chart">
        <title id="chart-title">Check-ins per {t.bucketMinutes} minutes</title>
        <desc id="chart-desc">
          {total} check-ins; busiest at {timeIn(peak.at, tz)} with {peak.checkins}.
        </desc>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} className="grid" />
            <text x={L - 6} y={y(v) + 4} className="axis" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {b.map((x, i) => (
          <rect key={x.at} x={L + step * (i + 0.5) - barW / 2} width={barW} y={y(x.checkins)} height={H - B - y(x.checkins)} className="bar">
            <title>
              {timeIn(x.at, tz)}: {x.checkins} in, {x.checkouts} out, {x.present} present
            </title>
          </rect>
        ))}
        <polyline points={linePts} className="line" />
        {b.map((x, i) =>
          i % every === 0 ? (
            <text key={x.at} x={L + step * (i + 0.5)} y={H - B + 16} className="axis" textAnchor="middle">
              {timeIn(x.at, tz)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="legend small">
        <span className="key key--bar" /> check-ins per {t.bucketMinutes} min <span className="key key--line" /> children present
      </figcaption>
    </figure>
  );
}
