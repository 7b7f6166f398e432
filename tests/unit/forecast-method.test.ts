/** The forecast method (DESIGN §17) on synthetic histories: steady, growing, a holiday outlier, none. */
import {
  crossing,
  cumulative,
  forecastCurve,
  hodgesLehmann,
  mannKendallZ,
  outliers,
  planOpenings,
  planVolunteers,
  quantile,
  theilSen,
  type PlanRoom,
} from '../../server/src/forecast/method';
import { addDays, syntheticHistory } from '../../server/src/forecast/synthetic';

const FIRST = '2026-09-06';
const window = { fromMinute: -30, toMinute: 30 };
const last = (xs: number[]) => xs[xs.length - 1]!;

const rooms: PlanRoom[] = [
  { roomId: 'a', name: 'Toddlers A', kind: 'regular', sortOrder: 1, open: true, capacity: 12, ratio: 4, volunteers: 0 },
  { roomId: 'b', name: 'Toddlers B', kind: 'regular', sortOrder: 2, open: false, capacity: 12, ratio: 4, volunteers: 0 },
  { roomId: 'o', name: 'Overflow', kind: 'overflow', sortOrder: 0, open: false, capacity: 20, ratio: 5, volunteers: 0 },
];

describe('forecastCurve', () => {
  test('a new slot with no history: nothing is invented', () => {
    expect(forecastCurve({ history: [], date: FIRST, ...window })).toBeNull();
  });

  test('steady: the expected total is the usual one, the band holds it, the curve rises to it', () => {
    const h = syntheticHistory({ weeks: 8, firstDate: FIRST, total: 30, noise: 0.05, seed: 7 });
    const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window })!;
    expect(c.total.expected).toBeGreaterThan(27);
    expect(c.total.expected).toBeLessThan(33);
    expect(c.total.low).toBeLessThanOrEqual(c.total.expected);
    expect(c.total.high).toBeGreaterThanOrEqual(c.total.expected);
    for (let i = 1; i < c.expected.length; i++) expect(c.expected[i]!).toBeGreaterThanOrEqual(c.expected[i - 1]! - 1e-9);
    expect(c.basis).toEqual({ occurrences: 8, outliers: [] });
    // half the children by about the shape's median (8 minutes before the start)
    expect(Math.abs(crossing(c.expected, c.from, c.total.expected / 2)! - -8)).toBeLessThanOrEqual(2);
  });

  test('growing: the trend carries the total forward instead of lagging at the median', () => {
    const h = syntheticHistory({ weeks: 8, firstDate: FIRST, total: 20, growthPerWeek: 0.5, noise: 0.02, seed: 3 });
    const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window })!;
    // week 8 of a 20 + 0.5/week slot: 24; the plain median of the last 8 would say ~21.75
    expect(c.total.expected).toBeGreaterThan(23);
    expect(c.total.expected).toBeLessThan(25.5);
  });

  test('steady but noisy: a chance slope over 8 Sundays is not carried forward (no Mann–Kendall trend)', () => {
    const totals = [30, 27, 33, 28, 31, 34, 29, 33];
    const h = totals.map((n, w) => ({ date: addDays(FIRST, 7 * w), minutes: new Array<number>(n).fill(-5) }));
    const points = totals.map((y, w) => ({ x: w, y }));
    // the Theil–Sen slope alone says +0.5 a week (about 2 children more by the forecast date) …
    expect(theilSen(points)).toBeGreaterThan(0.3);
    // … but it is no trend at the 5 % level, so the level is the plain robust centre of the totals
    expect(Math.abs(mannKendallZ(points))).toBeLessThan(1.96);
    const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window })!;
    expect(c.total.expected).toBeCloseTo(hodgesLehmann(totals), 6);
    expect(c.total.expected).toBeLessThan(31.5);
  });

  test('Mann–Kendall: a steady rise is a trend, a flat series none; Hodges–Lehmann ignores one wild value', () => {
    expect(mannKendallZ([1, 2, 3, 4, 5, 6, 7, 8].map((y, x) => ({ x, y })))).toBeGreaterThan(1.96);
    expect(mannKendallZ([8, 7, 6, 5, 4, 3, 2, 1].map((y, x) => ({ x, y })))).toBeLessThan(-1.96);
    expect(mannKendallZ([5, 5, 5, 5, 5].map((y, x) => ({ x, y })))).toBe(0);
    expect(hodgesLehmann([10, 11, 12, 13, 100])).toBeLessThan(14);
  });

  test('a holiday outlier is damped: it moves neither the level nor the band', () => {
    const h = syntheticHistory({ weeks: 8, firstDate: FIRST, total: 30, noise: 0.03, holidays: { 5: 0.3 }, seed: 11 });
    expect(outliers(h.map((o) => o.minutes.length))[5]).toBe(true);
    const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window })!;
    expect(c.basis.outliers).toEqual([addDays(FIRST, 35)]);
    expect(c.total.expected).toBeGreaterThan(27);
    expect(c.total.low).toBeGreaterThan(24);
  });

  test('once check-in opens, a busier day than usual pulls the forecast up', () => {
    const h = syntheticHistory({ weeks: 8, firstDate: FIRST, total: 30, noise: 0.03, seed: 5 });
    const busy = syntheticHistory({ weeks: 1, firstDate: addDays(FIRST, 56), total: 45, noise: 0, seed: 99 })[0]!;
    const now = -5;
    const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window, today: { minutes: busy.minutes, now } })!;
    expect(c.total.expected).toBeGreaterThan(38);
    expect(last(c.expected)).toBeCloseTo(c.total.expected, 5);
    // never fewer than have already arrived
    expect(c.total.low).toBeGreaterThanOrEqual(busy.minutes.filter((m) => m <= now).length);
  });
});

describe('rooms and volunteers', () => {
  const h = syntheticHistory({ weeks: 8, firstDate: FIRST, total: 30, noise: 0.05, seed: 7 });
  const c = forecastCurve({ history: h, date: addDays(FIRST, 56), ...window })!;

  test('the next room in fill order (overflow last) opens when the planned curve reaches the open seats', () => {
    const plan = planOpenings(c, rooms);
    expect(plan.map((p) => p.roomId)).toEqual(['b', 'o']);
    expect(plan[0]!.at).toBe(crossing(c.plan, c.from, 12));
    // planned against the busiest Sundays: never later than the expected crossing
    expect(plan[0]!.at).toBeLessThanOrEqual(plan[0]!.expectedAt!);
  });

  test('no further room when the open rooms hold the planned curve', () => {
    expect(
      planOpenings(
        c,
        rooms.map((r) => ({ ...r, open: r.roomId !== 'o', capacity: r.roomId === 'o' ? 20 : 30 })),
      ),
    ).toEqual([]);
  });

  test('children already in the room count against the seats', () => {
    const carried = planOpenings(c, rooms, 6);
    expect(carried[0]!.at).toBeLessThan(planOpenings(c, rooms)[0]!.at);
  });

  test('volunteers follow the ratio and the two-adult rule, as steps', () => {
    const plan = planOpenings(c, rooms);
    const steps = planVolunteers(c, rooms, plan, { ratioEnforcement: 'enforce', twoAdultRule: true });
    expect(steps[0]).toEqual({ at: -30, count: 2, rooms: [{ roomId: 'a', roomName: 'Toddlers A', count: 2 }] });
    // each step says where: the rooms' adults add up to its count
    for (const s of steps) expect(s.rooms.reduce((n, r) => n + r.count, 0)).toBe(s.count);
    const end = last(steps.map((s) => s.count));
    const kids = Math.ceil(last(c.plan));
    expect(end).toBeGreaterThanOrEqual(Math.ceil(Math.min(kids, 12) / 4));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.count).toBeGreaterThan(steps[i - 1]!.count);
    const noRule = planVolunteers(c, rooms, plan, { ratioEnforcement: 'warn', twoAdultRule: false });
    expect(noRule[0]!.count).toBeLessThan(2);
  });
});

test('arrivals before the opening (an earlier opening in past years) count at the opening minute; after the end they are out', () => {
  expect(cumulative([-20, -16, -15, -10, 31], -15, 30)[0]).toBe(3);
  expect(cumulative([-20, -16, -15, -10, 31], -15, 30).at(-1)).toBe(4);
});

test('quantile interpolates', () => {
  expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  expect(quantile([0, 10], 0.1)).toBeCloseTo(1);
});
