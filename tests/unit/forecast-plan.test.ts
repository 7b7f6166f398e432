/**
 * The forecast as staff read it (DESIGN §17, #28.5): the one-line plan of a service and the
 * timeline's scales, pure and in the campus's time zone.
 */
import type { ServiceForecast } from '../../contracts';
import { clockIn, linearScale, linePath, niceCountAxis, planSentence, timeTicks } from '../../staff-ui/src/forecast/plan';

const TZ = 'America/Chicago';
const service = { startsAt: '2026-12-13T15:00:00Z' }; // Sunday 9:00 in Chicago (CST)
const group = (openBy: ServiceForecast['groups'][number]['openBy']): ServiceForecast['groups'][number] => ({
  key: 'toddlers',
  label: 'Toddlers',
  roomIds: [],
  expectedChildren: 24,
  low: 20,
  high: 29,
  arrivals: [],
  openBy,
  volunteersNeeded: [],
});
const forecast = (groups: ServiceForecast['groups'], services = 8): ServiceForecast => ({
  serviceId: 's',
  generatedAt: '2026-12-12T18:00:00Z',
  basis: { services, from: services ? '2026-10-18' : null, to: services ? '2026-12-06' : null },
  groups,
});

test('the plan line: rooms in the order they are needed, at their open-by time on the campus clock; a room only the band reaches is "unlikely"', () => {
  const f = forecast([
    group([
      { roomId: 'o', roomName: 'Overflow', at: '2026-12-13T15:20:00Z' },
      { roomId: 'b', roomName: 'Toddlers B', at: '2026-12-13T15:42:00Z', expectedFullAt: '2026-12-13T15:52:00Z' },
    ]),
  ]);
  expect(planSentence(f, service, TZ)).toBe('Sunday 9:00: Toddlers B at 9:42, Overflow unlikely');
  // the same instants on a campus two hours west
  expect(planSentence(f, service, 'America/Los_Angeles')).toBe('Sunday 7:00: Toddlers B at 7:42, Overflow unlikely');
  // across groups, by time
  const two = forecast([
    group([{ roomId: 'b', roomName: 'Toddlers B', at: '2026-12-13T15:42:00Z', expectedFullAt: '2026-12-13T15:50:00Z' }]),
    { ...group([{ roomId: 'p', roomName: 'Preschool B', at: '2026-12-13T15:31:00Z', expectedFullAt: '2026-12-13T15:40:00Z' }]), key: 'pre' },
  ]);
  expect(planSentence(two, service, TZ)).toBe('Sunday 9:00: Preschool B at 9:31, Toddlers B at 9:42');
});

test('the plan line says plainly when there is no history, and when the open rooms suffice', () => {
  expect(planSentence(forecast([group([])], 0), service, TZ)).toBe('Sunday 9:00: no forecast yet — no past services to learn from');
  expect(planSentence(undefined, service, TZ)).toBe('Sunday 9:00: no forecast yet — no past services to learn from');
  expect(planSentence(forecast([group([])]), service, TZ)).toBe('Sunday 9:00: the open rooms should hold everyone');
  // after noon the clock has no am/pm either, and the weekday is the campus's (Saturday 23:30 in Chicago is Sunday in UTC)
  expect(clockIn('2026-12-13T19:15:00Z', TZ)).toBe('1:15');
  expect(planSentence(forecast([group([])], 0), { startsAt: '2026-12-13T05:30:00Z' }, TZ)).toMatch(/^Saturday 11:30:/);
});

test('scales: linear maps, a round count axis, time ticks on round minutes, a line broken where there is no point', () => {
  const x = linearScale(100, 200, 0, 50);
  expect([x(100), x(150), x(200)]).toEqual([0, 25, 50]);
  const y = linearScale(0, 10, 200, 0); // inverted, as an SVG's y
  expect(y(10)).toBe(0);
  expect(linearScale(5, 5, 7, 9)(5)).toBe(7);
  expect(niceCountAxis(23)).toEqual({ top: 30, ticks: [0, 10, 20, 30] });
  expect(niceCountAxis(20)).toEqual({ top: 20, ticks: [0, 5, 10, 15, 20] });
  expect(niceCountAxis(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
  expect(niceCountAxis(0)).toEqual({ top: 5, ticks: [0, 5] });
  expect(niceCountAxis(140).top).toBe(150);
  expect(timeTicks('2026-12-13T14:32:00Z', '2026-12-13T15:30:00Z')).toEqual([
    '2026-12-13T14:45:00.000Z',
    '2026-12-13T15:00:00.000Z',
    '2026-12-13T15:15:00.000Z',
    '2026-12-13T15:30:00.000Z',
  ]);
  expect(linePath([{ x: 0, y: 1 }, { x: 2, y: 3 }, null, { x: 4, y: 5 }])).toBe('M0.0,1.0L2.0,3.0M4.0,5.0');
});
