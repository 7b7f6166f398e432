/**
 * A stored E.164 number as the staff screens show it, without libphonenumber-js.
 *
 * Why not `formatPhone` (./phone.ts): its metadata is 33 kB of gzip, an eighth of the staff UI's
 * bundle budget (DESIGN §9), and the staff screens only *show* numbers the server has already
 * validated and normalised; what staff type is sent as typed and the server (which keeps
 * libphonenumber) validates it. So this knows just enough: the calling codes (a fixed ITU list)
 * and how the countries this ships to group a mobile number. It matches `formatPhone(n, 'US')`
 * for those (tests/unit/phone.test.ts holds it to that, on each country's example mobile):
 * North American numbers in national format, "(312) 555-0123", others international,
 * "+44 7911 123456". A number of a country it does not know is grouped plainly ("+CC … 5678").
 */

/** The calling codes of one or two digits (ITU-T E.164); every other country's has three. (Literals only, so a bundle that does not use this drops it.) */
const SHORT_CALLING_CODES =
  ' 1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 ';
const isShortCode = (code: string) => SHORT_CALLING_CODES.includes(` ${code} `);

/**
 * How libphonenumber groups a national number of the countries this ships to (mobiles, and the
 * commonest landlines): calling code, length, the digits it starts with, the groups. First match wins.
 */
const GROUPS: [cc: string, length: number, prefix: RegExp | null, groups: number[]][] = [
  ['44', 10, /^2/, [2, 4, 4]], // GB: London, Cardiff, Belfast …
  ['44', 10, null, [4, 6]], // GB mobiles
  ['353', 9, null, [2, 3, 4]], // IE
  ['33', 9, null, [1, 2, 2, 2, 2]], // FR
  ['49', 11, null, [4, 7]], // DE
  ['49', 10, /^1/, [3, 7]],
  ['34', 9, null, [3, 2, 2, 2]], // ES
  ['31', 9, null, [1, 8]], // NL
  ['39', 10, null, [3, 3, 4]], // IT
  ['351', 9, null, [3, 3, 3]], // PT
  ['52', 10, /^(33|55|56|81)/, [2, 4, 4]], // MX: Guadalajara, Mexico City, Monterrey
  ['52', 10, null, [3, 3, 4]],
  ['55', 11, null, [2, 5, 4]], // BR
  ['57', 10, null, [3, 7]], // CO
  ['51', 9, null, [3, 3, 3]], // PE
  ['56', 9, null, [1, 4, 4]], // CL
  ['54', 11, /^911/, [1, 2, 4, 4]], // AR mobiles: 9, the area, …
  ['54', 11, /^9/, [1, 3, 3, 4]],
  ['502', 8, null, [4, 4]], // GT
  ['503', 8, null, [4, 4]], // SV
  ['504', 8, null, [4, 4]], // HN
  ['61', 9, /^4/, [3, 3, 3]], // AU mobiles
  ['61', 9, null, [1, 4, 4]],
  ['64', 9, null, [2, 3, 4]], // NZ
  ['64', 8, /^2/, [2, 3, 3]],
  ['27', 9, null, [2, 3, 4]], // ZA
  ['234', 10, null, [3, 3, 4]], // NG
  ['254', 9, null, [3, 6]], // KE
  ['63', 10, null, [3, 3, 4]], // PH
  ['65', 8, null, [4, 4]], // SG
  ['91', 10, null, [5, 5]], // IN
  ['82', 10, null, [2, 4, 4]], // KR
  ['7', 10, null, [3, 3, 2, 2]], // RU
  ['86', 11, null, [3, 4, 4]], // CN
  ['81', 10, null, [2, 4, 4]], // JP
];

/** Any other length: the last four together, threes before them. */
function plainGroups(n: number): number[] {
  if (n <= 4) return [n];
  const rest = n - 4;
  const groups = rest % 3 ? [rest % 3] : [];
  for (let i = 0; i < Math.floor(rest / 3); i++) groups.push(3);
  return [...groups, 4];
}

function split(digits: string, groups: number[]): string {
  const out: string[] = [];
  let at = 0;
  for (const g of groups) {
    out.push(digits.slice(at, at + g));
    at += g;
  }
  return out.join(' ');
}

/** A stored E.164 number for a staff screen; anything that is not E.164 is shown as it is. */
export function displayPhone(e164: string | null | undefined): string {
  if (!e164) return '';
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return e164;
  const digits = e164.slice(1);
  const cc = isShortCode(digits.slice(0, 1)) ? digits.slice(0, 1) : isShortCode(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
  const national = digits.slice(cc.length);
  if (cc === '1' && national.length === 10) return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  const known = GROUPS.find(([c, length, prefix]) => c === cc && length === national.length && (!prefix || prefix.test(national)));
  return `+${cc} ${split(national, known ? known[3] : plainGroups(national.length))}`;
}
