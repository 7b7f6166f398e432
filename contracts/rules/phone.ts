/**
 * Phone numbers, zod-free, for the server and both UIs (CONVENTIONS habit 13): one parser, one
 * validity rule, one display format. Built on libphonenumber-js with its *mobile* metadata: a
 * number is "valid" there only when it is a mobile number, or a fixed-line-or-mobile one where
 * the numbering plan cannot tell the two apart (the US, Canada, Mexico) — which is exactly the
 * rule for a number we will text. The mobile metadata is also the small one (bundle budget).
 */
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/mobile';

/** Default country when a site names none and its timezone says nothing we know. */
export const DEFAULT_PHONE_COUNTRY = 'US';

/**
 * A site's default country from its IANA timezone (the numbers typed without +CC belong to it).
 * A short list of the places this ships to; anything else falls back to the US.
 */
const TZ_COUNTRY: Record<string, string> = {
  'Europe/London': 'GB',
  'Europe/Belfast': 'GB',
  'Europe/Dublin': 'IE',
  'Europe/Paris': 'FR',
  'Europe/Berlin': 'DE',
  'Europe/Madrid': 'ES',
  'Europe/Amsterdam': 'NL',
  'Europe/Rome': 'IT',
  'Europe/Lisbon': 'PT',
  'America/Mexico_City': 'MX',
  'America/Monterrey': 'MX',
  'America/Tijuana': 'MX',
  'America/Cancun': 'MX',
  'America/Merida': 'MX',
  'America/Chihuahua': 'MX',
  'America/Hermosillo': 'MX',
  'America/Mazatlan': 'MX',
  'America/Matamoros': 'MX',
  'America/Bahia_Banderas': 'MX',
  'America/Toronto': 'CA',
  'America/Vancouver': 'CA',
  'America/Edmonton': 'CA',
  'America/Winnipeg': 'CA',
  'America/Halifax': 'CA',
  'America/St_Johns': 'CA',
  'America/Regina': 'CA',
  'America/Montreal': 'CA',
  'America/Sao_Paulo': 'BR',
  'America/Bogota': 'CO',
  'America/Lima': 'PE',
  'America/Santiago': 'CL',
  'America/Argentina/Buenos_Aires': 'AR',
  'America/Guatemala': 'GT',
  'America/El_Salvador': 'SV',
  'America/Tegucigalpa': 'HN',
  'America/Puerto_Rico': 'PR',
  'Australia/Sydney': 'AU',
  'Australia/Melbourne': 'AU',
  'Australia/Brisbane': 'AU',
  'Australia/Perth': 'AU',
  'Australia/Adelaide': 'AU',
  'Pacific/Auckland': 'NZ',
  'Africa/Johannesburg': 'ZA',
  'Africa/Lagos': 'NG',
  'Africa/Nairobi': 'KE',
  'Asia/Manila': 'PH',
  'Asia/Singapore': 'SG',
  'Asia/Kolkata': 'IN',
  'Asia/Seoul': 'KR',
};
export function countryForTimezone(timezone: string | null | undefined): string {
  if (!timezone) return DEFAULT_PHONE_COUNTRY;
  return TZ_COUNTRY[timezone] ?? DEFAULT_PHONE_COUNTRY;
}
/** The site's phone country: its setting when it has one, else from its timezone. */
export const sitePhoneCountry = (site: { timezone?: string | null; phoneCountry?: string | null }) =>
  site.phoneCountry && /^[A-Z]{2}$/.test(site.phoneCountry) ? site.phoneCountry : countryForTimezone(site.timezone);

const TYPED = /^\+?[0-9 ().-]+$/;

function parse(input: string, country: string) {
  const s = String(input ?? '').trim();
  if (!s || !TYPED.test(s)) return undefined;
  // "00 44 …" is the international prefix in most of the world
  const text = s.startsWith('00') ? `+${s.replace(/^00/, '')}` : s;
  try {
    return parsePhoneNumberFromString(text, country as CountryCode);
  } catch {
    return undefined;
  }
}

/**
 * A number we can text, in E.164, or null: a real mobile (or fixed-line-or-mobile) number of a
 * real country. Refuses too short or too long numbers, impossible area codes (+1 012 …) and
 * numbers of no country (+1 234 5678).
 */
export function normalizeMobile(input: string, country: string = DEFAULT_PHONE_COUNTRY): string | null {
  const p = parse(input, country);
  return p && p.isValid() ? p.number : null;
}

/**
 * Any number a person can be called on (an authorised pickup's phone), in E.164, or null: the
 * length must be possible for its country. Not texted, so not required to be a mobile.
 */
export function normalizeAnyPhone(input: string, country: string = DEFAULT_PHONE_COUNTRY): string | null {
  const p = parse(input, country);
  return p && p.isPossible() ? p.number : null;
}

/**
 * How a stored E.164 number is shown: national format for the site's own country
 * ("(312) 555-0123"), international otherwise ("+44 7911 123456"). Unparseable text is shown as is.
 */
export function formatPhone(e164: string | null | undefined, country: string = DEFAULT_PHONE_COUNTRY): string {
  if (!e164) return '';
  const p = parse(e164, country);
  if (!p) return e164;
  // by calling code, not country: +44 7911 is Guernsey's, still dialled like a UK number
  let home: string | undefined;
  try {
    home = getCountryCallingCode(country as CountryCode);
  } catch {
    home = undefined;
  }
  return p.countryCallingCode === home ? p.formatNational() : p.formatInternational();
}

/** All but the last four digits hidden (kiosk screens, possible-duplicate answers). */
export const maskPhone = (e164: string) => `•••-•••-${String(e164 ?? '').slice(-4)}`;
