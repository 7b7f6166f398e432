/**
 * The UIs' pure helpers (#27 point 4, the unit tier): how the staff screens word an age, a grade
 * and a time — in the campus's zone, not the browser's. (The kiosk's format.ts reaches React's
 * types through its messages, which the server's type program does not load: not here yet.)
 */
import { ago, ageLabel as staffAge, dateIn, gradeName, timeIn } from '../../staff-ui/src/format';

describe('staff', () => {
  test.each([
    [null, -1, 'Pre-K'],
    [null, 0, 'Kindergarten'],
    [null, 4, 'Grade 4'],
    [20, null, '20 mo'],
    [24, null, '2 y'],
    [30, null, '2 y 6 mo'],
    [null, null, ''],
    [40, 2, 'Grade 2'],
  ] as const)('age %s months, grade %s → "%s"', (m, g, out) => expect(staffAge(m, g)).toBe(out));

  test('grade names', () => {
    expect([-1, 0, 1, 12].map(gradeName)).toEqual(['Pre-K', 'K', '1', '12']);
  });

  test('times and dates are the campus’s, whatever zone the browser runs in', () => {
    const iso = '2026-12-07T02:30:00Z';
    expect(timeIn(iso, 'America/Chicago')).toBe('8:30 PM');
    expect(timeIn(iso, 'Europe/London')).toBe('2:30 AM');
    expect(dateIn(iso, 'America/Chicago')).toBe('2026-12-06');
    expect(dateIn(iso, 'Pacific/Kiritimati')).toBe('2026-12-07');
  });

  test('ago', () => {
    const now = Date.now();
    expect(ago(new Date(now - 10_000).toISOString())).toBe('just now');
    expect(ago(new Date(now - 5 * 60_000 - 500).toISOString())).toBe('5 min ago');
    expect(ago(new Date(now - 3 * 3600_000 - 500).toISOString())).toBe('3 h ago');
    // a clock a little ahead of the server's never reads as the future
    expect(ago(new Date(now + 30_000).toISOString())).toBe('just now');
  });
});
