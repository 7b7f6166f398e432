/** Pre-check-in rules (contracts/rules/precheckin.ts): which services a parent may choose, when the weekly text is due. */
import { isPrecheckinEligible, precheckinSmsDue } from '../../contracts/rules';

const TZ = 'America/Chicago';
const SAT_6PM = { weekday: 6, time: '18:00' };

test('the weekly text is due from its moment on the campus clock until a day later, keyed by that local date', () => {
  // Saturday 2026-12-05 18:00 CST = 2026-12-06 00:00Z
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2026-12-05T23:59:00Z'))).toBeNull();
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2026-12-06T00:00:00Z'))).toEqual({ sendDate: '2026-12-05', at: new Date('2026-12-06T00:00:00Z') });
  // Sunday morning: still the same week's send (a server that was down catches up)
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2026-12-06T16:00:00Z'))?.sendDate).toBe('2026-12-05');
  // more than a day late: not sent at all (never a Tuesday "this week's service" text)
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2026-12-07T00:01:00Z'))).toBeNull();
  expect(precheckinSmsDue(null, TZ, new Date())).toBeNull();
  // on UTC's Sunday but the campus's Saturday evening
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2026-12-06T02:00:00Z'))?.sendDate).toBe('2026-12-05');
});

test('across a DST change the wall-clock time holds (18:00 stays 18:00)', () => {
  // 2027-03-13 is the Saturday before US clocks spring forward; 2027-03-20 the one after
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2027-03-14T00:00:00Z'))?.at).toEqual(new Date('2027-03-14T00:00:00Z')); // CST, UTC-6
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2027-03-20T23:00:00Z'))?.at).toEqual(new Date('2027-03-20T23:00:00Z')); // CDT, UTC-5
  expect(precheckinSmsDue(SAT_6PM, TZ, new Date('2027-03-20T22:59:00Z'))).toBeNull();
});

test('a parent may choose a service whose window has not closed and that starts within the week', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  const h = (n: number) => new Date(now.getTime() + n * 3600_000);
  expect(isPrecheckinEligible({ startsAt: h(20), checkinClosesAt: h(21) }, now)).toBe(true);
  expect(isPrecheckinEligible({ startsAt: h(-1), checkinClosesAt: h(1) }, now)).toBe(true); // under way, still open
  expect(isPrecheckinEligible({ startsAt: h(-2), checkinClosesAt: h(-1) }, now)).toBe(false);
  expect(isPrecheckinEligible({ startsAt: h(6 * 24), checkinClosesAt: h(6 * 24 + 1) }, now)).toBe(true);
  expect(isPrecheckinEligible({ startsAt: h(8 * 24), checkinClosesAt: h(8 * 24 + 1) }, now)).toBe(false);
});
