import { maskPhone, normalizePhone, normalizeContactPhone } from '../../server/src/families/phone';
import { getExampleNumber, type CountryCode } from 'libphonenumber-js/mobile';
import examples from 'libphonenumber-js/mobile/examples';
import { countryForTimezone, displayPhone, formatPhone, normalizeMobile, sitePhoneCountry } from '../../contracts/rules';

describe('mobile numbers (libphonenumber-js, mobile metadata)', () => {
  test.each([
    ['(312) 555-0123', '+13125550123'],
    ['312.555.0123', '+13125550123'],
    ['1 312 555 0123', '+13125550123'],
    ['+1 312 555 0123', '+13125550123'],
    ['  3125550123 ', '+13125550123'],
    // UK and Mexican mobiles
    ['+44 7911 123456', '+447911123456'],
    ['0044 7911 123456', '+447911123456'],
    ['+52 55 1234 5678', '+525512345678'],
  ])('%s → %s', (input, e164) => expect(normalizePhone(input)).toBe(e164));

  test.each([
    // the numbers from the issue: too short, no country, an area code that cannot start with 0
    '+1 312 555 01',
    '+12345678',
    '+1 012 555 0123',
    '555-0123',
    '0125550123',
    '1125550123',
    '+0123456789',
    '+1234567',
    '+1234567890123456',
    '',
    'abc',
    '312-555-01234',
    // a London landline: a real number, but no SMS
    '+44 20 7946 0958',
  ])('refuses %p', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  test("numbers without +CC belong to the site's country", () => {
    expect(normalizeMobile('07911 123456', 'GB')).toBe('+447911123456');
    expect(normalizeMobile('07911 123456', 'US')).toBeNull();
    expect(normalizeMobile('55 1234 5678', 'MX')).toBe('+525512345678');
  });

  test("the site's country: its setting, else its timezone, else the US", () => {
    expect(countryForTimezone('Europe/London')).toBe('GB');
    expect(countryForTimezone('America/Mexico_City')).toBe('MX');
    expect(countryForTimezone('America/Chicago')).toBe('US');
    expect(countryForTimezone('Mars/Olympus')).toBe('US');
    expect(sitePhoneCountry({ timezone: 'America/Chicago', phoneCountry: 'CA' })).toBe('CA');
    expect(sitePhoneCountry({ timezone: 'Europe/London' })).toBe('GB');
  });

  test("an authorised pickup's phone may be a landline", () => {
    expect(normalizeContactPhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizeContactPhone('+1 312 555 01')).toBeNull();
  });

  test('one display format: national at home, international abroad', () => {
    expect(formatPhone('+13125550123', 'US')).toBe('(312) 555-0123');
    expect(formatPhone('+447911123456', 'US')).toBe('+44 7911 123456');
    expect(formatPhone('+447911123456', 'GB')).toBe('07911 123456');
    expect(formatPhone('+447400123456', 'GB')).toBe('07400 123456');
    expect(formatPhone('+15145550123', 'US')).toBe('(514) 555-0123');
    expect(formatPhone('', 'US')).toBe('');
  });
});

test('masks all but the last four digits', () => expect(maskPhone('+13125550123')).toBe('•••-•••-0123'));

describe("the staff screens' display of a stored number (displayPhone, no libphonenumber in the bundle)", () => {
  // the countries of contracts/rules/phone.ts's timezone list, and a few more
  const COUNTRIES = 'US CA PR GB IE FR DE ES NL IT PT MX BR CO PE CL AR GT SV HN AU NZ ZA NG KE PH SG IN KR RU CN JP'.split(' ');
  test.each(COUNTRIES)("%s's example mobile reads as formatPhone(…, 'US') shows it", (country) => {
    const e164 = getExampleNumber(country as CountryCode, examples)!.number;
    expect(displayPhone(e164)).toBe(formatPhone(e164, 'US'));
  });

  test.each([
    '+13125550123',
    '+15145550123',
    '+447911123456',
    '+442079460958',
    '+525512345678',
    '+523312345678',
    '+522221234567',
    '+491701234567',
    '+5493512345678',
    '+33123456789',
    '+61298765432',
    '+6421123456',
    '+79161234567',
  ])('%s reads as formatPhone shows it', (e164) => expect(displayPhone(e164)).toBe(formatPhone(e164, 'US')));

  test('a number of a grouping it does not know keeps its calling code and every digit', () => {
    expect(displayPhone('+4930123456')).toBe('+49 3 012 3456');
    expect(displayPhone('+3531234567')).toBe('+353 123 4567');
    expect(displayPhone('+2207012345')).toBe('+220 701 2345');
  });

  test('nothing, and text that is not E.164, are shown as they are', () => {
    expect(displayPhone('')).toBe('');
    expect(displayPhone(null)).toBe('');
    expect(displayPhone('ask at the desk')).toBe('ask at the desk');
    expect(displayPhone('+1 312')).toBe('+1 312');
  });
});
