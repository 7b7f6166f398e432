/**
 * The forecast's accuracy, measured (DESIGN §17), pure: each past occurrence is left out in turn
 * and forecast from the (up to 8) occurrences before it — what the forecast would have said that
 * morning, before anyone arrived — then compared with what happened:
 *  - totals: mean absolute error of the expected total, as % of the mean actual total
 *    (`totalMaePct`, the one held to the 10 % target) and as the mean of each service's % error
 *    (`totalMapePct`, which one small holiday Sunday can dominate);
 *  - fill times: for each further room in fill order, when the expected curve filled the seats
 *    before it vs when the actual arrivals did (minutes, where it actually filled);
 *  - late advice: share of the rooms that were actually needed whose open-by time came after the
 *    moment they were needed (or that got no advice at all).
 */
import { crossing, cumulative, forecastCurve, outliers, planOpenings, type Occurrence, type PlanRoom } from './method';
import { OCCURRENCES } from './history';

export interface BacktestResult {
  /** occurrences forecast (those with at least one before them) */
  services: number;
  /** mean absolute error of the total ÷ the mean actual total, % */
  totalMaePct: number | null;
  /** the same over the typical Sundays only: those whose own total was no outlier against the 8 before (not Easter, not a snow day) */
  typicalTotalMaePct: number | null;
  typicalLateShare: number | null;
  /** mean of each service's absolute % error */
  totalMapePct: number | null;
  fillMaeMinutes: number | null;
  /** rooms that were actually needed, and how often the advice came late */
  roomsNeeded: number;
  lateShare: number | null;
  msPerForecast: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** `history` oldest first; `rooms` the group's rooms as they stand before check-in (closed ones are the further rooms). */
export function backtest(history: Occurrence[], rooms: PlanRoom[], window: { fromMinute: number; toMinute: number }, minHistory = 1): BacktestResult {
  const sorted = [...history].sort((a, b) => a.date.localeCompare(b.date));
  const totals: number[] = [];
  const absErr: number[] = [];
  const actuals: number[] = [];
  const fills: number[] = [];
  let needed = 0;
  let late = 0;
  const typical = { absErr: [] as number[], actuals: [] as number[], needed: 0, late: 0 };
  let ms = 0;
  let services = 0;
  for (let i = minHistory; i < sorted.length; i++) {
    const target = sorted[i]!;
    const past = sorted.slice(Math.max(0, i - OCCURRENCES), i);
    const started = performance.now();
    const curve = forecastCurve({ history: past, date: target.date, ...window });
    const plan = curve ? planOpenings(curve, rooms) : [];
    ms += performance.now() - started;
    if (!curve) continue;
    services++;
    const actual = cumulative(target.minutes, window.fromMinute, window.toMinute);
    const actualTotal = actual[actual.length - 1]!;
    absErr.push(Math.abs(curve.total.expected - actualTotal));
    actuals.push(actualTotal);
    const pastTotals = past.map((o) => cumulative(o.minutes, window.fromMinute, window.toMinute).at(-1)!);
    const usual = !outliers([...pastTotals, actualTotal]).at(-1);
    if (usual) {
      typical.absErr.push(Math.abs(curve.total.expected - actualTotal));
      typical.actuals.push(actualTotal);
    }
    if (actualTotal > 0) totals.push((100 * Math.abs(curve.total.expected - actualTotal)) / actualTotal);
    // the further rooms in fill order, each needed when the seats before it are taken
    let seats = rooms.filter((r) => r.open).reduce((s, r) => s + r.capacity, 0);
    for (const r of [...rooms].filter((x) => !x.open).sort((a, b) => (a.kind === b.kind ? a.sortOrder - b.sortOrder : a.kind === 'regular' ? -1 : 1))) {
      const actualAt = crossing(actual, window.fromMinute, seats + 1);
      const advice = plan.find((p) => p.roomId === r.roomId);
      if (actualAt != null) {
        needed++;
        if (usual) typical.needed++;
        if (!advice || advice.at > actualAt) {
          late++;
          if (usual) typical.late++;
        }
        const predicted = crossing(curve.expected, window.fromMinute, seats + 1);
        if (predicted != null) fills.push(Math.abs(predicted - actualAt));
        else fills.push(window.toMinute - actualAt);
      }
      seats += r.capacity;
    }
  }
  return {
    services,
    totalMaePct: actuals.length && mean(actuals)! > 0 ? (100 * mean(absErr)!) / mean(actuals)! : null,
    typicalTotalMaePct: typical.actuals.length && mean(typical.actuals)! > 0 ? (100 * mean(typical.absErr)!) / mean(typical.actuals)! : null,
    typicalLateShare: typical.needed ? typical.late / typical.needed : null,
    totalMapePct: mean(totals),
    fillMaeMinutes: mean(fills),
    roomsNeeded: needed,
    lateShare: needed ? late / needed : null,
    msPerForecast: services ? ms / services : 0,
  };
}
