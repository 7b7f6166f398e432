/**
 * The UIs' pure helpers (#27 point 4, the unit tier): how the kiosk and the staff screens word an
 * age, a grade, a phone's digits and a time — in the campus's zone, not the tablet's.
 */
import { ageLabel as kioskAge, formatDigits, gradeLabel, labelDate, last4 } from '../../kiosk-ui/src/format';
import { MESSAGES } from '../../kiosk-ui/src/messages';
import { ago, ageLabel as staffAge, dateIn, gradeName, timeIn } from '../../staff-ui/src/format';

const { en, es } = MESSAGES;

describe('kiosk', () => {
  test.each([
    [en, 1, null, '1 month'],
    [en, 18, null, '18 months'],
    [en, 23, null, '23 months'],
    [en, 24, null, '2 years'],
    [en, 59, null, '4 years'],
    [es, 18, null, '18 meses'],
    [es, 36, null, '3 años'],
    [en, null, 3, 'Grade 3'],
    [en, null, 0, 'Kindergarten'],
    [en, null, -1, 'Pre-K'],
    [es, null, -1, 'Prekínder'],
    [en, null, null, ''],
  ] as const)('age %#: %s months, grade %s → "%s"', (t, ageMonths, grade, out) => {
    expect(kioskAge(t, { ageMonths, grade })).toBe(out);
  });

  test('an age wins over a grade when both are known (the server sends the age for age-placed rooms)', () => {
    expect(kioskAge(en, { ageMonths: 30, grade: 1 })).toBe('2 years');
    expect(gradeLabel(en, 5)).toBe('Grade 5');
  });

  test.each([
    ['0188', '0188'],
    ['5550188', '555-0188'],
    ['3125550188', '312-555-0188'],
    ['13125550188', '1 312-555-0188'],
    ['447700900123', '44 770-090-0123'],
    ['', ''],
  ])('digits %s read as %s', (d, out) => expect(formatDigits(d)).toBe(out));

  test('last4 keeps the last four digits of a masked number', () => {
    expect(last4('(•••) •••-0188')).toBe('0188');
    expect(last4('+1 312 555 0188')).toBe('0188');
  });

  test('the label date is the campus’s date, and a bad zone falls back instead of throwing', () => {
    // 02:30 UTC on a Monday is still Sunday evening in Chicago
    const at = new Date('2026-12-07T02:30:00Z');
    expect(labelDate('en-US', 'America/Chicago', at)).toBe('Sun, Dec 6, 2026');
    expect(labelDate('en-US', 'Pacific/Kiritimati', at)).toBe('Mon, Dec 7, 2026');
    expect(labelDate('es', 'America/Chicago', at)).toMatch(/dom.*6.*dic.*2026/);
    expect(() => labelDate('en-US', 'Not/AZone', at)).not.toThrow();
  });
});

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

test('every kiosk message has its Spanish counterpart of the same kind', () => {
  for (const k of Object.keys(en) as (keyof typeof en)[]) {
    expect([k, typeof es[k]]).toEqual([k, typeof en[k]]);
    if (typeof en[k] === 'string') expect([k, (es[k] as string).trim().length > 0]).toEqual([k, true]);
  }
});
