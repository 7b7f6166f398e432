/**
 * The one time-zone conversion (contracts/rules/dates.ts) across every daylight-saving change of
 * 2026–2028 in five zones, checked against an independent oracle: Intl formatting of the resulting
 * instant back to the wall clock. The changes themselves are found here by scanning Intl, not taken
 * from the code under test. Rules: a skipped wall time moves forward by the gap (read with the
 * offset before the change); a repeated one is the earlier instant.
 */
import { dateInTimezone, instantAt, instantOfWallTime, localDateTime, wallTimeIn, zoneOffsetMs } from '../../contracts/rules';

const ZONES = ['America/Chicago', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata'];
const HOUR = 3_600_000;
const MIN = 60_000;

// ---- the oracle: Intl alone ----
const oracleFormats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD HH:MM" on the wall in `tz` at `ms`. */
function oracleWall(ms: number, tz: string): string {
  let f = oracleFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    oracleFormats.set(tz, f);
  }
  return f.format(new Date(ms)).replace(/\u2212/g, '-');
}
/** The offset (ms) of `tz` at `ms`, read from the "GMT-5" / "GMT+5:30" Intl writes. */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function oracleOffset(ms: number, tz: string): number {
  if (!offsetFormats.has(tz)) offsetFormats.set(tz, new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }));
  const name = offsetFormats
    .get(tz)!
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT(?:([+-\u2212])(\d{2}):(\d{2}))?/.exec(name)!;
  if (!m[1]) return 0;
  return (m[1] === '+' ? 1 : -1) * (Number(m[2]) * HOUR + Number(m[3]) * MIN);
}
/** Every instant in [from, to) at which the offset of `tz` changes, to the minute. */
function changes(tz: string, from: string, to: string): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 6 * HOUR) {
    const before = oracleOffset(t, tz);
    const after = oracleOffset(t + 6 * HOUR, tz);
    if (before === after) continue;
    let lo = t;
    let hi = t + 6 * HOUR;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
      if (oracleOffset(mid, tz) === before) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before, after });
  }
  return out;
}
/** "YYYY-MM-DD HH:MM" of a wall clock given as ms-since-epoch-as-if-UTC. */
const asWall = (wallMs: number) => new Date(wallMs).toISOString().slice(0, 16).replace('T', ' ');

describe.each(ZONES)('%s, 2026–2028', (tz) => {
  const found = changes(tz, '2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z');

  test('the changes found', () => {
    // two a year where the clocks change, none in Kolkata
    expect(found).toHaveLength(tz === 'Asia/Kolkata' ? 0 : 6);
  });

  test('wall times just before, in and after every change: skipped ones move forward by the gap, repeated ones take the earlier instant', () => {
    let cases = 0;
    for (const c of found) {
      const gap = c.after - c.before; // > 0: spring forward (a skipped hour), < 0: fall back (a repeated hour)
      const len = Math.abs(gap);
      // the change as the wall clock reads it just before (e.g. 02:00 in Chicago in March, 02:00 in November)
      const wallAtChange = c.at + c.before;
      const offsets = [-HOUR - MIN, -HOUR, -MIN, 0, MIN, 30 * MIN, len / 2, len - MIN, len, len + MIN, HOUR + 30 * MIN, 3 * HOUR];
      for (const d of offsets) {
        const wallMs = wallAtChange + d;
        const wall = asWall(wallMs);
        const [date, time] = wall.split(' ') as [string, string];
        const got = instantAt(date, time, tz).getTime();
        cases++;
        if (gap > 0 && wallMs >= wallAtChange && wallMs < wallAtChange + gap) {
          // skipped: read with the offset before, so it shows `gap` later on the wall
          expect([wall, asWall(got + c.before)]).toEqual([wall, wall]);
          expect([wall, oracleWall(got, tz)]).toEqual([wall, asWall(wallMs + gap)]);
        } else if (gap < 0 && wallMs >= wallAtChange + gap && wallMs < wallAtChange) {
          // repeated: both instants show it; the earlier one, still on the offset before
          expect([wall, oracleWall(got, tz)]).toEqual([wall, wall]);
          expect([wall, oracleWall(got + len, tz)]).toEqual([wall, wall]);
          expect([wall, got]).toEqual([wall, wallMs - c.before]);
        } else {
          // an ordinary wall time: exactly one instant shows it
          expect([wall, oracleWall(got, tz)]).toEqual([wall, wall]);
          expect([wall, got]).toEqual([wall, wallMs - oracleOffset(got, tz)]);
        }
        // and back: the wall clock of the instant, from the same module, agrees with the oracle
        expect(wallTimeIn(got, tz).slice(0, 16).replace('T', ' ')).toBe(oracleWall(got, tz));
        expect(zoneOffsetMs(got, tz)).toBe(oracleOffset(got, tz));
        expect(dateInTimezone(new Date(got), tz)).toBe(oracleWall(got, tz).slice(0, 10));
      }
    }
    expect(cases).toBe(found.length * 12);
  });

  test('every hour and half hour of a year round-trips (no change in between)', () => {
    for (let t = Date.parse('2027-01-01T00:00:00Z'); t < Date.parse('2028-01-01T00:00:00Z'); t += 7 * HOUR + 30 * MIN) {
      const wall = oracleWall(t, tz);
      const [date, time] = wall.split(' ') as [string, string];
      const got = instantAt(date, time, tz).getTime();
      expect([wall, oracleWall(got, tz)]).toEqual([wall, wall]);
      // only in a repeated hour may it differ from t, and then it is the earlier of the two
      if (got !== t) expect([wall, got]).toEqual([wall, t - Math.abs(zoneOffsetMs(got, tz) - zoneOffsetMs(t, tz))]);
    }
  });
});

test('known answers: Chicago and Sydney, both ways, and Kolkata at the half hour', () => {
  const at = (d: string, t: string, tz: string) => instantAt(d, t, tz).toISOString();
  // Chicago: 09:00 CST, 02:30 skipped → 03:30 CDT, 01:30 twice → CDT (the first)
  expect(at('2026-03-01', '09:00', 'America/Chicago')).toBe('2026-03-01T15:00:00.000Z');
  expect(at('2026-03-08', '02:30', 'America/Chicago')).toBe('2026-03-08T08:30:00.000Z');
  expect(at('2026-11-01', '01:30', 'America/Chicago')).toBe('2026-11-01T06:30:00.000Z');
  // Sydney (east of UTC, changes in April and October): 02:30 twice on 2026-04-05 → AEDT (the first);
  // 02:30 skipped on 2026-10-04 → 03:30 AEDT
  expect(at('2026-04-05', '02:30', 'Australia/Sydney')).toBe('2026-04-04T15:30:00.000Z');
  expect(at('2026-10-04', '02:30', 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z');
  expect(wallTimeIn('2026-10-03T16:30:00.000Z', 'Australia/Sydney')).toBe('2026-10-04T03:30:00');
  // London: 01:30 skipped on 2027-03-28 → 02:30 BST; 01:30 twice on 2027-10-31 → BST
  expect(at('2027-03-28', '01:30', 'Europe/London')).toBe('2027-03-28T01:30:00.000Z');
  expect(at('2027-10-31', '01:30', 'Europe/London')).toBe('2027-10-31T00:30:00.000Z');
  expect(at('2026-12-06', '09:30', 'Asia/Kolkata')).toBe('2026-12-06T04:00:00.000Z');
  // seconds, and the datetime-local form the staff UI sends
  expect(at('2026-12-06', '09:30:15', 'America/New_York')).toBe('2026-12-06T14:30:15.000Z');
  expect(instantOfWallTime('2026-12-06T09:30', 'America/New_York').toISOString()).toBe('2026-12-06T14:30:00.000Z');
  expect(instantOfWallTime('2026-12-06', 'America/New_York').toISOString()).toBe('2026-12-06T05:00:00.000Z');
  // a campus's date and wall clock, and the unknown zone's UTC fallback for spreadsheets
  expect(dateInTimezone(new Date('2026-12-07T02:30:00Z'), 'America/Chicago')).toBe('2026-12-06');
  expect(dateInTimezone(new Date('2026-12-07T02:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-12-07');
  expect(localDateTime('2026-12-07T02:30:05.900Z', 'America/Chicago')).toBe('2026-12-06 20:30:05');
  expect(localDateTime('2026-12-07T02:30:05Z', 'Not/AZone')).toBe('2026-12-07 02:30:05');
  expect(() => instantAt('2026-12-06', '09:00', 'Not/AZone')).toThrow(RangeError);
});
