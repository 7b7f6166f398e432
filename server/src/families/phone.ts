/**
 * Phone numbers on the server: the shared rule (contracts/rules/phone.ts, libphonenumber-js with
 * mobile metadata) applied with the site's country. Numbers we text must be mobiles.
 */
import { maskPhone, normalizeAnyPhone, normalizeMobile, DEFAULT_PHONE_COUNTRY } from '../../../contracts/rules';

/** A textable number in E.164, or null (numbers without +CC belong to `country`). */
export function normalizePhone(input: string, country: string = DEFAULT_PHONE_COUNTRY): string | null {
  return normalizeMobile(input, country);
}
/** An authorised pickup's phone: any possible number (it is called, not texted). */
export function normalizeContactPhone(input: string, country: string = DEFAULT_PHONE_COUNTRY): string | null {
  return normalizeAnyPhone(input, country);
}
export { maskPhone };
