/** The staff page's consent line (DESIGN §19): the campus's wall clock, whatever TZ the process runs in. */
import { consentTime, smsConsentText, SMS_CONSENT_SOURCES } from '../../contracts/rules';

test('agreed: where and when on the campus clock; not agreed: says so', () => {
  // 15:12 UTC on 7 Dec 2026 is 09:12 in Chicago (CST, -6 h)
  expect(smsConsentText({ at: '2026-12-07T15:12:40.123Z', source: 'kiosk' }, 'America/Chicago')).toBe('Texts: agreed at the kiosk on 7 Dec 2026 09:12');
  expect(smsConsentText({ at: '2026-12-07T15:12:40.123Z', source: 'desk' }, 'Europe/London')).toBe('Texts: agreed at the desk on 7 Dec 2026 15:12');
  expect(smsConsentText(null, 'America/Chicago')).toBe('Texts: not agreed');
});

test('the campus date, not the UTC date, around midnight; an unknown zone falls back to UTC', () => {
  expect(consentTime('2026-12-07T03:05:00Z', 'America/Los_Angeles')).toBe('6 Dec 2026 19:05');
  expect(consentTime('2026-07-01T23:30:00Z', 'Australia/Sydney')).toBe('2 Jul 2026 09:30');
  expect(consentTime('2026-12-07T03:05:00Z', 'Not/AZone')).toBe('7 Dec 2026 03:05');
  expect(consentTime('2026-12-07T03:05:00Z', undefined)).toBe('7 Dec 2026 03:05');
});

test('every source reads as a sentence', () => {
  for (const source of SMS_CONSENT_SOURCES) {
    const text = smsConsentText({ at: '2026-01-02T10:00:00Z', source }, 'UTC');
    expect(text).toMatch(/^Texts: agreed .+ on 2 Jan 2026 10:00$/);
    expect(text).not.toMatch(/\s{2}|undefined/);
  }
});
