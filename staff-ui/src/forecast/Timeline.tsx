/**
 * One age group's forecast as a timeline (DESIGN §17): the expected arrivals (cumulative) with
 * their band, today's actual arrivals so far, and the planned room openings as markers. Plain SVG:
 * a chart library would cost more bundle than this whole screen.
 */
import type { ForecastGroup } from '../../../contracts';
import { clockIn, linearScale, linePath, niceCountAxis, timeTicks } from './plan';

const W = 640;
const H = 220;
const PAD = { left: 36, right: 12, top: 14, bottom: 26 };

export function ForecastTimeline({ group, tz, startsAt }: { group: ForecastGroup; tz: string; startsAt: string }) {
  const pts = group.arrivals;
  if (!pts.length || group.expectedChildren == null) {
    return (
      <figure className="forecast-timeline forecast-timeline--empty" aria-label={`${group.label}: no forecast`}>
        <figcaption>
          <strong>{group.label}</strong> — {group.note ?? 'no history for this service yet, so no forecast'}
        </figcaption>
      </figure>
    );
  }
  const t0 = Date.parse(pts[0]!.at);
  const t1 = Date.parse(pts[pts.length - 1]!.at);
  const x = linearScale(t0, t1, PAD.left, W - PAD.right);
  const maxCount = Math.max(...pts.map((p) => Math.max(p.high, p.actual ?? 0)), 1);
  const { top, ticks } = niceCountAxis(maxCount);
  const y = linearScale(0, top, H - PAD.bottom, PAD.top);
  const band = `${linePath(pts.map((p) => ({ x: x(Date.parse(p.at)), y: y(p.high) })))}${pts
    .slice()
    .reverse()
    .map((p) => `L${x(Date.parse(p.at)).toFixed(1)},${y(p.low).toFixed(1)}`)
    .join('')}Z`;
  const expected = linePath(pts.map((p) => ({ x: x(Date.parse(p.at)), y: y(p.expected) })));
  const actual = linePath(pts.map((p) => (p.actual == null ? null : { x: x(Date.parse(p.at)), y: y(p.actual) })));
  const start = Date.parse(startsAt);
  const summary = `${group.label}: about ${Math.round(group.expectedChildren)} children expected (${Math.round(group.low ?? 0)}–${Math.round(group.high ?? 0)})${
    group.openBy.length ? `; ${group.openBy.map((o) => `open ${o.roomName} by ${clockIn(o.at, tz)}`).join(', ')}` : ''
  }`;
  return (
    <figure className="forecast-timeline" data-testid="forecast-timeline">
      <figcaption>
        <strong>{group.label}</strong>{' '}
        <span className="muted">
          about {Math.round(group.expectedChildren)} expected ({Math.round(group.low ?? 0)}–{Math.round(group.high ?? 0)})
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={`y${v}`}>
            <line className="forecast-grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="forecast-axis" x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {timeTicks(pts[0]!.at, pts[pts.length - 1]!.at).map((at) => (
          <text key={at} className="forecast-axis" x={x(Date.parse(at))} y={H - 8} textAnchor="middle">
            {clockIn(at, tz)}
          </text>
        ))}
        {start >= t0 && start <= t1 && <line className="forecast-start" x1={x(start)} x2={x(start)} y1={PAD.top} y2={H - PAD.bottom} />}
        <path className="forecast-band" d={band} />
        <path className="forecast-expected" d={expected} />
        {actual && <path className="forecast-actual" d={actual} />}
        {group.openBy.map((o) => {
          const ox = x(Math.min(Math.max(Date.parse(o.at), t0), t1));
          return (
            <g key={o.roomId} className={`forecast-open ${o.expectedFullAt ? '' : 'forecast-open--unlikely'}`}>
              <line x1={ox} x2={ox} y1={PAD.top} y2={H - PAD.bottom} />
              <text x={ox + 4} y={PAD.top + 10}>
                {o.roomName} {o.expectedFullAt ? clockIn(o.at, tz) : '(unlikely)'}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
